"""The piece of the email probe's fact tree that one part (SPF, DMARC, ...) produces."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Section:
    """Facts of one part of the tree and the errors that concern it (keys are full fact paths)."""

    facts: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)
