"""What was seen of one page: its HTML and, in browser mode, its requests, cookies and storage."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ObservedRequest:
    """A request the page made while it rendered (whether or not it succeeded)."""

    url: str
    resource_type: str  # Chromium's: script, image, xhr, fetch, document, stylesheet, ping, ...
    failed: str | None = None  # why it failed (unreachable host, blocked), None when it completed
    method: str = "GET"  # WS for a WebSocket frame the page sent
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""  # POST body or WebSocket frame, capped (browser mode)
    after_typing: bool = False  # sent once canary values were typed into the page's forms


@dataclass(frozen=True)
class TypedField:
    """A form field the browser typed a canary value into (never submitted)."""

    field: str
    kind: str  # email, phone, name, date of birth, health, text
    value: str
    frame: str | None = None  # the embedded frame's URL, None for the page itself
    choice: bool = False  # a select option, radio or checkbox picked, not typed
    also: tuple[str, ...] = ()  # the same choice as a script may send it: the option's text


@dataclass(frozen=True)
class CanvasRead:
    """A script read pixels back from a canvas (toDataURL, getImageData, toBlob)."""

    script: str
    method: str
    width: int
    height: int
    text: str  # text drawn on that canvas before it was read


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
    typed: tuple[TypedField, ...] = ()
    canvas: tuple[CanvasRead, ...] = ()
    consent: str | None = None  # accepted, rejected, or None when no banner was clicked
    consent_before: tuple[ObservedRequest, ...] = ()  # requests made before the banner was clicked
    found_by: str | None = None  # a page not in `pages:`: how the crawl found it
    incomplete: str | None = None  # the page had not finished loading by its deadline: what was checked
