"""Canary values typed into forms, and the search for them (and their encodings) in what was sent.

Each form field gets a value no page would send by chance. Pixels' "advanced matching" sends an
e-mail address lower-cased, trimmed and hashed (SHA-256, sometimes MD5); other scripts URL-encode,
base64-encode or JSON-escape it. A hit in any of these forms means the value left the page.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote, quote_plus, unquote_plus

from cyberaudit.probes.privacy.evidence import ObservedRequest
from cyberaudit.probes.privacy.formfields import field_kind

# Plausible values (scripts skip an e-mail or phone that does not look like one); the n-th field of a
# page gets its own, so a hit names the field.
_NAMES = ("Jordan Canarywood", "Avery Finchley", "Morgan Wrenfield", "Riley Larkstone", "Casey Siskinford")


def canary_value(kind: str, n: int) -> str:
    """The value typed into the n-th field (from 0) of a page, given its canary kind."""
    serial = 7431 + n
    if kind == "email":
        return f"jordan.canary{serial}@example.com"
    if kind == "phone":
        return f"555014{serial % 10000:04d}"
    if kind == "name":
        return _NAMES[n % len(_NAMES)] + ("" if n < len(_NAMES) else f" {serial}")
    if kind == "date of birth":
        return f"1987-{1 + n % 12:02d}-{13 + n % 15:02d}"
    if kind == "health":
        return f"feeling anxious canary{serial}"
    return f"canary text {serial}"

_MIN_SEARCH = 6  # shorter values (none here) would match by chance


@dataclass(frozen=True)
class Field:
    """A fillable form field as the page describes it."""

    name: str  # name, else id, else label: what the report calls it
    label: str
    input_type: str


@dataclass(frozen=True)
class Typed:
    """What was put into one field: its value and the other forms a script may send it in."""

    field: str
    kind: str
    values: tuple[str, ...]
    choice: bool = False


@dataclass(frozen=True)
class Leak:
    field: str
    kind: str  # which canary: email, phone, ...
    encoding: str
    url: str
    where: str  # url, header NAME, body (a WebSocket frame's payload is its body)


def canary_kind(field: Field) -> str:
    """Which canary a field gets, from its type, name and label."""
    t = field.input_type.lower()
    text = f"{field.name} {field.label}".lower()
    if t == "email" or re.search(r"e-?mail", text):
        return "email"
    if t == "tel" or re.search(r"phone|\btel\b|mobile|\bcell", text):
        return "phone"
    if t == "date" or re.search(r"\bdob\b|birth", text):
        return "date of birth"
    if field_kind(field.name, field.label, t) == "health" or t == "textarea":
        return "health"
    if re.search(r"name", text):
        return "name"
    return "text"


def choice_kind(field: Field, text: str) -> str:
    """A picked option's kind: health when the question or the option reads as health, else choice."""
    if field_kind(field.name, f"{field.label} {text}", field.input_type) == "health":
        return "health"
    return "choice"


def encodings(value: str) -> dict[str, str]:
    """The value as scripts commonly send it, keyed by encoding name (hex hashes lower-case)."""
    norm = value.strip().lower()
    raw = value.encode()
    out = {
        "plain": value,
        "lower-cased": norm,
        "url-encoded": quote(value, safe=""),
        "form-encoded": quote_plus(value),
        "base64": base64.b64encode(raw).decode(),
        "base64url": base64.urlsafe_b64encode(raw).decode().rstrip("="),
        "json-escaped": json.dumps(value)[1:-1],
        "sha256": hashlib.sha256(norm.encode()).hexdigest(),
        "md5": hashlib.md5(norm.encode(), usedforsecurity=False).hexdigest(),
    }
    digits = re.sub(r"\D", "", value)
    if digits and digits != value:  # a date or phone number as pixels normalise it
        out["sha256 of digits"] = hashlib.sha256(digits.encode()).hexdigest()
    return {k: v for k, v in out.items() if len(v) >= _MIN_SEARCH}


def _texts(item: ObservedRequest) -> Iterable[tuple[str, str]]:
    yield "url", item.url
    yield "url", unquote_plus(item.url)
    for name, value in item.headers:
        yield f"header {name}", value
    if item.body:
        body = item.body.decode("utf-8", "replace")
        yield "body", body
        yield "body", unquote_plus(body)


def find_leaks(typed: Iterable[Typed], sent: Iterable[ObservedRequest], known: Iterable[str] = ()) -> list[Leak]:
    """Every (field, message, place) where a typed value appears.

    `known`: texts the page sent anyway (its address, its title, requests made before typing). A
    picked option is a word the page may send by itself ("Anxiety" in a title): a choice found in
    any of them proves nothing and is not searched. Typed canaries are unique and always searched.
    """
    seen_anyway = [t.lower() for t in known]
    wanted = []
    for item in typed:
        for value in item.values:
            for enc, text in encodings(value).items():
                needle = text.lower()
                if item.choice and any(needle in k for k in seen_anyway):
                    continue
                wanted.append((item.field, item.kind, enc, needle))
    out: list[Leak] = []
    seen: set[tuple[str, str, str]] = set()
    for req in sent:
        for where, text in _texts(req):
            low = text.lower()
            for fld, kind, enc, needle in wanted:
                if (fld, req.url, where) in seen or needle not in low:
                    continue
                seen.add((fld, req.url, where))
                out.append(Leak(fld, kind, enc, req.url, where))
    return out


def request_texts(req: ObservedRequest) -> list[str]:
    """What a request carried (URL, headers, body), as searched for typed values."""
    return [text for _where, text in _texts(req)]
