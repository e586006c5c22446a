"""Making untrusted text (page titles, header values, cookie names) inert in each output format."""

from __future__ import annotations

import re

# Characters XML 1.0 cannot carry at all, even escaped; a hostile server can put them in a header.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~<>])")
_MD_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_MD_LINE_START = re.compile(r"^([#+=-])")
_MD_LINE_NUMBER = re.compile(r"^(\d+)([.)])")
_CSV_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def xml_text(value: object) -> str:
    """Text safe to put in an XML document (invalid characters become U+FFFD)."""
    return _XML_INVALID.sub("\ufffd", str(value))


def md_escape(value: object) -> str:
    """Text shown literally in Markdown: no markup, no raw HTML, no table breaks.

    Backslash escapes (CommonMark §2.4) keep the source readable: "Trackers & forms" stays as it is,
    only an `&` that would start an entity and every `<` or `>` are escaped.
    """
    text = " ".join(_MD_SPECIAL.sub(r"\\\1", str(value)).split())  # a newline would end a table row
    text = _MD_ENTITY.sub(r"\\&", text)
    return _MD_LINE_NUMBER.sub(r"\1\\\2", _MD_LINE_START.sub(r"\\\1", text))


_CODE_SAFE = re.compile(r"^[A-Za-z0-9_.:/-]+$")


def md_code(value: object) -> str:
    """An identifier as inline code; anything that could close the code span is escaped text instead."""
    text = str(value)
    return f"`{text}`" if _CODE_SAFE.match(text) else md_escape(text)


def csv_cell(value: object) -> str:
    """A spreadsheet cell that is never read as a formula (OWASP CSV injection advice)."""
    text = "" if value is None else str(value)
    if text.startswith(_CSV_FORMULA):
        return "'" + text
    return text
