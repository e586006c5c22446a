"""Running a control probe directly and evaluating the built-in rules on its output."""

from __future__ import annotations

import datetime as dt
import time
from functools import cache
from pathlib import Path
from typing import Any

from cyberaudit.evaluate import TargetFacts, evaluate_rule
from cyberaudit.network import Network, NetworkSettings
from cyberaudit.packs import Rule, load_pack
from cyberaudit.probes.base import ProbeContext, ProbeOutput, ScanOptions
from cyberaudit.profile import Profile
from cyberaudit.targets import Target

RULES = Path(__file__).resolve().parents[2] / "rules"


def profile(data: dict[str, Any]) -> Profile:
    data = {"practice": {"name": "Lakeside Counseling"}, **data}
    return Profile.model_validate(data)


def context(prof: Profile, base: Path | None = None, redact: bool = False, seconds: float = 20) -> ProbeContext:
    return ProbeContext(profile=prof, network=Network(NetworkSettings()), options=ScanOptions(redact=redact),
                        deadline=time.monotonic() + seconds, profile_dir=base)


def practice(prof: Profile) -> Target:
    return Target("practice", "practice", prof)


def platform(prof: Profile, i: int) -> Target:
    return Target("platform", prof.platforms[i].name, prof.platforms[i])


@cache
def rule(rule_id: str) -> Rule:
    for name in ("encryption", "mfa", "retention", "platforms", "safeguards"):
        for r in load_pack(RULES / f"{name}.yaml", builtin=True).rules:
            if r.id == rule_id:
                return r
    raise KeyError(rule_id)


def finding(rule_id: str, out: ProbeOutput, target: Target, **params: Any):
    """The finding the real evaluator gives for a rule on this probe output."""
    r = rule(rule_id)
    tf = TargetFacts(facts={r.probe: out.facts}, errors=out.errors, probe_errors={}, unavailable=frozenset())
    return evaluate_rule(r, target, tf, {**r.default_params(), **params}, (), dt.date.today())


def status(rule_id: str, out: ProbeOutput, target: Target, **params: Any) -> str:
    return finding(rule_id, out, target, **params).status
