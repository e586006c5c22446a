"""Pseudonymising personal data in a Result before it is rendered or shared.

E-mail addresses (`user-…`), file paths (`file-…`) and, when asked, cookie names (`cookie-…`) become
short stable tokens: the same value gives the same token in every run, so two redacted reports can
still be compared.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Callable, Mapping
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

from cyberaudit.compact import frozen
from cyberaudit.packed import PackedFindings
from cyberaudit.result import Finding, ProfileInfo, Result, TargetResult, WaiverInfo

EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                   r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+")
# Absolute or home-relative paths in free text. URLs are left alone: "//" follows "scheme:".
PATH = re.compile(r"(?<![\w:/.])(?:~[\\/]|/(?:home|Users|root|tmp|var|mnt|media|srv|opt|private|Volumes)/"
                  r"|[A-Za-z]:\\)[^\s\"'<>|,;]*")
_PATH_KEYS = re.compile(r"(^|_)(path|paths|file|files|folder|dir|directory|filename)$", re.I)
_COOKIE_KEYS = re.compile(r"cookie", re.I)


TOKEN = re.compile(r"^(?:user|file|cookie)-[0-9a-f]{10}$")


def token(kind: str, value: str) -> str:
    """A short stable pseudonym such as `user-3f9a1c2b4d`: the kind and 10 hex digits of SHA-256.

    The same scheme as the probes that redact at the source (the MFA probe's `user-` tokens), so an
    address gets the same token whichever step redacted it.
    """
    return f"{kind}-{hashlib.sha256(value.encode('utf-8')).hexdigest()[:10]}"


def email_token(address: str) -> str:
    return token("user", address.strip().lower())


def _walk(value: Any, fn: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, Mapping):
        return {fn(k) if isinstance(k, str) else k: _walk(v, fn) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_walk(v, fn) for v in value)
    return value


def _collect(value: Any, key: str, paths: set[str], cookies: set[str], in_cookie: bool = False) -> None:
    """Find path values and cookie names by where they sit (keys), not by how they look."""
    if isinstance(value, Mapping):
        for k, v in value.items():
            k = str(k)
            cookie_here = in_cookie or bool(_COOKIE_KEYS.search(k))
            if cookie_here and k in ("name", "cookie") and isinstance(v, str):
                cookies.add(v)
            _collect(v, k, paths, cookies, cookie_here)
    elif isinstance(value, (list, tuple)):
        for v in value:
            _collect(v, key, paths, cookies, in_cookie)
    elif isinstance(value, str):
        if (_PATH_KEYS.search(key) and value and not value.startswith(("http://", "https://"))
                and not TOKEN.match(value)):
            paths.add(value)
        if in_cookie and key.lower() in ("cookies", "cookie_names", "names") and value:
            cookies.add(value)


class _Redactor:
    def __init__(self, paths: set[str], cookies: set[str]) -> None:
        # Longest first, so a folder never hides the longer file path inside it.
        self.paths = sorted(paths, key=len, reverse=True)
        self.cookie_re = (re.compile(r"(?<![\w-])(" + "|".join(re.escape(c) for c in
                                                               sorted(cookies, key=len, reverse=True))
                                     + r")(?![\w-])") if cookies else None)

    def __call__(self, text: str) -> str:
        if not text:
            return text
        for p in self.paths:
            if p in text:
                text = text.replace(p, token("file", p))
        text = PATH.sub(lambda m: token("file", m.group(0)), text)
        text = EMAIL.sub(lambda m: email_token(m.group(0)), text)
        if self.cookie_re is not None:
            text = self.cookie_re.sub(lambda m: token("cookie", m.group(1)), text)
        return text


def _profile_name(path: str) -> str:
    # Keep the file's own name (SARIF points at it); the folders above it can name a person.
    name = PureWindowsPath(path).name if "\\" in path else PurePosixPath(path).name
    return name or path


def redact_result(result: Result, cookies: bool = False) -> Result:
    """A copy of `result` with e-mail addresses, file paths and (if asked) cookie names pseudonymised."""
    paths: set[str] = set()
    cookie_names: set[str] = set()
    for t in result.targets:
        _collect(t.facts, "", paths, cookie_names)
    for f in result.findings:
        _collect(f.evidence, "", paths, cookie_names)
    for p in result.packs:
        if not p.builtin and p.path:
            paths.add(p.path)
    paths.discard(result.profile.path)
    r = _Redactor(paths, cookie_names if cookies else set())

    def finding(f: Finding) -> Finding:
        waiver = f.waiver
        if waiver is not None:
            waiver = WaiverInfo(r(waiver.reason), waiver.expires, waiver.expired, r(waiver.pattern),
                                waiver.original_status)
        return dataclasses.replace(f, message=r(f.message), details=_walk(f.details, r),
                                   evidence=_walk(f.evidence, r), evidence_text=_walk(f.evidence_text, r),
                                   waiver=waiver)

    def target(t: TargetResult) -> TargetResult:
        return dataclasses.replace(t, facts=frozen(_walk(t.facts, r)), fact_errors=_walk(t.fact_errors, r),
                                   probes=tuple(dataclasses.replace(p, error=r(p.error) if p.error else p.error)
                                                for p in t.probes))

    profile = ProfileInfo(_profile_name(result.profile.path), result.profile.digest,
                          result.profile.practice, result.profile.jurisdiction)
    return dataclasses.replace(
        result,
        profile=profile,
        packs=tuple(dataclasses.replace(p, path=r(p.path) if not p.builtin else p.path) for p in result.packs),
        targets=tuple(target(t) for t in result.targets),
        findings=PackedFindings(finding(f) for f in result.findings),
        options={**_walk(result.options, r), "redacted": True, "redacted_cookies": cookies},
    )
