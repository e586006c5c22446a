"""Pages fetched by the http probe and shared, in the same run, with the privacy probe."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from cyberaudit.network import HttpResponse
from cyberaudit.probes.http.sites import host_of, registrable_domain

PARTIAL = "only part of the page could be read"


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
    partial: str | None = None  # why only part of the HTML could be read (charset, markup, bounds)
    found_by: str | None = None  # for a page not in `pages:`: how the crawl found it


def _explicit_port(url: str) -> int | None:
    """The port a URL names, None when it is its scheme's default (http→https keeps the site)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return -1
    return None if port in (None, {"http": 80, "https": 443}.get(parts.scheme.lower())) else port


def same_practice_site(url: str, *own: str) -> bool:
    """The URL is on one of the `own` sites: the same registrable domain (the same host for an IP
    address) and the same port, whatever the scheme. Anything else is another site."""
    host = host_of(url)
    if not host:
        return False
    for other in own:
        other_host = host_of(other)
        if (other_host and registrable_domain(host) == registrable_domain(other_host)
                and _explicit_port(url) == _explicit_port(other)):
            return True
    return False


def own_responses(chain: tuple[HttpResponse, ...], *own: str) -> list[HttpResponse]:
    """The responses of a redirect chain that came from the practice's own site."""
    return [r for r in chain if same_practice_site(r.url, *own)]
