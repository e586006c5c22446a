"""The probe registry: every probe a rule may name, and the facts each one publishes."""

from __future__ import annotations

import importlib
from functools import cache

from cyberaudit.probes.base import FactSpec, Probe

# name → module defining PROBE. A probe whose module is absent is "not available": its rules
# report `error` with that reason, never pass.
PROBE_MODULES: dict[str, str] = {
    "declared": "cyberaudit.probes.declared.probe",
    "tls": "cyberaudit.probes.tls.probe",
    "http": "cyberaudit.probes.http.probe",
    "privacy": "cyberaudit.probes.privacy.probe",
    "email": "cyberaudit.probes.email.probe",
    "smtp": "cyberaudit.probes.smtp.probe",
    "mfa": "cyberaudit.probes.mfa.probe",
    "retention": "cyberaudit.probes.retention.probe",
    "device": "cyberaudit.probes.device.probe",
    "safeguards": "cyberaudit.probes.safeguards.probe",
}


@cache
def available_probes() -> dict[str, Probe]:
    """The probes whose code is installed, by name."""
    out: dict[str, Probe] = {}
    for name, module_name in PROBE_MODULES.items():
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue
            raise
        out[name] = module.PROBE
    return out


def get_probe(name: str) -> Probe | None:
    return available_probes().get(name)


def fact_specs(name: str) -> tuple[FactSpec, ...] | None:
    """The facts a probe publishes, or None when the probe is not available."""
    probe = get_probe(name)
    return None if probe is None else probe.facts


def fact_is_published(probe_name: str, path: str) -> bool | None:
    """Whether `path` is a documented fact of the probe (None: probe not available).

    Spec paths may use `*` for one segment of any name (`http.headers.*`), and a spec of type
    `object` with `*` admits any path below it.
    """
    specs = fact_specs(probe_name)
    if specs is None:
        return None
    if path.endswith("[]"):  # `fact: "."` inside a quantifier over a list of plain values
        return _is_list_fact(specs, path[:-2])
    want = path.split(".")
    for spec in specs:
        have = spec.path.split(".")
        if len(have) == len(want) and all(h in ("*", w) for h, w in zip(have, want, strict=True)):
            return True
        if have[-1] == "**" and len(want) >= len(have) - 1 and all(
                h in ("*", w) for h, w in zip(have[:-1], want[:len(have) - 1], strict=True)):
            return True
    return False


def _is_list_fact(specs: tuple[FactSpec, ...], path: str) -> bool:
    want = path.split(".")
    return any(spec.type.startswith("list") and len(spec.path.split(".")) == len(want)
               and all(h in ("*", w) for h, w in zip(spec.path.split("."), want, strict=True)) for spec in specs)
