"""The probe interface: a probe turns one target into a JSON-able tree of facts.

Probes know nothing of rules. A probe publishes facts under its own name (`tls.protocols.tls1_0`)
and documents each one as a FactSpec; rule packs may only read documented facts.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from cyberaudit.errors import ProbeError
from cyberaudit.targets import Target, TargetKind

if TYPE_CHECKING:
    from cyberaudit.network import Network
    from cyberaudit.profile import Profile

__all__ = ["FactSpec", "Probe", "ProbeContext", "ProbeError", "ProbeOutput", "ScanOptions"]


@dataclass(frozen=True)
class FactSpec:
    """One published fact. Paths of list elements use `[]`: `http.cookies[].secure`."""

    path: str
    type: str  # bool, int, float, str, date, list, object, null-able types as "int?"
    description: str


@dataclass
class ProbeOutput:
    """What a probe found for one target.

    `facts` is the tree below the probe's name (the engine nests it as facts[probe.name]).
    `errors` maps a fact path prefix (full path, e.g. "email.dmarc") to why those facts could not be
    determined; rules that read them become `error`, not `fail`.
    `artifacts` are kept for dependent probes in the same run and never saved (e.g. page bodies).
    """

    facts: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    artifacts: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ScanOptions:
    """Scan-wide choices that probes may read."""

    browser: bool = False
    browser_accept_consent: bool = False
    browser_reject_consent: bool = False
    redact: bool = False
    probe_timeout: float = 60.0


@dataclass
class ProbeContext:
    """Everything a probe may use: the profile, the network, its deadline and earlier outputs."""

    profile: Profile
    network: Network
    options: ScanOptions
    deadline: float  # time.monotonic() value by which the probe must return
    deps: dict[str, ProbeOutput] = field(default_factory=dict)
    profile_dir: Any = None  # pathlib.Path of the profile's folder, for relative evidence paths

    def remaining(self) -> float:
        """Seconds left before the deadline (never negative)."""
        return max(0.0, self.deadline - time.monotonic())

    def resolve_path(self, value: str) -> Path:
        """A path the profile names: ~ expanded, relative to the profile's folder."""
        path = Path(value).expanduser()
        return path if path.is_absolute() else (self.profile_dir or Path.cwd()) / path

    def check_deadline(self, what: str = "probe") -> None:
        if time.monotonic() > self.deadline:
            raise ProbeError(f"{what} did not finish before the deadline")


class Probe(Protocol):
    """A probe: `run` returns facts for one target or raises ProbeError."""

    name: str
    title: str
    scopes: frozenset[TargetKind]
    requires: tuple[str, ...]  # probes whose output this one reads (same target), run first
    facts: tuple[FactSpec, ...]
    # optional `redacts_urls = True`: the probe passes its own output through urlsafe.safe_facts,
    # so the engine does not make a second pass over it
    # optional `prepare(network)`: loads what every run needs (a trust store, a database) once,
    # before the scan's first probes start, instead of inside the first runs as they compete

    def run(self, target: Target, ctx: ProbeContext) -> ProbeOutput: ...
