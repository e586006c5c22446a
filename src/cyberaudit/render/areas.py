"""Plain names for score categories, for readers who do not know the acronyms."""

from __future__ import annotations

AREA_NAMES: dict[str, str] = {
    "tls": "Encryption (TLS)",
    "http": "Website security",
    "privacy": "Trackers & forms",
    "email": "E-mail security",
    "mfa": "Sign-in (MFA)",
    "retention": "Data retention",
    "encryption": "Data protection",
    "platforms": "Your platforms",
    "safeguards": "Policies & safeguards",
}


def area_name(category: str) -> str:
    """The plain name of a category; a custom pack's category is shown as written."""
    return AREA_NAMES.get(category, category)
