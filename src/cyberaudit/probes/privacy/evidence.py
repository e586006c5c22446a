"""What was seen of one page: its HTML and, in browser mode, its requests, cookies and storage."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ObservedRequest:
    """A request the page made while it rendered (whether or not it succeeded)."""

    url: str
    resource_type: str  # Chromium's: script, image, xhr, fetch, document, stylesheet, ping, ...
    failed: str | None = None  # why it failed (unreachable host, blocked), None when it completed


@dataclass(frozen=True)
class ObservedCookie:
    name: str
    domain: str  # as the browser stored it, without a leading dot


@dataclass(frozen=True)
class StorageKey:
    origin: str
    key: str


@dataclass(frozen=True)
class PageEvidence:
    """One configured page. `html` is the served HTML (static) or the rendered DOM (browser)."""

    page: str
    url: str
    final_url: str
    status: int | None
    html: str | None
    error: str | None = None
    truncated: bool = False  # the body was cut at the size cap: what follows the cut was not seen
    partial: str | None = None  # why only part of the HTML could be read (charset, markup, bounds)
    requests: tuple[ObservedRequest, ...] = ()
    cookies: tuple[ObservedCookie, ...] = ()
    storage: tuple[StorageKey, ...] = ()
    frames: tuple[tuple[str, str], ...] = ()  # (frame URL, rendered HTML) of embedded frames (browser)
