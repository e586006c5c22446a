"""What a scan looks at: one Target per website, endpoint, mail domain, platform and the practice."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

TargetKind = Literal["website", "endpoint", "mail_domain", "platform", "practice"]
TARGET_KINDS: tuple[TargetKind, ...] = ("website", "endpoint", "mail_domain", "platform", "practice")


@dataclass(frozen=True)
class Target:
    """One thing rules are evaluated against.

    `id` is the target as written in the profile: a website's URL, an endpoint's host:port, a mail
    domain, a platform's name, or "practice". `spec` is the profile's model object for it.
    """

    kind: TargetKind
    id: str
    spec: Any = None
    line: int | None = None  # line of the profile that declares it (SARIF locations)

    @property
    def host(self) -> str | None:
        return getattr(self.spec, "host", None)
