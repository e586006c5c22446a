"""What a web page loads, links to and submits, read from its HTML as a browser's tokenizer reads it.

The reader never fails on broken markup (unclosed tags, stray end tags, bad attributes): it keeps
reading to the end, as browsers do, and says when part of the page could not be read (a comment
never closed, <plaintext>, the bounds below). Input, every list, the number of tags, the nesting
and the time are bounded so a hostile page can neither exhaust memory nor hold the scan.
"""

from __future__ import annotations

import html
import re
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from cyberaudit.probes.http.htmltokens import tokenize

__all__ = ["Form", "FormField", "HtmlDocument", "Link", "Resource", "parse_html"]

MAX_HTML_CHARS = 5 * 1024 * 1024
MAX_ITEMS = 5000  # per list (resources, links, forms, fields, inline scripts)
MAX_INLINE_SCRIPT_CHARS = 256 * 1024
MAX_TEXT_CHARS = 300
MAX_TAGS = 200_000  # a 5 MB page of real markup has far fewer; reading stops beyond this
MAX_DEPTH = 4096  # open elements; browsers build at most a few hundred levels (Chromium 512)
MAX_PARSE_SECONDS = 15.0  # a backstop: the tag bound keeps a page well below it

# URLs a browser does not fetch over the network: not resources for mixed content or tracker checks.
_NON_NETWORK_SCHEMES = ("data:", "javascript:", "about:", "blob:", "mailto:", "tel:")
_JS_TYPES = {"", "text/javascript", "application/javascript", "module", "text/ecmascript",
             "application/ecmascript", "application/x-javascript", "text/jscript"}
_FIELD_TYPES_SKIPPED = {"submit", "button", "reset", "image"}
_WS = re.compile(r"\s+")
# Script types that hold templates, not code or data: their text is markup for later, not a tag.
_TEMPLATE_TYPES = ("text/template", "text/x-template", "text/html", "text/x-handlebars-template",
                   "text/x-tmpl", "text/ng-template", "text/x-jquery-tmpl", "text/x-mustache")
MAX_OPTIONS = 60  # option texts kept per select
MAX_ID_TEXTS = 4000  # elements whose text is kept for aria-labelledby
MAX_CONTEXT_CHARS = 200
MAX_ATTR_VALUE = 300


@dataclass(frozen=True)
class Resource:
    """A subresource the page makes the browser load (`url` as written, `absolute` resolved)."""

    tag: str
    attr: str
    url: str
    absolute: str
    rel: str | None = None  # lower-cased, for <link>
    in_noscript: bool = False


@dataclass(frozen=True)
class FormField:
    """One input a visitor fills in; `label` is the best human label found, or None.

    `name` is "" for an input a script reads by its id; `options` are a select's option texts;
    `context` is the text just before the field (a question written as a paragraph, a legend).
    """

    name: str
    type: str
    label: str | None = None
    id: str | None = None
    options: tuple[str, ...] = ()
    context: str | None = None

    @property
    def key(self) -> str:
        """What names the field in a report: its name, else its id, else its label."""
        return self.name or self.id or self.label or self.type


@dataclass(frozen=True)
class Form:
    """A form; `absolute_action` is where it submits (the page itself when no action is given).

    A submit button's `formaction` overrides the form's action when that button is used: each
    different one is in `submit_actions` (absolute), and `destinations` lists every place the form
    can send its data.
    """

    action: str  # as written; "" when absent
    absolute_action: str
    method: str  # GET or POST (upper case)
    fields: tuple[FormField, ...] = ()
    submit_actions: tuple[str, ...] = ()

    @property
    def destinations(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((self.absolute_action, *self.submit_actions)))


@dataclass(frozen=True)
class Link:
    """An <a href> or <area href>, with its visible text (whitespace collapsed)."""

    href: str
    absolute: str
    text: str
    rel: str | None = None


@dataclass(frozen=True)
class HtmlDocument:
    """What one HTML page references. `meta_refresh` is the absolute target of a refresh, if any."""

    title: str | None
    base_url: str
    resources: tuple[Resource, ...] = ()
    forms: tuple[Form, ...] = ()
    inline_scripts: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    meta_refresh: str | None = None
    truncated: bool = False  # the input was longer than MAX_HTML_CHARS or a list hit MAX_ITEMS
    partial: str | None = None  # why only part of the page could be read (what a browser stops at, a bound)
    # (script type, text) of scripts that are not JavaScript: JSON configuration, or a tag a
    # consent tool holds back as text/plain until the visitor agrees
    data_scripts: tuple[tuple[str, str], ...] = ()
    # (tag, attribute, value) of data-* attributes: page builders keep tag IDs there for their scripts
    data_attributes: tuple[tuple[str, str, str], ...] = ()
    # inputs outside any <form> (site builders send them from a script) and whether the page has a
    # button outside a form to send them with
    loose_fields: tuple[FormField, ...] = ()
    loose_button: bool = False


def parse_html(html: str, page_url: str, *, deadline: float | None = None, cut: bool = False) -> HtmlDocument:
    """Read a page's resources, forms, links and inline scripts; relative URLs resolve via <base href>.

    `cut`: the body was cut at the size cap (a tag left open at its end is then expected).
    """
    truncated = len(html) > MAX_HTML_CHARS
    collector = _Collector()
    limit = time.monotonic() + MAX_PARSE_SECONDS
    partial = tokenize(html[:MAX_HTML_CHARS], collector, max_tags=MAX_TAGS, max_depth=MAX_DEPTH,
                       deadline=limit if deadline is None else min(limit, deadline), cut=cut or truncated)
    return collector.build(page_url, truncated, partial)


def srcset_urls(value: str) -> list[str]:
    """The URLs of a srcset attribute (HTML's candidate parsing, commas inside URLs kept)."""
    urls: list[str] = []
    pos, n = 0, len(value)
    while pos < n:
        while pos < n and (value[pos].isspace() or value[pos] == ","):
            pos += 1
        start = pos
        while pos < n and not value[pos].isspace():
            pos += 1
        url = value[start:pos]
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            depth = 0
            while pos < n:
                ch = value[pos]
                if ch == "(":
                    depth += 1
                elif ch == ")":
                    depth = max(0, depth - 1)
                elif ch == "," and depth == 0:
                    pos += 1
                    break
                pos += 1
        if url:
            urls.append(url)
    return urls


@dataclass
class _FieldDraft:
    name: str
    type: str
    id: str | None
    placeholder: str | None
    aria_label: str | None
    form_attr: str | None
    wrapping_label: int | None = None  # index of the enclosing <label>
    form_index: int | None = None
    labelledby: str | None = None
    title: str | None = None
    context: str | None = None
    options: list[str] = field(default_factory=list)


@dataclass
class _FormDraft:
    action: str | None
    method: str
    id: str | None
    fields: list[_FieldDraft] = field(default_factory=list)
    submit_actions: list[str] = field(default_factory=list)


@dataclass
class _Submitter:
    formaction: str
    form_attr: str | None
    form_index: int | None


@dataclass
class _LabelDraft:
    for_id: str | None
    text: list[str] = field(default_factory=list)


class _Collector:
    def __init__(self) -> None:
        self.base_href: str | None = None
        self.title: str | None = None
        self.meta_refresh: str | None = None
        self.resources: list[tuple[str, str, str, str | None, bool]] = []
        self.links: list[tuple[str, str | None, list[str]]] = []
        self.forms: list[_FormDraft] = []
        self.fields: list[_FieldDraft] = []
        self.submitters: list[_Submitter] = []
        self.labels: list[_LabelDraft] = []
        self.inline_scripts: list[str] = []
        self.data_scripts: list[tuple[str, str]] = []
        self.data_attributes: list[tuple[str, str, str]] = []
        self.loose_button = False
        self.overflow = False
        self._script_type: str | None = None  # set while a non-JavaScript script's text is read
        self._skip_text = 0  # inside <style> or <textarea>: not text a visitor reads as a question
        self._select: _FieldDraft | None = None
        self._option: list[str] | None = None
        self._recent: list[str] = []  # visible text since the last field: a question written before it
        self._recent_len = 0
        self._id_stack: list[tuple[str, str]] = []  # open elements with an id whose text is kept
        self.id_text: dict[str, list[str]] = {}
        self._legend: list[str] | None = None
        self._fieldset_legend: list[str | None] = []
        self._noscript = 0
        self._form: _FormDraft | None = None
        self._label: int | None = None
        self._link_text: list[str] | None = None
        self._title_text: list[str] | None = None
        self._script: list[str] | None = None
        self._script_len = 0

    # -- helpers -------------------------------------------------------------------------------

    def _add(self, items: list, item: object) -> bool:
        if len(items) >= MAX_ITEMS:
            self.overflow = True
            return False
        items.append(item)
        return True

    def _resource(self, tag: str, attr: str, url: str | None, rel: str | None = None) -> None:
        url = (url or "").strip()
        if not url or url.lower().startswith(_NON_NETWORK_SCHEMES):
            return
        self._add(self.resources, (tag, attr, url, rel, self._noscript > 0))

    # -- parser callbacks ----------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str]]) -> None:
        a: dict[str, str] = {}
        for k, v in attrs:
            a.setdefault(k, v if v is not None else "")
            if k.startswith("data-") and v and len(self.data_attributes) < MAX_ITEMS:
                self.data_attributes.append((tag, k, v[:MAX_ATTR_VALUE]))
        element_id = a.get("id", "").strip()
        if element_id and tag not in _VOID_TAGS and len(self.id_text) < MAX_ID_TEXTS:
            self.id_text.setdefault(element_id, [])
            self._id_stack.append((tag, element_id))
        if tag == "base":
            if self.base_href is None and a.get("href", "").strip():
                self.base_href = a["href"].strip()
        elif tag == "title":
            if self.title is None:
                self._title_text = []
        elif tag == "noscript":
            self._noscript += 1
        elif tag == "script":
            stype = a.get("type", "").strip().lower()
            if "src" in a:
                self._resource(tag, "src", a["src"])
            elif stype in _JS_TYPES:
                self._script, self._script_len = [], 0
            elif not stype.startswith(_TEMPLATE_TYPES):
                self._script, self._script_len, self._script_type = [], 0, stype
            if stype not in _JS_TYPES:  # a script a consent tool holds back keeps its address in data-src
                for key in ("data-src", "data-cookieblock-src", "data-lazy-src"):
                    if a.get(key):
                        self._resource(tag, key, a[key])
        elif tag == "style":
            self._skip_text += 1
        elif tag in ("img", "source"):
            self._resource(tag, "src", a.get("src"))
            for url in srcset_urls(a.get("srcset", "")):
                self._resource(tag, "srcset", url)
            if tag == "img" and a.get("alt") and self._link_text is not None:
                self._link_text.append(a["alt"])  # an image link's text is its alt
        elif tag in ("iframe", "frame", "embed", "audio", "track"):
            self._resource(tag, "src", a.get("src"))
        elif tag == "video":
            self._resource(tag, "src", a.get("src"))
            self._resource(tag, "poster", a.get("poster"))
        elif tag == "object":
            self._resource(tag, "data", a.get("data"))
        elif tag == "link":
            rel = _WS.sub(" ", a.get("rel", "")).strip().lower() or None
            self._resource(tag, "href", a.get("href"), rel)
        elif tag == "meta":
            if a.get("http-equiv", "").strip().lower() == "refresh" and self.meta_refresh is None:
                self.meta_refresh = _refresh_target(a.get("content", ""))
        elif tag in ("a", "area"):
            if "href" in a:
                text: list[str] = []
                if a.get("aria-label"):
                    text.append(a["aria-label"])
                if self._add(self.links, (a["href"].strip(), a.get("rel"), text)) and tag == "a":
                    self._link_text = text
        elif tag == "form":
            if self._form is None:  # nested <form> start tags are ignored, as browsers do
                self._form = _FormDraft(action=a.get("action"), method=_method(a.get("method")),
                                        id=a.get("id"))
                if not self._add(self.forms, self._form):
                    self._form = None
        elif tag == "label":
            if self._add(self.labels, _LabelDraft(for_id=a.get("for"))):
                self._label = len(self.labels) - 1
        elif tag == "option":
            self._end_option()  # an option's end tag may be left out
            if self._select is not None and len(self._select.options) < MAX_OPTIONS:
                self._option = []
        elif tag == "fieldset":
            self._fieldset_legend.append(None)
        elif tag == "legend":
            self._legend = []
        elif tag in ("input", "textarea", "select", "button") or (
                a.get("role", "").strip().lower() == "button" and self._form is None):
            if tag not in ("input", "textarea", "select", "button"):
                self.loose_button = True
                return
            if tag == "textarea":
                self._skip_text += 1
            ftype = tag if tag not in ("input", "button") else a.get("type", "").strip().lower()
            if tag == "input":
                ftype = ftype or "text"
            submits = ftype in ("submit", "image") if tag == "input" else (
                tag == "button" and ftype not in ("button", "reset"))
            if submits and "formaction" in a:
                self._add(self.submitters, _Submitter(
                    a["formaction"], a.get("form"), len(self.forms) - 1 if self._form is not None else None))
            if self._form is None and (tag == "button" or ftype in _FIELD_TYPES_SKIPPED):
                self.loose_button = True
            if tag == "button":
                return
            if tag == "input" and ftype == "image":
                self._resource(tag, "src", a.get("src"))
            name = a.get("name", "").strip()
            # a field without a name is still filled in when a script reads it by id; an unnamed
            # hidden input carries nothing
            if ftype not in _FIELD_TYPES_SKIPPED and (name or ftype != "hidden"):
                draft = _FieldDraft(name=name, type=ftype, id=a.get("id", "").strip() or None,
                                    placeholder=a.get("placeholder"), aria_label=a.get("aria-label"),
                                    form_attr=a.get("form"), wrapping_label=self._label,
                                    labelledby=a.get("aria-labelledby"), title=a.get("title"),
                                    context=self._context())
                if self._form is not None:
                    draft.form_index = len(self.forms) - 1
                if self._add(self.fields, draft) and tag == "select":
                    self._select = draft

    def _context(self) -> str | None:
        """The question written before a field: the fieldset's legend, else the text since the last field."""
        text = _collapse(" ".join(self._recent))[-MAX_CONTEXT_CHARS:]
        self._recent, self._recent_len = [], 0
        legend = next((t for t in reversed(self._fieldset_legend) if t), None)
        if legend and text and legend not in text:
            return f"{legend} {text}"[-MAX_CONTEXT_CHARS:]
        return legend or text or None

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in ("img", "input", "link", "meta", "base", "source", "track", "embed"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self._title_text is not None:
            self.title = _collapse("".join(self._title_text))
            self._title_text = None
        elif tag == "noscript":
            self._noscript = max(0, self._noscript - 1)
        elif tag == "script" and self._script is not None:
            if self._script_type is not None:
                self._add(self.data_scripts, (self._script_type, "".join(self._script)))
            else:
                self._add(self.inline_scripts, "".join(self._script))
            self._script, self._script_type = None, None
        elif tag in ("style", "textarea"):
            self._skip_text = max(0, self._skip_text - 1)
        elif tag == "select":
            self._end_option()
            self._select = None
        elif tag == "option":
            self._end_option()
        elif tag == "legend" and self._legend is not None:
            if self._fieldset_legend:
                self._fieldset_legend[-1] = _collapse(" ".join(self._legend))[:MAX_TEXT_CHARS] or None
            self._legend = None
        elif tag == "fieldset" and self._fieldset_legend:
            self._fieldset_legend.pop()
        elif tag in ("a", "area"):
            self._link_text = None
        elif tag == "form":
            self._form = None
        elif tag == "label":
            self._label = None
        if self._id_stack and any(t == tag for t, _i in self._id_stack):
            while self._id_stack:  # close the element and any left open inside it
                if self._id_stack.pop()[0] == tag:
                    break

    def _end_option(self) -> None:
        if self._option is not None and self._select is not None:
            text = _collapse(" ".join(self._option))[:100]
            if text:
                self._select.options.append(text)
        self._option = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:  # script text has no character references
            room = MAX_INLINE_SCRIPT_CHARS - self._script_len
            if room > 0:
                self._script.append(data[:room])
                self._script_len += min(room, len(data))
            return
        if self._skip_text or not data.strip():
            return
        data = html.unescape(data[:MAX_TEXT_CHARS])  # only the text kept is decoded
        if self._recent_len < 4 * MAX_CONTEXT_CHARS and self._title_text is None and self._select is None:
            self._recent.append(data)
            self._recent_len += len(data)
        if self._option is not None:
            self._option.append(data)
        if self._legend is not None and sum(map(len, self._legend)) < MAX_TEXT_CHARS:
            self._legend.append(data)
        for _tag, element_id in self._id_stack[-8:]:
            kept = self.id_text.get(element_id)
            if kept is not None and sum(map(len, kept)) < MAX_TEXT_CHARS:
                kept.append(data)
        if self._title_text is None and self._link_text is None and self._label is None:
            return
        if self._title_text is not None:
            self._title_text.append(data[:MAX_TEXT_CHARS])
        if self._link_text is not None and sum(map(len, self._link_text)) < MAX_TEXT_CHARS:
            self._link_text.append(data[:MAX_TEXT_CHARS])
        if self._label is not None:
            label = self.labels[self._label]
            if sum(map(len, label.text)) < MAX_TEXT_CHARS:
                label.text.append(data[:MAX_TEXT_CHARS])

    # -- result --------------------------------------------------------------------------------

    def build(self, page_url: str, truncated: bool, partial: str | None = None) -> HtmlDocument:
        if self._script is not None:  # an unclosed <script> at the end of input
            if self._script_type is not None:
                self._add(self.data_scripts, (self._script_type, "".join(self._script)))
            else:
                self._add(self.inline_scripts, "".join(self._script))
        if self._title_text is not None and self.title is None:
            self.title = _collapse("".join(self._title_text))
        base = _base_url(page_url, self.base_href)
        resources = tuple(
            Resource(tag=tag, attr=attr, url=url, absolute=_join(base, url), rel=rel, in_noscript=ns)
            for tag, attr, url, rel, ns in self.resources)
        links = tuple(
            Link(href=href, absolute=_join(base, href), text=_collapse(" ".join(text))[:MAX_TEXT_CHARS],
                 rel=(_collapse(rel).lower() or None) if rel else None)
            for href, rel, text in self.links)
        forms, loose = self._forms(page_url, base)
        return HtmlDocument(
            title=self.title or None,
            base_url=base,
            resources=resources,
            forms=forms,
            inline_scripts=tuple(self.inline_scripts),
            links=links,
            meta_refresh=_join(base, self.meta_refresh) if self.meta_refresh else None,
            truncated=truncated or self.overflow,
            partial=partial,
            data_scripts=tuple(self.data_scripts),
            data_attributes=tuple(self.data_attributes),
            loose_fields=loose,
            loose_button=self.loose_button,
        )

    def _forms(self, page_url: str, base: str) -> tuple[tuple[Form, ...], tuple[FormField, ...]]:
        by_id = {f.id: i for i, f in enumerate(self.forms) if f.id}
        label_for: dict[str, str] = {}
        for label in self.labels:
            text = _collapse(" ".join(label.text))
            if label.for_id and text:
                label_for.setdefault(label.for_id, text)
        loose: list[_FieldDraft] = []
        for fd in self.fields:
            # a field's form= attribute wins over the form it sits in, as in browsers
            index = by_id.get(fd.form_attr) if fd.form_attr else fd.form_index
            if index is not None:
                self.forms[index].fields.append(fd)
            elif not fd.form_attr:
                loose.append(fd)
        for sub in self.submitters:
            index = by_id.get(sub.form_attr) if sub.form_attr else sub.form_index
            if index is not None:
                action = sub.formaction.strip()
                self.forms[index].submit_actions.append(_join(base, action) if action else page_url.split("#")[0])
        out: list[Form] = []
        for form in self.forms:
            action = (form.action or "").strip()
            # an absent or empty action submits to the document's own URL, not the <base>
            absolute = _join(base, action) if action else page_url.split("#")[0]
            fields = tuple(self._field(fd, label_for) for fd in form.fields)
            submit_actions = tuple(u for u in dict.fromkeys(form.submit_actions) if u != absolute)
            out.append(Form(action=action, absolute_action=absolute, method=form.method, fields=fields,
                            submit_actions=submit_actions))
        return tuple(out), tuple(self._field(fd, label_for) for fd in loose)

    def _field(self, fd: _FieldDraft, label_for: dict[str, str]) -> FormField:
        return FormField(name=fd.name, type=fd.type, label=self._label_of(fd, label_for), id=fd.id,
                         options=tuple(fd.options), context=fd.context)

    def _label_of(self, fd: _FieldDraft, label_for: dict[str, str]) -> str | None:
        label = self._own_label(fd, label_for)
        hint = _collapse(fd.placeholder or "")
        # a placeholder often asks the real question under a generic label ("Message")
        if label and hint and hint.lower() not in label.lower() and label.lower() not in hint.lower():
            return f"{label} ({hint})"[:MAX_TEXT_CHARS]
        return label

    def _own_label(self, fd: _FieldDraft, label_for: dict[str, str]) -> str | None:
        if fd.id and fd.id in label_for:
            return label_for[fd.id]
        if fd.wrapping_label is not None:
            label = self.labels[fd.wrapping_label]
            text = _collapse(" ".join(label.text))
            if text and (not label.for_id or label.for_id == fd.id):
                return text
        if fd.labelledby:  # aria-labelledby names the elements whose text is the label
            text = _collapse(" ".join(" ".join(self.id_text.get(ref, ())) for ref in fd.labelledby.split()[:5]))
            if text:
                return text[:MAX_TEXT_CHARS]
        for candidate in (fd.aria_label, fd.placeholder, fd.title):
            if candidate and candidate.strip():
                return _collapse(candidate)
        return None


_VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                        "track", "wbr"})


def _collapse(text: str) -> str:
    return _WS.sub(" ", text).strip()


def _method(value: str | None) -> str:
    return "POST" if (value or "").strip().lower() == "post" else "GET"


def _join(base: str, url: str) -> str:
    try:
        return urljoin(base, url.strip())
    except ValueError:  # e.g. an invalid IPv6 literal: keep it as written rather than fail the page
        return url


def _base_url(page_url: str, base_href: str | None) -> str:
    if not base_href:
        return page_url
    candidate = _join(page_url, base_href)
    # only a network base counts; browsers ignore <base href="javascript:...">
    try:
        scheme = urlsplit(candidate).scheme.lower()
    except ValueError:
        return page_url
    return candidate if scheme in ("http", "https") else page_url


_REFRESH_URL = re.compile(r"""^\s*[\d.]*\s*[;,]?\s*(?:url\s*=\s*)?(['"]?)(?P<url>.*?)\1\s*$""", re.I | re.S)


def _refresh_target(content: str) -> str | None:
    m = _REFRESH_URL.match(content or "")
    if not m:
        return None
    url = m.group("url").strip()
    return url or None
