"""JUnit XML: one test case per rule and target, so CI dashboards show each check."""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET

from cyberaudit.render import RenderOptions
from cyberaudit.render.view import evidence_items
from cyberaudit.result import Finding, Result
from cyberaudit.textsafe import xml_text as x


def _body(f: Finding) -> str:
    lines = [f.message, *f.details]
    lines += [f"{k}: {', '.join(v)}" for k, v in evidence_items(f.evidence)]
    if f.remediation:
        lines.append(f"How to fix: {f.remediation}")
    if f.references:
        lines.append(f"References: {'; '.join(f.references)}")
    return x("\n".join(lines))


def class_part(target: str) -> str:
    """A target as one classname segment: CI tools split classnames at dots, so none are left in it."""
    return re.sub(r"[^A-Za-z0-9-]+", "_", target).strip("_") or "target"


def _class_parts(targets: list[str]) -> dict[str, str]:
    # Two targets that differ only in punctuation (a.example, a_example) still get distinct classnames.
    out: dict[str, str] = {}
    taken: set[str] = set()
    for t in targets:
        part = class_part(t)
        if part in taken:
            part = f"{part}_{hashlib.sha256(t.encode('utf-8')).hexdigest()[:6]}"
        taken.add(part)
        out[t] = part
    return out


def render_junit(result: Result, options: RenderOptions | None = None) -> str:
    by_target: dict[str, list[Finding]] = {}
    for f in result.findings:
        by_target.setdefault(f.target, []).append(f)
    root = ET.Element("testsuites", name=x(f"cyberaudit: {result.profile.practice}"))
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    parts = _class_parts(list(by_target))
    for target, findings in by_target.items():
        suite = ET.SubElement(root, "testsuite", name=x(target), timestamp=x(result.generated_at[:19]))
        counts = {"tests": len(findings), "failures": 0, "errors": 0, "skipped": 0}
        for f in findings:
            # classname and name both name the target, so dashboards that key tests by either (Jenkins,
            # GitLab) never merge the same rule on two websites into one test
            case = ET.SubElement(suite, "testcase", name=x(f"{f.rule_id} {f.title} ({target})"),
                                 classname=x(f"cyberaudit.{f.category}.{parts[target]}"), time="0")
            if f.status == "fail":
                counts["failures"] += 1
                el = ET.SubElement(case, "failure", message=x(f.message), type=x(f.severity))
                el.text = _body(f)
            elif f.status == "error":
                counts["errors"] += 1
                el = ET.SubElement(case, "error", message=x(f.message), type="could-not-check")
                el.text = _body(f)
            elif f.status in ("waived", "not_applicable"):
                counts["skipped"] += 1
                why = (f"waived until {f.waiver.expires}: {f.waiver.reason}" if f.status == "waived" and f.waiver
                       else f"not applicable: {f.message}")
                ET.SubElement(case, "skipped", message=x(why))
        for k, v in counts.items():
            suite.set(k, str(v))
            totals[k] += v
    for k, v in totals.items():
        root.set(k, str(v))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
