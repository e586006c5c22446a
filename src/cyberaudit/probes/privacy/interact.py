"""What the browser does on a page as a visitor would: move, scroll, type into forms and pick
choices (never submit), and watch scripts read the canvas back (fingerprinting)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any

from cyberaudit.probes.privacy.canaries import Field, canary_kind, canary_value, choice_kind
from cyberaudit.probes.privacy.evidence import CanvasRead, TypedField

MAX_FIELDS = 30  # per page: an endless generated form must not eat the probe's time
SHORT_TIMER_MS = 3000  # a timer this short is waited for: tags are often fired "a moment after load"

# Runs before any page script. The wrappers record who read a canvas back (the first http(s) URL
# on the call stack: the init script itself has none) and what text was drawn on it. Submitting is
# blocked so that nothing typed by the scan is ever sent on purpose.
INIT_SCRIPT = r"""(() => {
  const log = [];
  try { Object.defineProperty(window, '__cyberauditCanvas', {value: log, enumerable: false}); } catch (e) { return; }
  const caller = () => {
    const lines = String((new Error()).stack || '').split('\n');
    for (const line of lines) {
      const m = line.match(/(https?:\/\/[^\s()]+?):\d+:\d+/);
      if (m) return m[1];
    }
    return location.href;
  };
  const texts = new WeakMap();
  const note = (c, t) => { try { texts.set(c, ((texts.get(c) || '') + String(t)).slice(0, 200)); } catch (e) {} };
  const record = (method, c) => {
    try {
      if (log.length < 100) log.push({method, script: caller(), width: c.width | 0, height: c.height | 0,
                                     text: texts.get(c) || ''});
    } catch (e) {}
  };
  const C2 = window.CanvasRenderingContext2D && CanvasRenderingContext2D.prototype;
  if (C2) {
    for (const name of ['fillText', 'strokeText']) {
      const orig = C2[name];
      C2[name] = function (t, ...rest) { note(this.canvas, t); return orig.call(this, t, ...rest); };
    }
    const gid = C2.getImageData;
    C2.getImageData = function (...a) { record('getImageData', this.canvas); return gid.apply(this, a); };
  }
  const HC = window.HTMLCanvasElement && HTMLCanvasElement.prototype;
  if (HC) {
    for (const name of ['toDataURL', 'toBlob']) {
      const orig = HC[name];
      HC[name] = function (...a) { record(name, this); return orig.apply(this, a); };
    }
  }
  // Short timers still pending: the page is not idle while a tag waits "a moment" to load.
  const pending = new Set();
  const st = window.setTimeout, ct = window.clearTimeout;
  try { Object.defineProperty(window, '__cyberauditTimers', {get: () => pending.size, enumerable: false}); } catch (e) {}
  // A timer re-armed from its own callback (a carousel, a poll) counts for its first few rounds only.
  let depth = 0;
  window.setTimeout = function (fn, ms, ...rest) {
    let id;
    const gen = depth + 1;
    const run = typeof fn === 'function' ? function () {
      pending.delete(id); const was = depth; depth = gen;
      try { return fn.apply(this, arguments); } finally { depth = was; }
    } : fn;
    id = st.call(window, run, ms, ...rest);
    if (typeof fn === 'function' && gen <= 3 && (Number(ms) || 0) <= SHORT_MS) pending.add(id);
    return id;
  };
  window.clearTimeout = function (id) { pending.delete(id); return ct.call(window, id); };
  window.addEventListener('submit', (e) => e.preventDefault(), true);
})();""".replace("SHORT_MS", str(SHORT_TIMER_MS))


# One pass over the document: every field a visitor can fill, with what the report calls it.
_FIELDS_JS = r"""(sel) => {
  const all = Array.from(document.querySelectorAll(sel));
  const groups = new Set();
  return all.map((e, index) => {
    const tag = e.tagName.toLowerCase();
    const type = tag === 'textarea' ? 'textarea' : tag === 'select' ? 'select'
      : (e.getAttribute('type') || 'text').toLowerCase();
    let label = '';
    if (e.id) { const l = document.querySelector('label[for="' + CSS.escape(e.id) + '"]'); if (l) label = l.innerText; }
    if (!label) { const l = e.closest('label'); if (l) label = l.innerText; }
    const by = (e.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean)
      .map((i) => { const n = document.getElementById(i); return n ? n.innerText : ''; }).join(' ');
    const set = e.closest('fieldset');
    const legend = set && set.querySelector('legend') ? set.querySelector('legend').innerText : '';
    label = [label, by, e.getAttribute('aria-label') || '', e.getAttribute('placeholder') || '',
             (type === 'radio' || type === 'checkbox') ? legend : '']
      .join(' ').replace(/\s+/g, ' ').trim().slice(0, 200);
    const r = e.getBoundingClientRect();
    const st = getComputedStyle(e);
    const shown = r.width > 0 && r.height > 0 && st.visibility !== 'hidden';
    const usable = !e.disabled && !e.readOnly;
    const name = e.getAttribute('name') || e.id || label.slice(0, 60) || type;
    let value = null, text = null, skip = false;
    if (type === 'select') {
      const opts = Array.from(e.options).filter((o) => !o.disabled && o.value.trim() !== ''
        && !/^\s*(-+|select|choose|please|pick)\b/i.test(o.text));
      if (opts.length) { value = opts[0].value; text = opts[0].text.trim(); } else skip = true;
    } else if (type === 'radio') {
      const group = (e.form ? 'f' : 'd') + ':' + (e.getAttribute('name') || index);
      if (groups.has(group) || e.checked) skip = true; else groups.add(group);
      value = e.value; text = label;
    } else if (type === 'checkbox') {
      if (e.checked) skip = true;
      value = e.value; text = label;
    }
    return {index, name, label, type, shown, usable, value, text, skip,
            search: type === 'search' || ['q', 's', 'search', 'query'].includes((e.getAttribute('name') || '').toLowerCase())};
  });
}"""
FIELD_SELECTOR = ("input:not([type=hidden]):not([type=submit]):not([type=button])"
                  ":not([type=file]):not([type=image]):not([type=reset]):not([type=password])"
                  ":not([type=range]):not([type=color]), textarea, select")
_CHOICES = ("select", "radio", "checkbox")
_DATES = ("date", "datetime-local", "month", "time", "week")


async def _type_text(page: Any, loc: Any, value: str, input_type: str) -> None:
    await loc.focus(timeout=1000)
    if input_type in _DATES:  # Chromium's date widgets take no free typing: set it as the picker would
        await loc.fill(value if input_type == "date" else "", timeout=1000)
    else:
        # real key events (keydown, keypress, input, keyup) for each character, without the
        # actionability checks a locator repeats before every key
        await page.keyboard.type(value)


async def _choose(loc: Any, info: dict[str, Any]) -> None:
    if info["type"] == "select":
        await loc.focus(timeout=1000)
        await loc.select_option(value=info["value"], timeout=1000)
        return
    try:
        await loc.check(timeout=800)  # a real click on the box
    except Exception:  # a styled control hides the input: click it as its label would
        await loc.evaluate("(e) => { e.click(); }")
    with contextlib.suppress(Exception):
        await loc.focus(timeout=500)


async def fill_forms(page: Any, deadline: float, max_frames: int = 20) -> list[TypedField]:
    """Type a distinct canary into each field and pick a choice in each select, radio group and
    checkbox (each then left with Tab, the blur scripts wait for); never submit."""
    typed: list[TypedField] = []
    n = 0
    for frame in page.frames[: max_frames + 1]:
        in_frame = None if frame is page.main_frame else frame.url
        try:
            fields = await frame.evaluate(_FIELDS_JS, FIELD_SELECTOR)
        except Exception:  # a detached or cross-process frame: nothing to fill
            continue
        locators = frame.locator(FIELD_SELECTOR)
        for info in fields:
            if len(typed) >= MAX_FIELDS or time.monotonic() > deadline:
                return typed
            if not info["usable"] or info["search"] or info["skip"]:
                continue
            if not info["shown"] and info["type"] not in ("radio", "checkbox"):
                continue  # a honeypot or a collapsed step: no visitor types there
            spec = Field(str(info["name"])[:100], str(info["label"]), str(info["type"]))
            loc = locators.nth(int(info["index"]))
            try:
                if spec.input_type in _CHOICES:
                    kind = choice_kind(spec, str(info["text"] or ""))
                    value = str(info["value"] or "")
                    await _choose(loc, info)
                    also = (str(info["text"]),) if info["text"] and info["text"] != value else ()
                else:
                    kind = canary_kind(spec)
                    value = canary_value(kind, n)
                    also = ()
                    await _type_text(page, loc, value, spec.input_type)
                    n += 1
                await page.keyboard.press("Tab")  # the blur that "advanced matching" scripts wait for
            except Exception:  # covered by an overlay, removed meanwhile: the next field
                continue
            typed.append(TypedField(spec.name, kind, value, in_frame, choice=spec.input_type in _CHOICES,
                                    also=also[:1]))
    return typed


async def move_and_scroll(page: Any) -> None:
    """A visitor's first mouse move and scroll: many sites delay their tags until one happens."""
    with contextlib.suppress(Exception):
        await page.mouse.move(200, 200)
        await page.mouse.move(240, 260, steps=2)
        await page.mouse.wheel(0, 600)


async def pending_timers(page: Any, max_frames: int = 10) -> int:
    """Short timers still pending in the page and its first frames (0 when none can be read)."""
    async def one(frame: Any) -> int:
        try:
            return int(await frame.evaluate("() => window.__cyberauditTimers || 0"))
        except Exception:  # a detached frame, or one without the init script
            return 0
    counts = await asyncio.gather(*(one(f) for f in page.frames[:max_frames]))
    return sum(counts)


async def canvas_reads(page: Any) -> list[CanvasRead]:
    """The canvas read-backs the init script recorded, in every frame."""
    out: list[CanvasRead] = []
    for frame in page.frames:
        log: list[dict[str, Any]] = []
        with contextlib.suppress(Exception):
            log = await frame.evaluate("() => (window.__cyberauditCanvas || []).slice(0, 100)")
        for item in log:
            with contextlib.suppress(KeyError, TypeError, ValueError):
                out.append(CanvasRead(str(item["script"])[:300], str(item["method"]), int(item["width"]),
                                      int(item["height"]), str(item["text"])[:100]))
    return out
