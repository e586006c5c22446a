"""Form fields whose name or label suggests health, identity or contact data."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Sensitivity = Literal["health", "identity", "contact"]

# Matched against "name label type" lower-cased, with _ - . turned into spaces so `date_of_birth`,
# `dateOfBirth` (split on case below) and "Date of birth" all read alike.
_PATTERNS: tuple[tuple[Sensitivity, re.Pattern[str]], ...] = (
    ("health", re.compile(
        r"diagnos|symptom|medicat|prescri|\bmeds?\b|pharmac|allerg|(medical|health|mental|current) conditions?|treatment|therap|"
        r"counsel|mental|psych|depress|anxi|suicid|self harm|trauma|ptsd|bipolar|adhd|eating disorder|"
        r"substance|alcohol|drug|addict|health|medical|illness|disabilit|pregnan|hospital|"
        r"reason for (visit|seeking|contact)|presenting (problem|concern)|concerns?\b|icd|dsm|"
        r"physician|doctor|provider|clinician|sessions?\b")),
    ("identity", re.compile(
        r"\bdob\b|date of birth|birth ?date|birthday|\bssn\b|social security|\bsin\b|national (id|insurance)|"
        r"insurance|insurer|member ?id|policy (number|no|id)|subscriber|group (number|no)|medicaid|"
        r"medicare|passport|driver'?s? licen|licen[cs]e (number|no)|\bgender\b|\bsex\b|pronoun|"
        r"sexual orientation|\bethnic|\brace\b|religio|emergency contact|guardian|\bnhs\b")),
    ("contact", re.compile(
        r"e ?mail|phone|\btel\b|mobile|\bcell|\bname\b|first ?name|last ?name|surname|full ?name|"
        r"address|street|\bcity\b|\bzip\b|postal|postcode")),
)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_SEPARATORS = re.compile(r"[_\-.\[\]]+")


@dataclass(frozen=True)
class SensitiveField:
    name: str
    label: str | None
    kind: Sensitivity


def field_kind(name: str, label: str | None, input_type: str) -> Sensitivity | None:
    """The most sensitive kind a field's name, label or type suggests, or None."""
    text = " ".join(filter(None, (_CAMEL.sub(" ", name), label, input_type)))
    text = _SEPARATORS.sub(" ", text).lower()
    if input_type.lower() in ("email", "tel"):
        text += " email"
    for kind, pattern in _PATTERNS:
        if pattern.search(text):
            return kind
    return None
