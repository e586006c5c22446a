"""JSON Schemas for profiles, rule packs and results (`cyberaudit schema`)."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from cyberaudit.conditions import COMPARISONS, QUANTIFIERS

_VALUE = {"anyOf": [
    {"type": ["string", "number", "boolean", "null", "array"]},
    {"type": "object", "properties": {"param": {"type": "string"}}, "required": ["param"],
     "additionalProperties": False},
]}


def check_schema() -> dict[str, Any]:
    """The schema of the check language (recursive through #/$defs/Check)."""
    ref = {"$ref": "#/$defs/Check"}
    fact_node = {
        "type": "object",
        "properties": {"fact": {"type": "string", "description": "Dotted fact path."},
                       **{op: _VALUE for op in COMPARISONS},
                       "exists": {"type": "boolean"}, "empty": {"type": "boolean"},
                       **{q: ref for q in QUANTIFIERS}},
        "required": ["fact"], "minProperties": 2, "additionalProperties": False,
    }
    return {"oneOf": [
        {"type": "object", "properties": {"all": {"type": "array", "items": ref, "minItems": 1}},
         "required": ["all"], "additionalProperties": False},
        {"type": "object", "properties": {"any": {"type": "array", "items": ref, "minItems": 1}},
         "required": ["any"], "additionalProperties": False},
        {"type": "object", "properties": {"not": ref}, "required": ["not"], "additionalProperties": False},
        fact_node,
    ]}


def schema_for(kind: str) -> dict[str, Any]:
    """The JSON Schema for 'profile', 'pack', 'platforms' (a catalogue file) or 'result'."""
    if kind == "profile":
        from cyberaudit.profile import Profile

        schema = Profile.model_json_schema()
        schema["title"] = "cyberaudit profile"
    elif kind == "pack":
        from cyberaudit.packs import PackModel

        schema = PackModel.model_json_schema()
        schema["title"] = "cyberaudit rule pack"
        schema.setdefault("$defs", {})["Check"] = check_schema()
        rule = schema["$defs"]["RuleModel"]["properties"]
        rule["check"] = {"$ref": "#/$defs/Check", "description": rule["check"].get("description", "")}
        rule["applies_if"] = {"$ref": "#/$defs/Check", "description": rule["applies_if"].get("description", "")}
    elif kind == "platforms":
        from cyberaudit.platforms import CatalogFile

        schema = CatalogFile.model_json_schema()
        schema["title"] = "cyberaudit platform catalogue"
    elif kind == "result":
        from cyberaudit.result import Result

        schema = TypeAdapter(Result).json_schema()
        schema["title"] = "cyberaudit result"
    else:
        raise ValueError(kind)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema
