"""Scans without a profile: URLs and domains from the command line or a targets file.

`https://lakeside.example/` is a website; a bare `lakeside.example` is its website and its mail
domain. The profile written from them describes no practice, so practice and declared checks
(devices, MFA, retention, platforms, safeguards) are not applicable.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

from cyberaudit.errors import InputError
from cyberaudit.userfiles import read_user_bytes

ADHOC_NAME = "command-line targets"
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def _is_domain(text: str) -> bool:
    labels = text.rstrip(".").split(".")
    return len(labels) >= 2 and len(text) <= 253 and all(_LABEL.match(lab) for lab in labels) \
        and not labels[-1].isdigit()


def classify(text: str, where: str = "target") -> tuple[str, str]:
    """("website", URL) for an http(s) URL, ("domain", name) for a bare domain; else an InputError."""
    value = text.strip()
    if "://" in value:
        try:
            parts = urlsplit(value)
            parts.port  # noqa: B018 - raises ValueError for a port that is not a number
        except ValueError:
            raise InputError(f"{where}: {value!r} is not a valid URL") from None
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise InputError(f"{where}: {value!r}: only http:// and https:// URLs can be scanned")
        return "website", value if parts.path else value + "/"
    domain = value.lower()
    if not _is_domain(domain):
        raise InputError(f"{where}: {value!r} is neither a URL (https://…) nor a domain name (example.org)")
    return "domain", domain.rstrip(".")


def read_targets_file(path: Path) -> list[tuple[str, str]]:
    """One URL or domain a line; `#` starts a comment; a bad line is an error naming its line."""
    raw = read_user_bytes(path, "targets file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", path) from None
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        item = line.split("#", 1)[0].strip()
        if item:
            try:
                out.append(classify(item, "target"))
            except InputError as exc:
                raise InputError(exc.message.removeprefix("target: "), path, n) from None
    if not out:
        raise InputError("no targets in the file (one URL or domain a line)", path)
    return out


def adhoc_profile(items: Iterable[tuple[str, str]]) -> str:
    """The YAML text of a profile that scans these targets and describes no practice."""
    websites: list[str] = []
    mail: list[str] = []
    for kind, value in items:
        if kind == "website":
            websites.append(value)
        else:
            websites.append(f"https://{value}/")
            mail.append(value)
    websites, mail = list(dict.fromkeys(websites)), list(dict.fromkeys(mail))
    # JSON strings are YAML strings: no quoting rules to get wrong
    lines = ["practice:", f"  name: {json.dumps(ADHOC_NAME)}", "targets:"]
    if websites:
        lines += ["  websites:", *(f"    - url: {json.dumps(u)}" for u in websites)]
    if mail:
        lines += ["  mail_domains:", *(f"    - domain: {json.dumps(d)}" for d in mail)]
    return "\n".join(lines) + "\n"
