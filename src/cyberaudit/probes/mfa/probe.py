"""The `mfa` probe: who has multi-factor sign-in, from the admin-console exports in `evidence.mfa`.

One practice-level result with a breakdown per export and per platform. A file that cannot be read
makes the summary (and its platform) unknown, never a pass: the reason names the file and line.
"""

from __future__ import annotations

import hashlib
from typing import Any

from cyberaudit.errors import InputError, ProbeError
from cyberaudit.probes.base import FactSpec, ProbeContext, ProbeOutput
from cyberaudit.probes.mfa.exports import (
    ENTRA,
    GOOGLE_WORKSPACE,
    ExportUser,
    Layout,
    csv_layout,
    parse_export,
)
from cyberaudit.profile import MfaEvidence
from cyberaudit.targets import Target, TargetKind

_COUNTS = (
    ("users", "int", "Accounts listed (guests excluded)."),
    ("active_users", "int", "Accounts not suspended, disabled or blocked."),
    ("excluded", "int", "Suspended, disabled or blocked accounts, left out of coverage."),
    ("enrolled", "int", "Active accounts enrolled in MFA (2-Step Verification / MFA capable)."),
    ("not_enrolled_count", "int", "Active accounts not enrolled."),
    ("coverage_percent", "float?", "Enrolled active accounts as a percentage of active accounts, rounded "
                                   "to 2 decimals for display (never 100 while an account is missing)."),
    ("coverage_percent_exact", "float?", "The same percentage unrounded, which the rules compare."),
    ("admins", "int?", "Active administrator accounts (null: the export does not say who is admin)."),
    ("admins_not_enrolled_count", "int?", "Active administrator accounts not enrolled."),
)


def _specs() -> tuple[FactSpec, ...]:
    out = [
        FactSpec("mfa.configured", "int", "Number of exports listed under evidence.mfa."),
        FactSpec("mfa.summary.not_enrolled", "list", "Active accounts not enrolled, by e-mail address "
                                                     "(user-<hash> with --redact)."),
        FactSpec("mfa.summary.admins_not_enrolled", "list?", "Administrator accounts not enrolled, by "
                                                             "e-mail address."),
        FactSpec("mfa.summary.missing", "list", "Accounts without MFA: email, name (null with --redact), "
                                                "platform, admin, file, line."),
        FactSpec("mfa.exports", "list", "One entry per export: file, format, platform, the counts below, "
                                        "enrolled_column, admin_column, error."),
        FactSpec("mfa.platforms", "list", "One entry per platform named in the exports: name and the "
                                          "counts below."),
    ]
    for key, typ, text in _COUNTS:
        # counts are null when an export could not be read
        typ = typ if typ.endswith("?") else typ + "?"
        text = text[0].lower() + text[1:]
        out.append(FactSpec(f"mfa.summary.{key}", typ, f"All exports: {text}"))
        out.append(FactSpec(f"mfa.exports[].{key}", typ, f"This export: {text}"))
        out.append(FactSpec(f"mfa.platforms[].{key}", typ, f"This platform: {text}"))
    for key, typ, text in (("file", "str", "The export file as written in the profile."),
                           ("format", "str", "google_workspace, entra or csv."),
                           ("platform", "str?", "The platform the export belongs to."),
                           ("enrolled_column", "str?", "The column read as MFA enrolment."),
                           ("admin_column", "str?", "The column read as administrator role."),
                           ("guests_excluded", "int?", "Guest accounts left out (Entra)."),
                           ("error", "str?", "Why the export could not be read (file:line: problem).")):
        out.append(FactSpec(f"mfa.exports[].{key}", typ, text))
    out.append(FactSpec("mfa.platforms[].name", "str", "The platform's name (or 'unnamed')."))
    out.append(FactSpec("mfa.platforms[].error", "str?", "Why an export of this platform could not be read."))
    return tuple(out)


def redact_email(email: str) -> str:
    """A stable short pseudonym for an address: user- and 10 hex digits of its SHA-256."""
    return "user-" + hashlib.sha256(email.strip().lower().encode("utf-8")).hexdigest()[:10]


def _layout(entry: MfaEvidence) -> Layout:
    if entry.format == "google_workspace":
        return GOOGLE_WORKSPACE
    if entry.format == "entra":
        return ENTRA
    return csv_layout(entry.columns or {})


def _shown_percent(enrolled: int, active: int) -> float:
    """Rounded to 2 decimals, but 1 missing of 20,001 shows as 99.99, not 100."""
    shown = round(100.0 * enrolled / active, 2)
    return min(shown, 99.99) if enrolled < active else shown


def _counts(users: list[ExportUser], admins_known: bool) -> dict[str, Any]:
    active = [u for u in users if u.active]
    enrolled = [u for u in active if u.enrolled]
    out: dict[str, Any] = {
        "users": len(users),
        "active_users": len(active),
        "excluded": len(users) - len(active),
        "enrolled": len(enrolled),
        "not_enrolled_count": len(active) - len(enrolled),
        "coverage_percent": _shown_percent(len(enrolled), len(active)) if active else None,
        "coverage_percent_exact": 100.0 * len(enrolled) / len(active) if active else None,
        "admins": None,
        "admins_not_enrolled_count": None,
    }
    if admins_known:
        admins = [u for u in active if u.admin]
        out["admins"] = len(admins)
        out["admins_not_enrolled_count"] = sum(1 for u in admins if not u.enrolled)
    return out


class MfaProbe:
    """MFA enrolment from admin-console exports, for the practice target."""

    name = "mfa"
    title = "MFA enrolment from admin exports"
    scopes: frozenset[TargetKind] = frozenset({"practice"})
    requires: tuple[str, ...] = ()
    facts = _specs()

    def run(self, target: Target, ctx: ProbeContext) -> ProbeOutput:
        if target.kind != "practice":
            raise ProbeError(f"the mfa probe does not apply to {target.kind} targets")
        entries = list(ctx.profile.evidence.mfa)
        redact = ctx.options.redact
        out = ProbeOutput()
        exports: list[dict[str, Any]] = []
        all_users: list[tuple[ExportUser, MfaEvidence]] = []
        failed: list[str] = []
        by_platform: dict[str, dict[str, Any]] = {}
        for entry in entries:
            ctx.check_deadline("reading the MFA exports")
            platform = entry.platform or "unnamed"
            slot = by_platform.setdefault(platform, {"users": [], "admins_known": True, "errors": []})
            item: dict[str, Any] = {"file": entry.file, "format": entry.format, "platform": entry.platform,
                                    "enrolled_column": None, "admin_column": None, "guests_excluded": None,
                                    "error": None}
            try:
                parsed = parse_export(ctx.resolve_path(entry.file), _layout(entry),
                                      entry.admins)
            except InputError as exc:
                item["error"] = str(exc)
                item.update({k: None for k, _, _ in _COUNTS})
                failed.append(str(exc))
                slot["errors"].append(str(exc))
                exports.append(item)
                continue
            users = list(parsed.users)
            admins_known = parsed.admin_column is not None or bool(entry.admins)
            item.update(_counts(users, admins_known))
            item.update(enrolled_column=parsed.enrolled_column, admin_column=parsed.admin_column,
                        guests_excluded=parsed.guests_excluded)
            exports.append(item)
            all_users += [(u, entry) for u in users]
            slot["users"] += users
            slot["admins_known"] = slot["admins_known"] and admins_known

        all_admins_known = all(s["admins_known"] for s in by_platform.values())
        summary = _counts([u for u, _ in all_users], all_admins_known)
        missing = [(u, e) for u, e in all_users if u.active and not u.enrolled]

        def show(email: str) -> str:
            return redact_email(email) if redact else email

        summary["not_enrolled"] = [show(u.email) for u, _ in missing]
        summary["admins_not_enrolled"] = ([show(u.email) for u, _ in missing if u.admin]
                                          if all_admins_known else None)
        summary["missing"] = [{"email": show(u.email), "name": None if redact else u.name,
                               "platform": e.platform, "admin": u.admin, "file": e.file, "line": u.line}
                              for u, e in missing]
        platforms = []
        for name, slot in by_platform.items():
            counts = _counts(slot["users"], slot["admins_known"])
            if slot["errors"]:
                counts = {k: None for k in counts}
            platforms.append({"name": name, **counts, "error": "; ".join(slot["errors"]) or None})
        out.facts = {"configured": len(entries), "summary": summary, "exports": exports,
                     "platforms": platforms}

        if failed:
            # partial counts would read as the whole practice; keep only who is known to be missing
            summary.update({k: None for k, _, _ in _COUNTS})
            out.errors["mfa.summary"] = "; ".join(failed)
        elif entries:
            if summary["active_users"] == 0:
                out.errors["mfa.summary.coverage_percent"] = "the exports list no active account"
                out.errors["mfa.summary.coverage_percent_exact"] = out.errors["mfa.summary.coverage_percent"]
            if not all_admins_known:
                no_admin = [e["file"] for e in exports if e["admin_column"] is None]
                out.errors["mfa.summary.admins"] = out.errors["mfa.summary.admins_not_enrolled_count"] = (
                    f"{', '.join(no_admin)} does not say who is an administrator: add admins: [addresses] "
                    f"to its evidence.mfa entry")
                out.errors["mfa.summary.admins_not_enrolled"] = out.errors["mfa.summary.admins"]
            elif summary["admins"] == 0:
                out.errors["mfa.summary.admins_not_enrolled_count"] = (
                    "the exports mark no active account as an administrator, so admin enrolment cannot be "
                    "judged: export with the admin column or list admins: in the profile")
        return out


PROBE = MfaProbe()
