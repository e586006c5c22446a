"""A page's bytes to text as a browser decodes them (WHATWG Encoding and HTML §13.2.3).

Order: a byte-order mark, then the Content-Type charset, then a <meta charset> in the first 1024
bytes, then detection. Bytes the charset cannot decode become U+FFFD and are counted, never dropped.
When the charset a page declares hides markup that another reading shows (UTF-16 sent as UTF-8,
ASCII sent as UTF-16, an ISO-2022 shift before the trackers), the page is read the way that shows
the most markup and marked as read only in part.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from email.message import Message

__all__ = ["DecodedPage", "decode_html"]

PRESCAN_BYTES = 1024  # where browsers look for <meta charset>
DETECT_BYTES = 64 * 1024  # what the detection fallback reads

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_BE, "utf-16-be"), (codecs.BOM_UTF16_LE, "utf-16-le"))
# WHATWG labels that differ from Python's codec of the same name (browsers read latin1 as windows-1252 ...)
_LABELS = {
    "ascii": "cp1252", "us-ascii": "cp1252", "latin1": "cp1252", "iso-8859-1": "cp1252", "iso8859-1": "cp1252",
    "l1": "cp1252", "iso_8859-1": "cp1252", "cp819": "cp1252", "ibm819": "cp1252", "iso-ir-100": "cp1252",
    "iso-8859-9": "cp1254", "latin5": "cp1254", "iso-8859-11": "cp874", "tis-620": "cp874",
    "utf-16": "utf-16-le", "ucs-2": "utf-16-le", "unicode": "utf-16-le", "csunicode": "utf-16-le",
    "shift_jis": "cp932", "sjis": "cp932", "x-sjis": "cp932", "ms_kanji": "cp932", "windows-31j": "cp932",
    "euc-kr": "cp949", "ks_c_5601-1987": "cp949", "gb2312": "gbk", "x-gbk": "gbk", "big5": "big5hkscs",
    "x-mac-roman": "mac-roman", "macintosh": "mac-roman", "x-mac-cyrillic": "mac-cyrillic",
}
# the codecs browsers have (a label naming another one, such as utf-7, is ignored as browsers ignore it)
_KNOWN = {codecs.lookup(name).name for name in (
    "utf-8", "utf-16-le", "utf-16-be", "cp866", "iso8859-2", "iso8859-3", "iso8859-4", "iso8859-5",
    "iso8859-6", "iso8859-7", "iso8859-8", "iso8859-10", "iso8859-13", "iso8859-14", "iso8859-15",
    "iso8859-16", "koi8-r", "koi8-u", "mac-roman", "mac-cyrillic", "cp874", "cp1250", "cp1251", "cp1252",
    "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258", "gbk", "gb18030", "big5hkscs", "euc-jp",
    "iso2022-jp", "cp932", "cp949")}
_META = re.compile(rb"""<meta[\s/][^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)""", re.IGNORECASE)
_MARKUP = re.compile(r"<[A-Za-z!/?]")


@dataclass(frozen=True)
class DecodedPage:
    """The page as text, which charset read it and from where, and what could not be read."""

    text: str
    charset: str  # the codec that produced `text`
    source: str  # bom, header, meta, detected or default
    replaced: int  # byte sequences that did not decode and became U+FFFD
    mismatch: str | None = None  # why the bytes do not match the charset the page declares


def codec_for(label: str | None) -> str | None:
    """The codec a browser uses for a charset label, or None when browsers do not know the label."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    name = _LABELS.get(label, label)
    try:
        name = codecs.lookup(name).name
    except LookupError:
        return None
    return name if name in _KNOWN else None


def _header_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    msg = Message()
    msg["content-type"] = content_type
    return codec_for(msg.get_content_charset())


def _meta_charset(body: bytes) -> str | None:
    m = _META.search(body[:PRESCAN_BYTES])
    if m is None:
        return None
    codec = codec_for(m.group(1).decode("ascii", "replace"))
    # a <meta> can only be read by an ASCII-compatible charset: browsers take utf-16 there as utf-8
    return "utf-8" if codec in ("utf-16-le", "utf-16-be") else codec


def _detect(body: bytes) -> str:
    try:
        body.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # a dependency of requests

    best = from_bytes(body[:DETECT_BYTES]).best()
    codec = codec_for(best.encoding) if best is not None else None
    return codec or "cp1252"


def _decode(body: bytes, codec: str) -> tuple[str, int]:
    text = body.decode(codec, "replace")
    already = body.count(b"\xef\xbf\xbd") if codec == "utf-8" else 0  # U+FFFD written as such
    return text, max(0, text.count("\ufffd") - already)


def _markup(text: str) -> int:
    """How many tags, comments and declarations start in the text (counted without a list of them)."""
    return _MARKUP.subn("", text)[1]


def decode_html(body: bytes, content_type: str | None) -> DecodedPage:
    """Decode an HTML body as a browser would, and say when its declared charset hides its markup."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            chosen, source, body = codec, "bom", body[len(bom):]
            break
    else:
        chosen, source = _header_charset(content_type), "header"
        if chosen is None:
            chosen, source = _meta_charset(body), "meta"
        if chosen is None:
            chosen, source = _detect(body), "detected"
    text, replaced = _decode(body, chosen)
    seen = _markup(text)
    # other readings: as ASCII-compatible bytes, and as UTF-16 when NUL bytes suggest it
    others = ["utf-8"]
    if body.count(b"\0") * 8 > len(body):
        others += ["utf-16-le", "utf-16-be"]
    if replaced and source != "detected":
        others.append(_detect(body))
    best: tuple[int, str, str, int] | None = None
    for codec in dict.fromkeys(others):
        if codec == chosen:
            continue
        other, other_replaced = _decode(body, codec)
        count = _markup(other)
        if count > seen and (best is None or count > best[0]):
            best = (count, codec, other, other_replaced)
    if best is None:
        return DecodedPage(text, chosen, source, replaced)
    count, codec, other, other_replaced = best
    why = (f"its bytes do not match the charset {chosen} ({source}): read as {codec}, {count - seen} more "
           f"tags appear")
    return DecodedPage(other, codec, source, other_replaced, why)
