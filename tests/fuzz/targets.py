"""What each fuzzed reader must do: load, or fail with an InputError of one line per problem.

Each `check_*` function writes the input to a file, reads it the way the CLI does and returns
"loaded" or "error"; any other exception (a crash the CLI would report as a bug) propagates.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from cyberaudit.errors import MAX_LISTED, InputError
from cyberaudit.evaluate import check_unused_target_patterns, resolve_settings
from cyberaudit.packs import PackModel, load_pack, load_rule_set
from cyberaudit.profile import Profile, TrackerList, build_targets, load_profile
from cyberaudit.result import load_result
from cyberaudit.scan import load_rules_for, network_settings_for

PROFILE: dict[str, Any] = {
    "practice": {"name": "Lakeside Therapy", "jurisdiction": "US"},
    "targets": {"websites": [{"url": "https://lakeside.example/", "pages": ["/", "/intake"],
                              "http_url": "http://lakeside.example/", "address": "127.0.0.1"}],
                "endpoints": [{"host": "portal.lakeside.example", "port": 8443}],
                "mail_domains": [{"domain": "lakeside.example", "dkim_selectors": ["s1"],
                                  "senders": ["192.0.2.1"]}]},
    "platforms": [{"name": "Zoom for Healthcare", "kind": "video", "baa_signed": True, "mfa_enforced": None,
                   "domains": ["zoom.us"]}],
    "controls": {"retention": {"recordings_days": 0, "paths": []},
                 "backups": {"encrypted": True, "last_restore_test": "2026-01-31"},
                 "devices": {"scan_this_machine": False, "disk_encrypted": True}},
    "safeguards": {"risk_analysis": True, "telehealth_consent": {"in_place": True, "reviewed": "2026-01-01"}},
    "dns": {"nameservers": ["127.0.0.1:5353"]},
    "rules": {"disable": ["HTTP-SECURITY-TXT"], "params": {}},
    "waivers": [{"rule": "HTTP-CSP", "target": "*", "reason": "vendor site", "expires": "2030-01-01"}],
}

PACK: dict[str, Any] = {
    "pack": "custom", "version": "1.0.0", "title": "Custom rules", "description": "",
    "rules": [{
        "id": "CUSTOM-BAA", "title": "A BAA is signed", "category": "encryption", "severity": "high",
        "scope": "platform", "probe": "declared", "summary": "s",
        "check": {"all": [{"fact": "declared.baa_signed", "equals": True},
                          {"not": {"fact": "declared.kind", "in": ["other"]}}]},
        "params": {"days": {"default": 30, "minimum": 1}},
        "rationale": "Why.", "remediation": "What.", "references": ["HIPAA 45 CFR 164.308(b)"],
        "effort": "low", "fail_message": "No BAA.",
    }],
}


def model_keys(*models: type[BaseModel]) -> list[str]:
    """Every field name of these models and the models inside them (for renamed and added keys)."""
    seen: set[type] = set()
    out: set[str] = set()
    todo = list(models)
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        for name, info in model.model_fields.items():
            out.add(name)
            todo += [t for t in _types_in(info.annotation) if isinstance(t, type) and issubclass(t, BaseModel)]
    return sorted(out)


def _types_in(annotation: Any) -> list[Any]:
    from typing import get_args
    out = [annotation]
    for arg in get_args(annotation):
        out += _types_in(arg)
    return out


PROFILE_KEYS = model_keys(Profile)
PACK_KEYS = model_keys(PackModel) + ["fact", "not", "all", "any", "equals", "in", "gte", "param", "every"]


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    return path


def assert_cli_lines(exc: InputError) -> None:
    """What the CLI prints for an InputError: one line per problem, at most MAX_LISTED + 1."""
    lines = exc.lines()
    assert 1 <= len(lines) <= MAX_LISTED + 1, lines
    for line in lines:
        assert line.strip() and "\n" not in line and "\r" not in line and len(line) < 2000, repr(line)
        assert "Traceback" not in line
        # our words, never the validation library's
        assert "Input should" not in line and "validation error for" not in line and "type=" not in line, line


@functools.cache
def builtin_rules():  # type: ignore[no-untyped-def]
    return load_rule_set()


def check_profile(folder: Path, text: str) -> str:
    """The profile through every check `scan` makes before a probe starts."""
    path = _write(folder, "cyberaudit.yaml", text)
    try:
        loaded = load_profile(path)
        rules = load_rules_for(loaded) if loaded.profile.rules.packs else builtin_rules()
        resolve_settings(loaded, rules)
        targets = build_targets(loaded)
        check_unused_target_patterns(loaded, targets)
        from cyberaudit.network import NetworkSettings
        network_settings_for(loaded, NetworkSettings())
    except InputError as exc:
        assert_cli_lines(exc)
        return "error"
    return "loaded"


def check_pack(folder: Path, text: str) -> str:
    path = _write(folder, "pack.yaml", text)
    try:
        load_pack(path)
    except InputError as exc:
        assert_cli_lines(exc)
        return "error"
    return "loaded"


def check_result(folder: Path, text: str, render: bool = False) -> str:
    """A Result as `report` and `diff` read it; with `render`, a loaded one goes through every renderer."""
    path = _write(folder, "result.json", text)
    try:
        result = load_result(path)
    except InputError as exc:
        assert_cli_lines(exc)
        return "error"
    if render:
        render_everything(result, folder)
    return "loaded"


def render_everything(result: Any, folder: Path) -> None:
    from cyberaudit.diff import diff_results, diff_to_markdown, diff_to_text
    from cyberaudit.gate import check_gate
    from cyberaudit.render import RenderOptions, available_formats
    from cyberaudit.render.terminal import print_summary

    for name, fmt in available_formats().items():
        if name != "pdf":
            fmt.renderer()(result, RenderOptions())
    fmt = available_formats()["markdown"]
    fmt.renderer()(result, RenderOptions(redact=True))
    changes = diff_results(result, result)
    diff_to_text(changes)
    diff_to_markdown(changes)
    changes.to_json()
    check_gate(result, fail_under=50, fail_on="high", allow_errors=False)
    import io

    from rich.console import Console
    print_summary(result, Console(file=io.StringIO(), width=100), verbose=True)


def check_tracker_list(folder: Path, text: str, fmt: str) -> str:
    from cyberaudit.probes.privacy.lists import load_tracker_list

    path = _write(folder, "list.txt", text)
    try:
        load_tracker_list(TrackerList(file=str(path), format=fmt))
    except InputError as exc:
        assert_cli_lines(exc)
        return "error"
    return "loaded"


def check_mfa_export(folder: Path, data: bytes, fmt: str) -> str:
    from cyberaudit.probes.mfa.exports import ENTRA, GOOGLE_WORKSPACE, csv_layout, parse_export

    layout = {"google_workspace": GOOGLE_WORKSPACE, "entra": ENTRA,
              "csv": csv_layout({"email": "Mail", "enrolled": "MFA", "admin": "Role"})}[fmt]
    path = folder / "export.csv"
    path.write_bytes(data)
    try:
        parse_export(path, layout, admins=["boss@lakeside.example"])
    except InputError as exc:
        assert_cli_lines(exc)
        return "error"
    return "loaded"
