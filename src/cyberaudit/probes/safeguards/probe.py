"""The `safeguards` probe: policies and practices no network probe can see (HIPAA administrative
safeguards, telehealth guidelines), as the profile declares them.

For each safeguard it publishes the declared answer, whether the named document exists (its content
is never read) and how many days ago it was reviewed. An answer left out is null with the key to add,
so its rule reads `error`, never `pass`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from cyberaudit.errors import ProbeError
from cyberaudit.probes.base import FactSpec, ProbeContext, ProbeOutput
from cyberaudit.profile import SAFEGUARD_KEYS, Profile, Safeguard
from cyberaudit.targets import Target, TargetKind

_WHAT = {
    "telehealth_consent": "clients sign a telehealth informed consent",
    "risk_analysis": "a security risk analysis has been done",
    "incident_response": "there is an incident-response and breach-notification plan",
    "workforce_training": "everyone who handles client information has had security training",
    "identity_verification": "client identity is verified at intake",
    "session_security": "sessions use unique links or waiting rooms and passcodes",
    "emergency_plan": "there is an emergency plan with the client's location confirmed each session",
    "secure_networks": "sessions are held only on secure networks",
    "contingency_plan": "there is a contingency plan for technology failures",
}

FACTS: tuple[FactSpec, ...] = (
    FactSpec("safeguards.*.in_place", "bool?", "The declared answer (null: the profile does not say)."),
    FactSpec("safeguards.*.evidence", "str?", "The document named as evidence, as written."),
    FactSpec("safeguards.*.evidence_exists", "bool?", "Whether that document exists (null: none named)."),
    FactSpec("safeguards.*.evidence_ok", "bool?", "True unless a document is named and missing."),
    FactSpec("safeguards.*.reviewed", "date?", "When it was last reviewed or done (YYYY-MM-DD)."),
    FactSpec("safeguards.*.days_since_review", "int?", "Days since then (null: no date, or a date in the "
                                                       "future)."),
    FactSpec("safeguards.answered", "int", "How many of the safeguards the profile answers."),
)


class SafeguardsProbe:
    """Declared safeguards of the practice, with their evidence files and review dates."""

    name = "safeguards"
    title = "Policies and safeguards"
    scopes: frozenset[TargetKind] = frozenset({"practice"})
    requires: tuple[str, ...] = ()
    facts = FACTS

    def run(self, target: Target, ctx: ProbeContext) -> ProbeOutput:
        if target.kind != "practice":
            raise ProbeError(f"the safeguards probe does not apply to {target.kind} targets")
        return safeguard_facts(ctx.profile, dt.date.today(), ctx.resolve_path)


def safeguard_facts(profile: Profile, today: dt.date, resolve: Any) -> ProbeOutput:
    """Facts for every safeguard; `resolve` turns a profile path into a Path."""
    out = ProbeOutput()
    answered = 0
    for key in SAFEGUARD_KEYS:
        item: Safeguard = getattr(profile.safeguards, key)
        where = f"safeguards.{key}"
        facts: dict[str, Any] = {"in_place": item.in_place, "evidence": item.evidence,
                                 "reviewed": item.reviewed.isoformat() if item.reviewed else None,
                                 "days_since_review": None}
        if item.in_place is None:
            out.errors[f"{where}.in_place"] = (f"the profile does not say whether {_WHAT[key]}: add "
                                               f"{where}.in_place: true or false")
        else:
            answered += 1
        exists: bool | None = None
        facts["evidence_ok"] = True
        if item.evidence:
            try:
                exists = resolve(item.evidence).is_file()
                facts["evidence_ok"] = exists
            except OSError as exc:
                facts["evidence_ok"] = None
                for fact in ("evidence_exists", "evidence_ok"):
                    out.errors[f"{where}.{fact}"] = f"{item.evidence} could not be looked at ({exc.strerror})"
        facts["evidence_exists"] = exists
        if item.reviewed is None:
            out.errors[f"{where}.days_since_review"] = (f"the profile does not say when this was last reviewed: "
                                                        f"add {where}.reviewed: YYYY-MM-DD")
        elif item.reviewed > today:
            out.errors[f"{where}.days_since_review"] = f"{where}.reviewed ({item.reviewed.isoformat()}) is in the future"
        else:
            facts["days_since_review"] = (today - item.reviewed).days
        out.facts[key] = facts
    out.facts["answered"] = answered
    return out


PROBE = SafeguardsProbe()
