"""What the browser does on a page as a visitor would: type into forms (never submit), and watch
scripts read the canvas back (fingerprinting)."""

from __future__ import annotations

import contextlib
import time
from typing import Any

from cyberaudit.probes.privacy.canaries import Field, canary_kind, canary_value
from cyberaudit.probes.privacy.evidence import CanvasRead, TypedField

MAX_FIELDS = 30  # per page: an endless generated form must not eat the probe's time
_KEY_DELAY_MS = 0  # each key is still its own keydown, keypress, input and keyup

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
  window.addEventListener('submit', (e) => e.preventDefault(), true);
})();"""

_FIELDS_JS = r"""(sel) => Array.from(document.querySelectorAll(sel)).map((e) => {
  const tag = e.tagName.toLowerCase();
  const type = tag === 'textarea' ? 'textarea' : (e.getAttribute('type') || 'text').toLowerCase();
  let label = '';
  if (e.id) { const l = document.querySelector('label[for="' + CSS.escape(e.id) + '"]'); if (l) label = l.innerText; }
  if (!label) { const l = e.closest('label'); if (l) label = l.innerText; }
  label = [label, e.getAttribute('aria-label') || '', e.getAttribute('placeholder') || ''].join(' ')
    .replace(/\s+/g, ' ').trim().slice(0, 200);
  const r = e.getBoundingClientRect();
  const st = getComputedStyle(e);
  const usable = r.width > 0 && r.height > 0 && st.visibility !== 'hidden' && !e.disabled && !e.readOnly;
  return {name: e.getAttribute('name') || e.id || label.slice(0, 60) || type, label, type, usable,
          search: type === 'search' || ['q', 's', 'search', 'query'].includes((e.getAttribute('name') || '').toLowerCase())};
})"""
FIELD_SELECTOR = ("input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=checkbox])"
                  ":not([type=radio]):not([type=file]):not([type=image]):not([type=reset]):not([type=password])"
                  ":not([type=range]):not([type=color]), textarea")


def fill_forms(page: Any, deadline: float, max_frames: int = 20) -> list[TypedField]:
    """Type a distinct canary into each visible field (key by key, then Tab away); never submit."""
    typed: list[TypedField] = []
    frames = page.frames[: max_frames + 1]
    for frame in frames:
        in_frame = None if frame is page.main_frame else frame.url
        try:
            fields = frame.evaluate(_FIELDS_JS, FIELD_SELECTOR)
        except Exception:  # a detached or cross-process frame: nothing to fill
            continue
        locators = frame.locator(FIELD_SELECTOR)
        for index, info in enumerate(fields):
            if len(typed) >= MAX_FIELDS or time.monotonic() > deadline:
                return typed
            if not info["usable"] or info["search"]:
                continue
            spec = Field(str(info["name"])[:100], str(info["label"]), str(info["type"]))
            kind = canary_kind(spec)
            value = canary_value(kind, len(typed))
            loc = locators.nth(index)
            try:
                if spec.input_type in ("date", "datetime-local", "month", "time", "week"):
                    loc.fill(value if spec.input_type == "date" else "", timeout=1000)
                else:
                    loc.press_sequentially(value, delay=_KEY_DELAY_MS, timeout=2000)
                loc.press("Tab", timeout=1000)  # the blur that "advanced matching" scripts wait for
            except Exception:  # covered by an overlay, removed meanwhile: the next field
                continue
            typed.append(TypedField(spec.name, kind, value, in_frame))
    return typed


def canvas_reads(page: Any) -> list[CanvasRead]:
    """The canvas read-backs the init script recorded, in every frame."""
    out: list[CanvasRead] = []
    for frame in page.frames:
        log: list[dict[str, Any]] = []
        with contextlib.suppress(Exception):
            log = frame.evaluate("() => (window.__cyberauditCanvas || []).slice(0, 100)")
        for item in log:
            with contextlib.suppress(KeyError, TypeError, ValueError):
                out.append(CanvasRead(str(item["script"])[:300], str(item["method"]), int(item["width"]),
                                      int(item["height"]), str(item["text"])[:100]))
    return out
