"""Clicking a cookie banner's "Accept" or "Reject" button, to see what loads after a visitor's choice."""

from __future__ import annotations

import re
from typing import Any

_ACCEPT_SELECTORS = (
    "#onetrust-accept-btn-handler", "#CybotCookiebotDialogBodyLevelButtonLevelOptinAllowAll",
    "#CybotCookiebotDialogBodyButtonAccept", "[data-cky-tag=accept-button]", "#didomi-notice-agree-button",
    "[data-testid=uc-accept-all-button]", ".osano-cm-accept-all", "#truste-consent-button", ".cc-allow",
    "#termly-code-snippet-support .t-acceptAllButton", ".iubenda-cs-accept-btn",
)
_ACCEPT_TEXT = re.compile(r"^\s*(accept( all)?( cookies)?|allow( all)?( cookies)?|i agree|agree( and close)?|"
                          r"ok(ay)?|got it|i accept|yes,? i agree)\s*[.!]?\s*$", re.IGNORECASE)
_REJECT_SELECTORS = (
    "#onetrust-reject-all-handler", "#CybotCookiebotDialogBodyButtonDecline", "[data-cky-tag=reject-button]",
    "#didomi-notice-disagree-button", "[data-testid=uc-deny-all-button]", ".osano-cm-denyAll", ".cc-deny",
    ".iubenda-cs-reject-btn", "#truste-consent-required",
)
_REJECT_TEXT = re.compile(r"^\s*(reject( all)?( cookies)?|decline( all)?( cookies)?|deny( all)?|refuse( all)?|"
                          r"(use )?(only|strictly) (necessary|essential)( cookies)?|necessary( cookies)? only|"
                          r"essential( cookies)? only|no,? thanks|do not accept|i do not agree)\s*[.!]?\s*$",
                          re.IGNORECASE)


async def click_accept(page: Any, timeout_ms: int) -> bool:
    """Best effort: click the banner's accept button."""
    return await _click(page, _ACCEPT_SELECTORS, _ACCEPT_TEXT, timeout_ms)


async def click_reject(page: Any, timeout_ms: int) -> bool:
    """Best effort: click the banner's reject button."""
    return await _click(page, _REJECT_SELECTORS, _REJECT_TEXT, timeout_ms)


async def _click(page: Any, selectors: tuple[str, ...], text: re.Pattern[str], timeout_ms: int) -> bool:
    # known banner ids first, then a button or link whose whole text says the choice
    for selector in selectors:
        loc = page.locator(selector)
        try:
            if await loc.count() and await loc.first.is_visible():
                await loc.first.click(timeout=timeout_ms)
                return True
        except Exception:
            continue
    for role in ("button", "link"):
        loc = page.get_by_role(role, name=text)
        try:
            if await loc.count():
                await loc.first.click(timeout=timeout_ms)
                return True
        except Exception:
            continue
    return False
