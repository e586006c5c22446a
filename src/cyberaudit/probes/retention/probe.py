"""The `retention` probe: how old the files in the practice's configured folders are.

It walks `controls.retention.paths` (never following symlinks, never opening a file) and compares
ages with each folder's maximum: its own max_age_days, else the declared policy (recordings_days
for recordings, clinical_records_years for notes). A folder that cannot be read completely never
reads as clean.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

from cyberaudit.errors import ProbeError
from cyberaudit.probes.base import FactSpec, ProbeContext, ProbeOutput
from cyberaudit.probes.retention.folder_walk import WalkResult, walk_folder
from cyberaudit.profile import Retention, RetentionPath
from cyberaudit.targets import Target, TargetKind

KINDS = ("notes", "recordings", "exports", "other")

FACTS: tuple[FactSpec, ...] = (
    FactSpec("retention.configured", "int", "Number of folders under controls.retention.paths."),
    FactSpec("retention.folders", "list", "One entry per configured folder (fields below)."),
    FactSpec("retention.folders[].path", "str", "The folder as written in the profile."),
    FactSpec("retention.folders[].kind", "str", "notes, recordings, exports or other."),
    FactSpec("retention.folders[].exists", "bool", "Whether the folder exists and is a folder."),
    FactSpec("retention.folders[].max_age_days", "float?", "The maximum age applied (null: none known)."),
    FactSpec("retention.folders[].max_age_source", "str?", "Where the maximum comes from."),
    FactSpec("retention.folders[].files", "int?", "Matching files found."),
    FactSpec("retention.folders[].bytes", "int?", "Their total size in bytes."),
    FactSpec("retention.folders[].over_max_age", "int?", "Files older than the maximum (null: could not "
                                                         "be fully determined)."),
    FactSpec("retention.folders[].oldest_age_days", "float?", "Age of the oldest matching file."),
    FactSpec("retention.folders[].oldest", "list", "The 20 oldest files: path (relative to the folder; "
                                                   "file-<hash> with --redact) and age_days."),
    FactSpec("retention.folders[].permission_errors", "int", "Folders or files that could not be read."),
    FactSpec("retention.folders[].error_paths", "list", "Up to 20 of those, relative to the folder."),
    FactSpec("retention.folders[].symlinks_skipped", "int", "Symbolic links seen and not followed."),
    FactSpec("retention.folders[].error", "str?", "Why the folder could not be checked."),
    FactSpec("retention.kinds.*.files", "int", "Matching files in folders of this kind."),
    FactSpec("retention.kinds.*.bytes", "int", "Their total size in bytes."),
    FactSpec("retention.kinds.*.over_max_age", "int?", "Files over their folder's maximum age."),
    FactSpec("retention.files", "int", "Matching files in all configured folders."),
    FactSpec("retention.bytes", "int", "Their total size in bytes."),
    FactSpec("retention.over_max_age", "int?", "Files over their folder's maximum age, all folders."),
    FactSpec("retention.oldest_age_days", "float?", "Age of the oldest matching file in any folder."),
    FactSpec("retention.permission_errors", "int", "Unreadable folders or files, all folders."),
    FactSpec("retention.recordings.declared_days", "int?", "Declared days recordings are kept "
                                                           "(controls.retention.recordings_days)."),
    FactSpec("retention.recordings.folders", "int", "Configured folders of kind recordings."),
    FactSpec("retention.recordings.files", "int", "Recording files found in them."),
    FactSpec("retention.recordings.over_declared", "int?", "Recording files older than the declared "
                                                           "period."),
    FactSpec("retention.recordings.checked_on_disk", "bool", "Whether any recordings folder was walked."),
)


def _redact_path(rel: str) -> str:
    return "file-" + hashlib.sha256(rel.encode("utf-8")).hexdigest()[:10]


def max_age_for(path: RetentionPath, retention: Retention) -> tuple[float | None, str | None]:
    """The maximum age of a folder's files and where it comes from."""
    if path.max_age_days is not None:
        return float(path.max_age_days), "max_age_days of this folder"
    if path.kind == "recordings" and retention.recordings_days is not None:
        return float(retention.recordings_days), "controls.retention.recordings_days"
    if path.kind == "notes" and retention.clinical_records_years is not None:
        return round(retention.clinical_records_years * 365.25, 1), "controls.retention.clinical_records_years"
    return None, None


class RetentionProbe:
    """File ages in the practice's configured folders, for the practice target."""

    name = "retention"
    title = "Retention of files on disk"
    scopes: frozenset[TargetKind] = frozenset({"practice"})
    requires: tuple[str, ...] = ()
    facts = FACTS

    def run(self, target: Target, ctx: ProbeContext) -> ProbeOutput:
        if target.kind != "practice":
            raise ProbeError(f"the retention probe does not apply to {target.kind} targets")
        retention = ctx.profile.controls.retention
        now = time.time()
        out = ProbeOutput()
        folders: list[dict[str, Any]] = []
        kinds: dict[str, dict[str, Any]] = {k: {"files": 0, "bytes": 0, "over_max_age": 0} for k in KINDS}
        rec_days = retention.recordings_days
        rec: dict[str, Any] = {"declared_days": rec_days, "folders": 0, "files": 0, "over_declared": None,
                               "checked_on_disk": False}
        rec_over = 0
        rec_problems: list[str] = []
        for index, conf in enumerate(retention.paths):
            ctx.check_deadline("walking the retention folders")
            root = ctx.resolve_path(conf.path)
            max_age, source = max_age_for(conf, retention)
            item: dict[str, Any] = {"path": conf.path, "kind": conf.kind, "exists": root.is_dir(),
                                    "max_age_days": max_age, "max_age_source": source, "files": None,
                                    "bytes": None, "over_max_age": None, "oldest_age_days": None, "oldest": [],
                                    "permission_errors": 0, "error_paths": [], "symlinks_skipped": 0,
                                    "error": None}
            folders.append(item)
            if conf.kind == "recordings":
                rec["folders"] += 1
            if not item["exists"]:
                what = "is not a folder" if root.exists() else "does not exist"
                where = "" if ctx.options.redact else f" ({root})"
                item["error"] = f"{conf.path}: the folder {what}{where}"
                kinds[conf.kind]["over_max_age"] = None
                if conf.kind == "recordings":
                    rec_problems.append(item["error"])
                continue
            walked = walk_folder(root, conf.patterns, max_age, now=now, deadline=ctx.deadline)
            self._fill(item, walked, conf, max_age, ctx.options.redact, index)
            k = kinds[conf.kind]
            k["files"] += walked.files
            k["bytes"] += walked.bytes
            k["over_max_age"] = (None if k["over_max_age"] is None or item["over_max_age"] is None
                                 else k["over_max_age"] + item["over_max_age"])
            if conf.kind == "recordings":
                rec["checked_on_disk"] = True
                rec["files"] += walked.files
                if rec_days is not None:
                    # recordings are judged against the declared period, whatever the folder's own maximum
                    over = (walked.over_max_age if max_age == rec_days else
                            walk_folder(root, conf.patterns, float(rec_days), now=now,
                                        deadline=ctx.deadline).over_max_age)
                    rec_over += over
                    if not over and (walked.permission_errors or not walked.complete):
                        rec_problems.append(f"{conf.path}: not every recording could be read")
        totals_over = [f["over_max_age"] for f in folders]
        out.facts = {
            "configured": len(retention.paths),
            "folders": folders,
            "kinds": kinds,
            "files": sum(f["files"] or 0 for f in folders),
            "bytes": sum(f["bytes"] or 0 for f in folders),
            "over_max_age": None if any(v is None for v in totals_over) else sum(totals_over),
            "oldest_age_days": max((f["oldest_age_days"] for f in folders if f["oldest_age_days"] is not None),
                                   default=None),
            "permission_errors": sum(f["permission_errors"] for f in folders),
            "recordings": rec,
        }
        problems = [f["error"] for f in folders if f["error"]]
        if out.facts["over_max_age"] is None and problems:
            out.errors["retention.over_max_age"] = "; ".join(problems)
        if rec_days is None:
            out.errors["retention.recordings.declared_days"] = (
                "the profile does not say how long session recordings are kept: add "
                "controls.retention.recordings_days (0 if recordings are never kept)")
            out.errors["retention.recordings.over_declared"] = out.errors["retention.recordings.declared_days"]
        elif rec_over:
            rec["over_declared"] = rec_over
        elif rec_problems:
            out.errors["retention.recordings.over_declared"] = "; ".join(rec_problems)
        else:
            rec["over_declared"] = 0
        return out

    @staticmethod
    def _fill(item: dict[str, Any], walked: WalkResult, conf: RetentionPath, max_age: float | None,
              redact: bool, index: int) -> None:
        item.update(files=walked.files, bytes=walked.bytes, permission_errors=walked.permission_errors,
                    symlinks_skipped=walked.symlinks_skipped,
                    error_paths=[_redact_path(p) if redact else p for p in walked.error_paths],
                    oldest=[{"path": _redact_path(o.path) if redact else o.path, "age_days": o.age_days}
                            for o in walked.oldest],
                    oldest_age_days=walked.oldest[0].age_days if walked.oldest else None)
        reasons = []
        if walked.permission_errors:
            reasons.append(f"{walked.permission_errors} folder(s) or file(s) could not be read")
        if not walked.complete:
            reasons.append("the walk stopped at the probe's deadline")
        if max_age is None:
            reasons.append(f"no maximum age for a folder of kind {conf.kind}: set "
                           f"controls.retention.paths[{index}].max_age_days")
        if reasons:
            item["error"] = f"{conf.path}: " + "; ".join(reasons)
        # stale files found are a finding whatever else went wrong; zero is only trusted after a full read
        clean_read = not walked.permission_errors and walked.complete and max_age is not None
        item["over_max_age"] = walked.over_max_age if (clean_read or walked.over_max_age) else None


PROBE = RetentionProbe()
