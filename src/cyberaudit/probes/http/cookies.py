"""Set-Cookie headers read for their attributes only: a cookie's value is dropped at parse time."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from http.cookiejar import http2time
from typing import Any

_SAMESITE = {"strict", "lax", "none"}


@dataclass(frozen=True)
class CookieFlags:
    """One Set-Cookie without its value (RFC 6265bis §5.6)."""

    name: str
    secure: bool
    httponly: bool
    samesite: str  # "strict", "lax", "none", or "" when absent or unrecognised (browsers then default)
    persistent: bool
    expires: str | None  # ISO 8601 UTC
    max_age: int | None
    deleting: bool  # Max-Age ≤ 0 or Expires in the past: the server is removing the cookie
    domain: str | None
    path: str | None
    partitioned: bool

    def facts(self, page: str) -> dict[str, Any]:
        return {"name": self.name, "page": page, "secure": self.secure, "httponly": self.httponly,
                "samesite": self.samesite, "persistent": self.persistent, "expires": self.expires,
                "max_age": self.max_age, "deleting": self.deleting, "domain": self.domain,
                "path": self.path, "partitioned": self.partitioned,
                "host_prefix": self.name.startswith("__Host-"),
                "secure_prefix": self.name.startswith("__Secure-")}


def parse_set_cookie(header: str, now: dt.datetime | None = None) -> CookieFlags | None:
    """Parse one Set-Cookie value; None when it has no cookie name (browsers ignore those too)."""
    now = now or dt.datetime.now(dt.timezone.utc)
    first, *attrs = header.split(";")
    name, eq, _value = first.partition("=")
    name = name.strip() if eq else ""
    if not name:
        return None
    secure = httponly = partitioned = False
    samesite = ""
    expires = domain = path = None
    max_age: int | None = None
    expires_at: float | None = None
    for attr in attrs:
        key, _, val = attr.partition("=")
        key, val = key.strip().lower(), val.strip()
        if key == "secure":
            secure = True
        elif key == "httponly":
            httponly = True
        elif key == "partitioned":
            partitioned = True
        elif key == "samesite":
            samesite = val.lower() if val.lower() in _SAMESITE else ""
        elif key == "max-age":
            # an invalid Max-Age is ignored (RFC 6265bis §5.6.2)
            if re.fullmatch(r"-?[0-9]{1,12}", val):
                max_age = int(val)
        elif key == "expires":
            expires_at = http2time(val)
        elif key == "domain":
            domain = val.lstrip(".").lower() or None
        elif key == "path":
            path = val or None
    deleting = False
    if max_age is not None:
        # Max-Age takes precedence over Expires
        persistent = max_age > 0
        deleting = max_age <= 0
        if max_age > 0:
            expires = (now + dt.timedelta(seconds=min(max_age, 400 * 86400))).isoformat(timespec="seconds")
    elif expires_at is not None:
        when = dt.datetime.fromtimestamp(expires_at, dt.timezone.utc)
        expires = when.isoformat(timespec="seconds")
        deleting = when <= now
        persistent = not deleting
    else:
        persistent = False
    return CookieFlags(name=name[:200], secure=secure, httponly=httponly, samesite=samesite,
                       persistent=persistent, expires=expires,
                       max_age=max_age, deleting=deleting, domain=domain, path=path,
                       partitioned=partitioned)
