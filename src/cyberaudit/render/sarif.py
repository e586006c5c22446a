"""SARIF 2.1.0 for GitHub code scanning: results point at the profile line that declares the target."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import PurePath
from typing import Any

from cyberaudit.reach import unreachable_targets
from cyberaudit.render import RenderOptions
from cyberaudit.render.view import evidence_items
from cyberaudit.result import Finding, Result, RuleInfo, parse_timestamp

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SECURITY_SEVERITY = {"critical": "9.5", "high": "7.5", "medium": "5.0", "low": "2.5", "info": "0.0"}
LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
ERROR_LEVELS = ("error", "warning", "note", "none")
NOT_CHECKED = ("This check could not be made, so it is not a pass: it counts against the score (and the gate, "
               "unless --allow-errors) until what stopped it is fixed and the scan runs again.")
FINGERPRINT_KEY = "cyberauditFinding/v1"


def fingerprint(rule_id: str, target: str) -> str:
    """Stable across runs for the same rule and target, whatever the message says."""
    return hashlib.sha256(f"{rule_id}\x00{target}".encode()).hexdigest()[:32]


def _camel(rule_id: str) -> str:
    return "".join(part.capitalize() for part in rule_id.split("-"))


def _rule(info: RuleInfo) -> dict[str, Any]:
    refs = list(info.references)
    text = "\n\n".join(p for p in (info.rationale, "How to fix: " + info.remediation if info.remediation else "",
                                   "References: " + "; ".join(refs) if refs else "") if p)
    markdown = "\n\n".join(p for p in (
        info.rationale,
        "**How to fix:** " + info.remediation if info.remediation else "",
        "**References:**\n" + "\n".join(f"- {r}" for r in refs) if refs else "") if p)
    return {
        "id": info.id,
        "name": _camel(info.id),
        "shortDescription": {"text": info.title},
        "fullDescription": {"text": info.summary or info.title},
        "help": {"text": text or info.title, "markdown": markdown or info.title},
        "defaultConfiguration": {"level": LEVEL.get(info.severity, "warning")},
        "properties": {
            "security-severity": SECURITY_SEVERITY.get(info.severity, "5.0"),
            "tags": list(dict.fromkeys(["security", "privacy" if info.category == "privacy" else "compliance",
                                        info.category, info.pack or info.category])),
            "precision": "high",
            "problem.severity": {"critical": "error", "high": "error", "medium": "warning"}.get(
                info.severity, "recommendation"),
        },
    }


def _fallback_rule(f: Finding) -> RuleInfo:
    return RuleInfo(f.rule_id, f.title, f.title, f.category, f.severity, f.target_kind, "", "", f.remediation,
                    f.references, f.effort, f.pack)


def profile_uri(result: Result, base: str | None = None) -> str:
    """The profile's path relative to `base` (default: the working folder), else its file name."""
    path = result.profile.path
    try:
        rel = os.path.relpath(path, base or os.getcwd())
    except ValueError:  # another drive on Windows
        rel = ""
    if rel and not rel.startswith(".."):
        return PurePath(rel).as_posix()
    return PurePath(path).name or "cyberaudit.yaml"


def render_sarif(result: Result, options: RenderOptions | None = None) -> str:
    options = options or RenderOptions()
    error_level = options.sarif_errors_level if options.sarif_errors_level in ERROR_LEVELS else "warning"
    uri = options.profile_uri or profile_uri(result)
    lines = {t.id: t.line for t in result.targets}
    shown = [f for f in result.findings
             if f.status in ("fail", "error") or (f.status == "waived" and f.waiver and f.waiver.original_status
                                                  in ("fail", "error"))]
    infos: dict[str, RuleInfo] = {}
    for f in shown:
        infos.setdefault(f.rule_id, result.rules.get(f.rule_id) or _fallback_rule(f))
    order = sorted(infos)
    index = {rid: i for i, rid in enumerate(order)}
    results = []
    for f in shown:
        original = f.waiver.original_status if f.status == "waived" and f.waiver else f.status
        message = f.message
        if original == "error":
            if not message.lower().startswith("could not be checked"):
                message = f"Could not be checked: {message}"
            message = f"{message.rstrip('.')}. {NOT_CHECKED}"
        extra = [f"{k}: {', '.join(v)}" for k, v in evidence_items(f.evidence)]
        location: dict[str, Any] = {"artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"}}
        line = lines.get(f.target)
        location["region"] = {"startLine": line if line and line > 0 else 1}
        item: dict[str, Any] = {
            "ruleId": f.rule_id,
            "ruleIndex": index[f.rule_id],
            # A check that could not be made is shown as a warning (--sarif-errors-level), or code scanning's
            # default view hides it; SARIF allows a level other than "none" only on kind "fail".
            "kind": "fail" if original == "fail" or error_level != "none" else "open",
            "level": LEVEL.get(f.severity, "warning") if original == "fail" else error_level,
            "message": {"text": " ".join([f"{message} (target: {f.target})", *extra])},
            "locations": [{"physicalLocation": location,
                           "logicalLocations": [{"name": f.target, "fullyQualifiedName": f"{f.target_kind}:{f.target}"}]}],
            "partialFingerprints": {FINGERPRINT_KEY: fingerprint(f.rule_id, f.target)},
            "properties": {"target": f.target, "targetKind": f.target_kind, "category": f.category,
                           "severity": f.severity, "status": f.status},
        }
        if f.status == "waived" and f.waiver:
            item["suppressions"] = [{"kind": "external", "status": "accepted",
                                     "justification": f"{f.waiver.reason} (waiver expires {f.waiver.expires})"}]
        results.append(item)
    doc = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "cyberaudit",
                "version": result.tool.get("version", "0"),
                "semanticVersion": result.tool.get("version", "0"),
                "rules": [_rule(infos[rid]) for rid in order],
            }},
            "automationDetails": {"id": f"cyberaudit/{result.profile.practice}/"},
            "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The repository root"}}},
            "invocations": [{
                "executionSuccessful": True,
                "endTimeUtc": _utc(result.generated_at),
                # checks that could not run, so a reader of the log knows what was not looked at
                # a target nothing could reach is said first, once
                "toolExecutionNotifications": [
                    {"level": "error", "message": {"text": u.sentence}} for u in unreachable_targets(result)] + [
                    {"level": "warning", "message": {"text": f"{p.probe} on {t.id}: {p.error or p.status}"}}
                    for t in result.targets for p in t.probes if p.status != "ok"],
            }],
            "results": results,
            "properties": {"score": result.scores.overall.score, "grade": result.scores.overall.grade,
                           "profileDigest": result.profile.digest},
        }],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _utc(stamp: str) -> str:
    when = parse_timestamp(stamp)
    return stamp if when is None else when.strftime("%Y-%m-%dT%H:%M:%SZ")
