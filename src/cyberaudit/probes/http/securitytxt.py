"""security.txt (RFC 9116): the fields a researcher needs to report a problem, parsed leniently."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

_SIGNED_HEADER = "-----BEGIN PGP SIGNED MESSAGE-----"
_SIGNATURE_START = "-----BEGIN PGP SIGNATURE-----"
_FIELD = re.compile(r"^([A-Za-z0-9-]+):\s*(.*?)\s*$")
# RFC 3339 date-time as RFC 9116 §2.5.5 requires (ISO 8601 profile)
_RFC3339 = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
MAX_LINES = 2000


@dataclass(frozen=True)
class SecurityTxt:
    contact: tuple[str, ...]
    expires_raw: str | None
    expires: dt.datetime | None
    expires_count: int
    signed: bool
    encryption: tuple[str, ...]
    policy: tuple[str, ...]
    preferred_languages: str | None
    canonical: tuple[str, ...]

    def facts(self, now: dt.datetime) -> dict[str, Any]:
        valid = self.expires is not None and self.expires_count == 1
        return {
            "contact": list(self.contact),
            "expires": self.expires.isoformat() if self.expires else self.expires_raw,
            "expires_valid": valid,
            "expired": (self.expires <= now) if valid and self.expires else None,
            "days_to_expiry": (self.expires - now).days if valid and self.expires else None,
            "expires_within_year": ((self.expires - now).days <= 366) if valid and self.expires else None,
            "signed": self.signed,
            "encryption": list(self.encryption),
            "policy": list(self.policy),
            "preferred_languages": self.preferred_languages,
            "canonical": list(self.canonical),
        }


def parse_rfc3339(text: str) -> dt.datetime | None:
    """An RFC 3339 date-time in UTC, or None when it is not one."""
    m = _RFC3339.match(text.strip())
    if not m:
        return None
    year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
    zone = m.group(8)
    if zone in ("Z", "z"):
        offset = dt.timedelta(0)
    else:
        sign = -1 if zone[0] == "-" else 1
        offset = sign * dt.timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
    try:
        local = dt.datetime(year, month, day, hour, minute, min(second, 59),
                            tzinfo=dt.timezone(offset))
    except ValueError:
        return None
    return local.astimezone(dt.timezone.utc)


def parse_security_txt(text: str) -> SecurityTxt:
    """Read the fields; an OpenPGP cleartext signature (RFC 4880 §7) is recognised, not verified."""
    lines = text.splitlines()[:MAX_LINES]
    signed = bool(lines) and lines[0].strip() == _SIGNED_HEADER
    fields: dict[str, list[str]] = {}
    for raw in lines:
        line = raw.strip()
        if signed:
            if line == _SIGNATURE_START:
                break
            if line.startswith("- "):  # dash-escaped line of a cleartext signature
                line = line[2:]
        if not line or line.startswith("#"):
            continue
        m = _FIELD.match(line)
        if m:
            fields.setdefault(m.group(1).lower(), []).append(m.group(2))
    expires_values = fields.get("expires", [])
    expires_raw = expires_values[0] if expires_values else None
    return SecurityTxt(
        contact=tuple(v for v in fields.get("contact", []) if v),
        expires_raw=expires_raw,
        expires=parse_rfc3339(expires_raw) if expires_raw else None,
        expires_count=len(expires_values),
        signed=signed,
        encryption=tuple(fields.get("encryption", [])),
        policy=tuple(fields.get("policy", [])),
        preferred_languages=(fields.get("preferred-languages") or [None])[0],
        canonical=tuple(fields.get("canonical", [])),
    )
