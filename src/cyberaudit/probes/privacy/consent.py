"""Clicking a cookie banner's "Reject" button, to see what still loads after a visitor says no."""

from __future__ import annotations

import re
from typing import Any

_REJECT_SELECTORS = (
    "#onetrust-reject-all-handler", "#CybotCookiebotDialogBodyButtonDecline", "[data-cky-tag=reject-button]",
    "#didomi-notice-disagree-button", "[data-testid=uc-deny-all-button]", ".osano-cm-denyAll", ".cc-deny",
    ".iubenda-cs-reject-btn", "#truste-consent-required",
)
_REJECT_TEXT = re.compile(r"^\s*(reject( all)?( cookies)?|decline( all)?( cookies)?|deny( all)?|refuse( all)?|"
                          r"(use )?(only|strictly) (necessary|essential)( cookies)?|necessary( cookies)? only|"
                          r"essential( cookies)? only|no,? thanks|do not accept|i do not agree)\s*[.!]?\s*$",
                          re.IGNORECASE)


def click_reject(page: Any, timeout_ms: int) -> bool:
    """Best effort: click the banner's reject button (known ids first, then button text)."""
    for selector in _REJECT_SELECTORS:
        loc = page.locator(selector)
        try:
            if loc.count() and loc.first.is_visible():
                loc.first.click(timeout=timeout_ms)
                return True
        except Exception:
            continue
    for role in ("button", "link"):
        loc = page.get_by_role(role, name=_REJECT_TEXT)
        try:
            if loc.count():
                loc.first.click(timeout=timeout_ms)
                return True
        except Exception:
            continue
    return False
