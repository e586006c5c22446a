"""Pages fetched by the http probe and shared, in the same run, with the privacy probe."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FetchedPage:
    """One configured page of a website as fetched once (the body is capped, never saved)."""

    page: str  # as configured in the profile ("/intake")
    url: str  # absolute URL requested
    final_url: str  # after redirects
    status: int | None  # None when the fetch failed
    content_type: str
    html: str | None  # decoded body for HTML pages, else None
    truncated: bool = False
    error: str | None = None  # why the page could not be fetched
    found_by: str | None = None  # for a page not in `pages:`: how the crawl found it
