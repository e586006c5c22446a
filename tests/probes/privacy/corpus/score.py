"""What the privacy probe's facts say about a corpus page, set against the page's truth."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .pages import CorpusPage


@dataclass(frozen=True)
class PageScore:
    name: str
    found: frozenset[str]
    missed: frozenset[str]
    extra: frozenset[str]
    forms: int
    health_forms: int


def score(page: CorpusPage, facts: dict[str, Any]) -> PageScore:
    found = frozenset(t["product"] for t in facts["trackers"])
    collecting = [form for form in facts["forms"] if form["collects_data"]]
    health = [form for form in collecting if form["health_fields"]]
    return PageScore(page.name, found & page.trackers, page.trackers - found, found - page.trackers,
                     len(collecting), len(health))
