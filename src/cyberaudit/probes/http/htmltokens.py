"""An HTML tokenizer that reads tags the way a browser's tokenizer does (WHATWG HTML, §13.2.5).

What matters for a scan is where markup ends and text begins: a comment ends at `-->` or `--!>`,
`<!-->` is an empty comment, `<![CDATA[`, `<?` and `<!x` are bogus comments that end at the first
`>`, and `<script>`, `<style>`, `<title>`, `<textarea>` ... hold text until their own end tag. It
never stops before the end of the input; what made the rest of a page unreadable to a browser (a
comment never closed, `<plaintext>`, a tag cut by the end) is returned, and so is a page beyond the
bounds on tags, nesting and time, where reading stops.
"""

from __future__ import annotations

import html
import re
import time
from html.entities import html5 as _ENTITIES
from typing import Protocol

__all__ = ["TokenSink", "tokenize"]

_SEP = re.compile(r"[\t\n\f\r /]*")
_NAME = re.compile(r"[^\t\n\f\r />]*")
# one attribute: separators, a name, then maybe = and a value ("...", '...' or bare to a space or >)
_ATTR = re.compile(r"""[\t\n\f\r /]*([^\t\n\f\r />][^\t\n\f\r /=>]*)"""
                   r"""(?:[\t\n\f\r ]*=[\t\n\f\r ]*(?:"([^"]*)"|'([^']*)'|([^\t\n\f\r >]*)))?""")
_COMMENT_END = re.compile(r"--!?>")
_MARKUP_START = re.compile(r"<[A-Za-z/!?]")
_SIMPLE_TAG = re.compile(r"<([A-Za-z][^\t\n\f\r />]*)>")
_CHARREF = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)")

_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                   "source", "track", "wbr", "keygen", "frame", "basefont", "bgsound", "image"})
_RCDATA = frozenset({"title", "textarea"})
_RAWTEXT = frozenset({"style", "xmp", "iframe", "noembed", "noframes"})
# elements a browser closes by itself (a new <p> ends the open one): they never deepen the page
_SELF_ENDING = frozenset({"p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "rb", "rt", "rp",
                          "rtc", "tbody", "thead", "tfoot", "colgroup", "caption", "html", "head", "body"})
# HTML start tags that end <svg>/<math> content (the "breakout" list of §13.2.6.5)
_BREAKOUT = frozenset({"b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt",
                       "em", "embed", "h1", "h2", "h3", "h4", "h5", "h6", "head", "hr", "i", "img", "li",
                       "listing", "menu", "meta", "nobr", "ol", "p", "pre", "ruby", "s", "small", "span",
                       "strong", "strike", "sub", "sup", "table", "tt", "u", "ul", "var"})
_CHECK_EVERY = 1024  # tags, comments and declarations between two looks at the clock


class TokenSink(Protocol):
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str]]) -> None: ...
    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str]]) -> None: ...
    def handle_endtag(self, tag: str) -> None: ...
    def handle_data(self, data: str) -> None: ...  # as written: character references not decoded


def _end_tag_re(name: str) -> re.Pattern[str]:
    return re.compile(r"</" + re.escape(name) + r"[\t\n\f\r />]", re.IGNORECASE)


_END_TAG = {name: _end_tag_re(name) for name in _RCDATA | _RAWTEXT}
_SCRIPT_DATA = re.compile(r"(<!--)|(</script[\t\n\f\r />])", re.IGNORECASE)
_SCRIPT_ESCAPED = re.compile(r"(-->)|(</script[\t\n\f\r />])|(<script[\t\n\f\r />])", re.IGNORECASE)
_SCRIPT_DOUBLE = re.compile(r"(-->)|(</script[\t\n\f\r />])", re.IGNORECASE)


def attr_unescape(value: str) -> str:
    """Character references in an attribute value, with the spec's rule for legacy names.

    `?a=1&copy=2` stays as written: a name without `;` followed by `=` or a letter is not a
    reference inside an attribute (html.unescape would turn it into `©=2`).
    """
    if "&" not in value:
        return value

    def one(m: re.Match[str]) -> str:
        ref = m.group(1)
        if ref[0] == "#":
            return html.unescape(m.group(0))
        for k in range(min(len(ref), 33), 1, -1):
            name = ref[:k]
            if name in _ENTITIES:
                if not name.endswith(";"):
                    after = ref[k:k + 1] or value[m.end():m.end() + 1]
                    if after == "=" or after.isalnum():
                        return m.group(0)
                return _ENTITIES[name] + ref[k:]
        return m.group(0)

    return _CHARREF.sub(one, value)


def _script_end(s: str, pos: int) -> int:
    """Where the </script> that ends a script starting at pos is, or -1 (the script runs to the end)."""
    state, i = 0, pos  # 0: script data, 1: escaped (after <!--), 2: double escaped (<!-- <script)
    while True:
        pattern = (_SCRIPT_DATA, _SCRIPT_ESCAPED, _SCRIPT_DOUBLE)[state]
        m = pattern.search(s, i)
        if m is None:
            return -1
        if state == 0:
            if m.group(2):
                return m.start()
            j = m.end()
            while s.startswith("-", j):
                j += 1
            state, i = (0, j + 1) if s.startswith(">", j) else (1, j)
        elif state == 1:
            if m.group(2):
                return m.start()
            state, i = (0, m.end()) if m.group(1) else (2, m.end())
        else:
            state, i = (0, m.end()) if m.group(1) else (1, m.end())


class _Tokenizer:
    def __init__(self, s: str, sink: TokenSink, max_tags: int, max_depth: int, deadline: float) -> None:
        self.s = s
        self.sink = sink
        self.max_tags = max_tags
        self.max_depth = max_depth
        self.deadline = deadline
        self.items = 0  # tags, comments and declarations read
        self.bounded = False  # reading stopped at a bound, not at the end
        self.stack: list[str] = []
        self.open: dict[str, int] = {}
        self.foreign = 0  # open <svg>/<math> elements: raw-text elements do not exist there

    def run(self) -> str | None:
        s, n, pos = self.s, len(self.s), 0
        text_from = 0  # a "<" that opens no markup is text: it joins the text around it
        while pos < n:
            found = _MARKUP_START.search(s, pos)
            if found is None:
                break
            lt = found.start()
            nxt = s[lt + 1]
            if nxt == "/" and lt + 2 >= n:  # "</" at the very end is text
                break
            if lt > text_from:
                self._text(s[text_from:lt])
            self.items += 1
            if self.items > self.max_tags:
                self.bounded = True
                return f"the page has more than {self.max_tags:,} tags: the rest was not read"
            if self.items % _CHECK_EVERY == 0 and time.monotonic() > self.deadline:
                self.bounded = True
                return "reading the page took too long: the rest was not read"
            if nxt == "/":
                pos, why = self._end_tag(lt)
            elif nxt == "!":
                pos, why = self._declaration(lt)
            elif nxt == "?":
                pos, why = self._bogus_comment(lt + 2)
            else:
                pos, why = self._start_tag(lt)
            if why is not None:
                return why
            text_from = pos
        if text_from < n:
            self._text(s[text_from:])
        return None

    def _text(self, text: str) -> None:
        self.sink.handle_data(text)

    def _attributes(self, pos: int) -> tuple[list[tuple[str, str]], int, bool]:
        """Attributes from pos to the tag's `>`: (attrs, position after `>`, self-closing); -1 at EOF."""
        s, n = self.s, len(self.s)
        attrs: list[tuple[str, str]] = []
        while True:
            m = _ATTR.match(s, pos)
            if m is None:  # no attribute name: separators, then ">" or the end
                end = _SEP.match(s, pos).end()  # type: ignore[union-attr]
                if end >= n:
                    return attrs, -1, False
                return attrs, end + 1, end > pos and s[end - 1] == "/"
            double, single, bare = m.group(2, 3, 4)
            if bare and bare[0] in "\"'":  # a quote with no closing quote before the end
                return attrs, -1, False
            value = double if double is not None else single if single is not None else bare or ""
            attrs.append((m.group(1).lower(), attr_unescape(value)))
            pos = m.end()
            if pos >= n:
                return attrs, -1, False

    def _start_tag(self, lt: int) -> tuple[int, str | None]:
        simple = _SIMPLE_TAG.match(self.s, lt)  # most tags: <name>, nothing else to read
        if simple is not None:
            name, attrs, pos, self_closing = simple.group(1).lower(), [], simple.end(), False
        else:
            m = _NAME.match(self.s, lt + 1)
            assert m is not None
            name = m.group().lower()
            attrs, pos, self_closing = self._attributes(m.end())
        if pos < 0:
            return len(self.s), f"the <{name[:40]}> tag is never closed: the rest of the page is inside it"
        foreign = self.foreign > 0
        if foreign and name in _BREAKOUT:
            self.foreign, foreign = 0, False
        if self_closing and (foreign or name in _VOID):
            self.sink.handle_startendtag(name, attrs)
        else:
            self.sink.handle_starttag(name, attrs)
        if foreign or name in ("svg", "math"):
            if name in ("svg", "math") and not self_closing:
                self.foreign += 1
            return pos, self._push(name) if not self_closing else None
        if name == "script":
            end = _script_end(self.s, pos)
            return self._raw(name, pos, end)
        if name in _RCDATA or name in _RAWTEXT:
            end_m = _END_TAG[name].search(self.s, pos)
            return self._raw(name, pos, end_m.start() if end_m else -1)
        if name == "plaintext":
            self.sink.handle_data(self.s[pos:])
            return len(self.s), "the page switches to plain text (<plaintext>): a browser shows the rest as text"
        if name in _VOID or name in _SELF_ENDING:
            return pos, None
        return pos, self._push(name)

    def _raw(self, name: str, pos: int, end: int) -> tuple[int, str | None]:
        text = self.s[pos:] if end < 0 else self.s[pos:end]
        if text:
            self.sink.handle_data(text)
        if end < 0:
            return len(self.s), f"the <{name}> element is never closed: a browser reads the rest of the page as its text"
        return end, None

    def _push(self, name: str) -> str | None:
        self.stack.append(name)
        self.open[name] = self.open.get(name, 0) + 1
        if len(self.stack) > self.max_depth:
            self.bounded = True
            return f"the page nests tags more than {self.max_depth:,} deep: the rest was not read"
        return None

    def _pop_to(self, name: str) -> None:
        if not self.open.get(name):
            return  # a stray end tag: browsers ignore it
        while self.stack:
            top = self.stack.pop()
            self.open[top] -= 1
            if top == name:
                return

    def _end_tag(self, lt: int) -> tuple[int, str | None]:
        s = self.s
        nxt = s[lt + 2:lt + 3]
        if nxt == ">":
            return lt + 3, None  # </> is dropped
        if not (nxt.isascii() and nxt.isalpha()):
            return self._bogus_comment(lt + 2)
        m = _NAME.match(s, lt + 2)
        assert m is not None
        name = m.group().lower()
        _, pos, _ = self._attributes(m.end())
        if pos < 0:
            return len(s), f"the </{name[:40]}> tag is never closed: the rest of the page is inside it"
        if name in ("svg", "math") and self.foreign:
            self.foreign -= 1
        self._pop_to(name)
        self.sink.handle_endtag(name)
        return pos, None

    def _declaration(self, lt: int) -> tuple[int, str | None]:
        s = self.s
        if s.startswith("<!--", lt):
            body = lt + 4
            j = body
            while s.startswith("-", j) and j < body + 1:
                j += 1
            if s.startswith(">", j):  # <!--> and <!---> are empty comments
                return j + 1, None
            m = _COMMENT_END.search(s, body)
            if m is None:
                return len(s), "an HTML comment is never closed: a browser reads the rest of the page as a comment"
            return m.end(), None
        if self.foreign and s.startswith("<![CDATA[", lt):
            end = s.find("]]>", lt + 9)
            if end < 0:
                self.sink.handle_data(s[lt + 9:])
                return len(s), "a CDATA section is never closed: a browser reads the rest of the page as text"
            self.sink.handle_data(s[lt + 9:end])
            return end + 3, None
        return self._bogus_comment(lt + 2)  # <!DOCTYPE ...>, <![CDATA[ in HTML, <!x ...>: all end at ">"

    def _bogus_comment(self, pos: int) -> tuple[int, str | None]:
        end = self.s.find(">", pos)
        if end < 0:
            return len(self.s), "a declaration (<! or <?) is never closed: a browser reads the rest of the page as a comment"
        return end + 1, None


def tokenize(text: str, sink: TokenSink, *, max_tags: int, max_depth: int, deadline: float,
             cut: bool = False) -> str | None:
    """Feed the page's tags and text to `sink`; return why part of it is unreadable, or None.

    `cut`: the text was cut at a size cap, so a tag or comment open at its end is no news.
    """
    reader = _Tokenizer(text.replace("\0", "\ufffd"), sink, max_tags, max_depth, deadline)
    why = reader.run()
    return None if cut and not reader.bounded else why
