"""SPF macro strings (RFC 7208 §7): parsing, syntax checks and expansion."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

# Letters usable anywhere, and those allowed only in explanation text (§7.2).
DOMAIN_LETTERS = frozenset("slodiphv")
EXP_ONLY_LETTERS = frozenset("crt")
DELIMITERS = frozenset(".-+,/_=")

# toplabel = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" ) alphanum )
_DOMAIN_END = re.compile(
    r"\.(?:[a-z0-9]*[a-z][a-z0-9]*|[a-z0-9]+-[a-z0-9-]*[a-z0-9])\.?\Z", re.IGNORECASE
)


class MacroSyntaxError(ValueError):
    """A macro string that breaks the RFC 7208 §7.1 grammar."""


@dataclass(frozen=True)
class Literal:
    text: str


@dataclass(frozen=True)
class Macro:
    """`%{letter digits r delimiters}`; the escapes %% %_ %- are macros with letter % _ -."""

    letter: str
    digits: int | None = None
    reverse: bool = False
    delimiters: str = ""
    url_escape: bool = False


Token = Literal | Macro


def parse_macro_string(text: str, *, explanation: bool = False) -> tuple[Token, ...]:
    """Tokens of a macro-string; `explanation` admits spaces and the c, r, t letters."""
    tokens: list[Token] = []
    literal: list[str] = []
    i, n = 0, len(text)

    def flush() -> None:
        if literal:
            tokens.append(Literal("".join(literal)))
            literal.clear()

    while i < n:
        ch = text[i]
        if ch != "%":
            if not (0x21 <= ord(ch) <= 0x7E or (explanation and ch == " ")):
                raise MacroSyntaxError(f"character {ch!r} is not allowed")
            literal.append(ch)
            i += 1
            continue
        nxt = text[i + 1] if i + 1 < n else ""
        if nxt in ("%", "_", "-"):
            flush()
            tokens.append(Macro(nxt))
            i += 2
            continue
        if nxt != "{":
            raise MacroSyntaxError(f"'%' must be followed by '{{', '%', '_' or '-' in {text!r}")
        end = text.find("}", i + 2)
        if end < 0:
            raise MacroSyntaxError(f"unterminated macro in {text!r}")
        flush()
        tokens.append(_parse_macro_body(text[i + 2:end], explanation))
        i = end + 1
    flush()
    return tuple(tokens)


def _parse_macro_body(body: str, explanation: bool) -> Macro:
    m = re.fullmatch(r"([A-Za-z])([0-9]*)([rR]?)(.*)", body, re.DOTALL)
    if m is None:
        raise MacroSyntaxError(f"invalid macro %{{{body}}}")
    letter, digits, reverse, delims = m.groups()
    lower = letter.lower()
    allowed = DOMAIN_LETTERS | EXP_ONLY_LETTERS if explanation else DOMAIN_LETTERS
    if lower not in allowed:
        where = "outside explanation text" if lower in EXP_ONLY_LETTERS else "in SPF"
        raise MacroSyntaxError(f"macro letter {letter!r} is not allowed {where}")
    if any(d not in DELIMITERS for d in delims):
        raise MacroSyntaxError(f"invalid delimiter in macro %{{{body}}}")
    count = int(digits) if digits else None
    if count == 0:
        raise MacroSyntaxError(f"macro %{{{body}}} keeps zero labels")
    return Macro(lower, count, bool(reverse), delims, letter.isupper())


def check_domain_spec(text: str) -> tuple[Token, ...]:
    """Tokens of a domain-spec: a macro-string ending in a macro or in '.' toplabel (§7.1)."""
    if not text:
        raise MacroSyntaxError("empty domain")
    tokens = parse_macro_string(text)
    if isinstance(tokens[-1], Macro):
        return tokens
    tail = ""
    for token in reversed(tokens):
        if not isinstance(token, Literal):
            break
        tail = token.text + tail
    if not _DOMAIN_END.search(tail):
        raise MacroSyntaxError(f"{text!r} does not end in a valid top-level label")
    return tokens


@dataclass(frozen=True)
class MacroValues:
    """What the letters stand for in one evaluation; `p` is looked up only when used."""

    sender: str
    local_part: str
    sender_domain: str
    domain: str
    ip_dotted: str  # i: dotted quad, or dot-separated nibbles for IPv6
    ip_readable: str  # c: dotted quad or compressed IPv6
    ip_version: str  # v: "in-addr" or "ip6"
    helo: str
    receiver: str = "unknown"
    timestamp: int = 0
    validated_name: Callable[[], str] | None = None

    def value(self, letter: str) -> str:
        if letter == "p":
            return self.validated_name() if self.validated_name else "unknown"
        return {
            "s": self.sender, "l": self.local_part, "o": self.sender_domain, "d": self.domain,
            "i": self.ip_dotted, "c": self.ip_readable, "v": self.ip_version, "h": self.helo,
            "r": self.receiver, "t": str(self.timestamp),
        }[letter]


def expand(tokens: tuple[Token, ...], values: MacroValues) -> str:
    """The macro-string with every macro replaced (§7.3)."""
    out: list[str] = []
    for token in tokens:
        if isinstance(token, Literal):
            out.append(token.text)
        elif token.letter == "%":
            out.append("%")
        elif token.letter == "_":
            out.append(" ")
        elif token.letter == "-":
            out.append("%20")
        else:
            out.append(transform(token, values.value(token.letter)))
    return "".join(out)


def transform(macro: Macro, value: str) -> str:
    """A letter's value after the digit, reversal and delimiter transformers, URL-escaped if upper-case."""
    if macro.digits is not None or macro.reverse or macro.delimiters:
        parts = re.split("[" + re.escape(macro.delimiters or ".") + "]", value)
        if macro.reverse:
            parts.reverse()
        if macro.digits is not None:
            parts = parts[-macro.digits:]
        value = ".".join(parts)
    # Upper-case letters are URL-escaped: everything outside RFC 3986 unreserved (§7.3).
    return quote(value, safe="~") if macro.url_escape else value


def truncate_domain(name: str) -> str:
    """Drop left-hand labels until the name fits in 253 characters (§7.3), and a trailing dot."""
    name = name[:-1] if name.endswith(".") else name
    while len(name) > 253 and "." in name:
        name = name.split(".", 1)[1]
    return name
