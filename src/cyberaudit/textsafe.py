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


_CODE_SPAN = re.compile(r"`([^`\n]+)`")


def md_with_code(value: object) -> str:
    """Pack text where `...` marks a command or setting: code spans kept, everything else escaped.

    A code span shows its content literally (CommonMark §6.1), so it carries no markup either.
    """
    text, out, pos = " ".join(str(value).split()), [], 0
    for m in _CODE_SPAN.finditer(text):
        out.append(_keep_edges(text[pos:m.start()]))
        out.append(f"`{m.group(1)}`")
        pos = m.end()
    out.append(_keep_edges(text[pos:]))
    return "".join(out)


def _keep_edges(part: str) -> str:
    # md_escape trims spaces; the spaces around a code span must stay
    if not part.strip():
        return part
    lead = " " if part[0] == " " else ""
    trail = " " if part[-1] == " " else ""
    return lead + md_escape(part) + trail


def code_spans(value: object) -> list[tuple[str, bool]]:
    """Split pack text into (text, is_code) parts at `...` marks, for formats that show code their own way."""
    text, out, pos = str(value), [], 0
    for m in _CODE_SPAN.finditer(text):
        if m.start() > pos:
            out.append((text[pos:m.start()], False))
        out.append((m.group(1), True))
        pos = m.end()
    if pos < len(text):
        out.append((text[pos:], False))
    return out


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
