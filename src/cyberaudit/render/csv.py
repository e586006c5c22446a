"""CSV: one row per finding, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
import json

from cyberaudit.render import RenderOptions
from cyberaudit.result import Result
from cyberaudit.textsafe import csv_cell

COLUMNS = ("target", "target_kind", "rule_id", "title", "status", "severity", "category", "effort", "message",
           "details", "evidence", "remediation", "references", "waiver_reason", "waiver_expires", "pack")


def render_csv(result: Result, options: RenderOptions | None = None) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for f in result.findings:
        row = (f.target, f.target_kind, f.rule_id, f.title, f.status, f.severity, f.category, f.effort, f.message,
               " | ".join(f.details),
               json.dumps(dict(f.evidence), ensure_ascii=False, sort_keys=True) if f.evidence else "",
               f.remediation, "; ".join(f.references),
               f.waiver.reason if f.waiver else "", f.waiver.expires if f.waiver else "", f.pack)
        writer.writerow([csv_cell(v) for v in row])
    return buf.getvalue()
