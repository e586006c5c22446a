"""Turning the openspf test suite's zonedata into zones for the loopback DNS responder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

SUITE = Path(__file__).resolve().parents[1] / "data" / "spf" / "rfc7208-tests.yml"
# The types a TIMEOUT name leaves unanswered when it holds no records of them.
QUERY_TYPES = ("A", "AAAA", "MX", "PTR", "TXT", "SPF", "CNAME")


def load_suite(path: Path = SUITE) -> list[dict[str, Any]]:
    """The suite's scenarios, one dict per YAML document."""
    with path.open(encoding="utf-8") as fh:
        return [doc for doc in yaml.safe_load_all(fh) if doc]


def txt_rdata(value: str | list[str]) -> str:
    """A TXT rdata in zone-file form with every byte kept: one quoted string per suite string.

    The suite writes raw octets as \\xNN escapes, which YAML reads as code points below 256; they
    go on the wire as those octets, as the suite's authors meant.
    """
    strings = value if isinstance(value, list) else [value]
    out = []
    for text in strings:
        try:
            raw = str(text).encode("latin-1")
        except UnicodeEncodeError:
            raw = str(text).encode("utf-8")
        for i in range(0, max(len(raw), 1), 255):
            chunk = raw[i:i + 255]
            out.append('"' + "".join(_escape(b) for b in chunk) + '"')
    return " ".join(out)


def _escape(b: int) -> str:
    if b in (0x22, 0x5C):
        return "\\" + chr(b)
    if 0x20 <= b < 0x7F:
        return chr(b)
    return f"\\{b:03d}"


def _absolute(name: str) -> str:
    return name.rstrip(".") + "." if name not in ("", ".") else "."


def build_zone(zonedata: dict[str, list[Any]]) -> tuple[dict[str, dict[str, list[str]]], list[tuple[str, str]]]:
    """(zone, silent) for DnsResponder, following the suite's conventions.

    SPF (type 99) records are also served as TXT unless the name lists its own TXT records;
    `TXT: NONE` means no TXT records; `TIMEOUT` leaves unanswered every query for a type the
    name holds no records of.
    """
    zone: dict[str, dict[str, list[str]]] = {}
    silent: list[tuple[str, str]] = []
    for name, entries in (zonedata or {}).items():
        node: dict[str, list[str]] = {}
        spf: list[Any] = []
        txt: list[Any] = []
        explicit_txt = timeout = False
        for entry in entries:
            if entry == "TIMEOUT":
                timeout = True
                continue
            ((rtype, value),) = entry.items()
            if rtype == "SPF":
                spf.append(value)
            elif rtype == "TXT":
                explicit_txt = True
                if value != "NONE":
                    txt.append(value)
            elif rtype == "MX":
                pref, host = value
                node.setdefault("MX", []).append(f"{pref} {_absolute(host)}")
            elif rtype == "PTR":
                node.setdefault("PTR", []).append(_absolute(value))
            elif rtype in ("A", "AAAA"):
                node.setdefault(rtype, []).append(str(value))
            else:
                raise ValueError(f"zonedata type {rtype} not handled")
        if spf:
            node["SPF"] = [txt_rdata(v) for v in spf]
        if not explicit_txt:
            txt = spf
        if txt:
            node["TXT"] = [txt_rdata(v) for v in txt]
        zone[name] = node
        if timeout:
            silent.extend((name, t) for t in QUERY_TYPES if t not in node)
    return zone, silent
