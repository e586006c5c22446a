"""Documentation of every fact the probes publish, generated from their FactSpecs."""

from __future__ import annotations

import json

from cyberaudit.errors import InputError
from cyberaudit.probes import PROBE_MODULES, available_probes


def render_facts(only: str | None = None, fmt: str = "text") -> str:
    """Text, Markdown or JSON listing of facts, for one probe or all."""
    probes = available_probes()
    if only is not None and only not in PROBE_MODULES:
        raise InputError(f"unknown probe {only!r} (probes: {', '.join(PROBE_MODULES)})")
    names = [only] if only else list(PROBE_MODULES)
    if fmt == "json":
        data = {n: None if n not in probes else {
            "title": probes[n].title, "scopes": sorted(probes[n].scopes), "requires": list(probes[n].requires),
            "facts": [{"path": f.path, "type": f.type, "description": f.description} for f in probes[n].facts]}
            for n in names}
        return json.dumps(data, indent=2) + "\n"
    if fmt not in ("text", "markdown"):
        raise InputError(f"unknown format {fmt!r} (text, markdown or json)")
    md = fmt == "markdown"
    out: list[str] = ["# Facts published by the probes", ""] if md else []
    for n in names:
        probe = probes.get(n)
        if probe is None:
            out += [f"## {n}" if md else n, "", "(not available in this installation)", ""]
            continue
        head = f"{n} — {probe.title} (runs on: {', '.join(sorted(probe.scopes))})"
        if md:
            out += [f"## {head}", "", "| fact | type | meaning |", "|---|---|---|"]
            out += [f"| `{f.path}` | {f.type} | {f.description.replace('|', '/')} |" for f in probe.facts]
            out.append("")
        else:
            out.append(head)
            width = max((len(f.path) for f in probe.facts), default=0)
            out += [f"  {f.path:<{width}}  {f.type:<8}  {f.description}" for f in probe.facts]
            out.append("")
    return "\n".join(out)
