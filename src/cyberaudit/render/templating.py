"""The jinja2 environment for reports: autoescaped, strict, sandboxed, user templates first."""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, TemplateError, TemplateSyntaxError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from cyberaudit.errors import InputError
from cyberaudit.render.areas import area_name
from cyberaudit.render.view import STATUS_LABEL, evidence_items, plain_evidence
from cyberaudit.resources import templates_dir
from cyberaudit.result import parse_timestamp
from cyberaudit.scoring import display_score
from cyberaudit.textsafe import code_spans


def anchor(value: object) -> str:
    """A readable fragment id, unique per value (two targets may slug alike: a.example, a-example)."""
    text = str(value)
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:48] or "x"
    return f"{slug}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:6]}"


def _when(value: str) -> str:
    stamp = parse_timestamp(value)
    return str(value) if stamp is None else stamp.strftime("%d %B %Y, %H:%M UTC")


def _reason(value: str) -> str:
    # error messages often start with the status itself, which the heading already says
    text = str(value)
    prefix = "could not be checked:"
    return text[len(prefix):].strip() if text.lower().startswith(prefix) else text


def _short_digest(value: str) -> str:
    algo, _, hexdigest = str(value).partition(":")
    return f"{algo}:{hexdigest[:12]}" if hexdigest else str(value)[:12]


def environment(template_dir: Path | None = None) -> ImmutableSandboxedEnvironment:
    """Templates from `template_dir` override the built-in ones of the same name."""
    if template_dir is not None and not Path(template_dir).is_dir():
        raise InputError("template folder not found", template_dir)
    return _environment(None if template_dir is None else str(Path(template_dir).resolve()))


@functools.lru_cache(maxsize=8)
def _environment(template_dir: str | None) -> ImmutableSandboxedEnvironment:
    # Cached: compiling the templates costs more than rendering them. The loaders still notice
    # edited template files (jinja2 checks their modification time).
    loaders = []
    if template_dir is not None:
        loaders.append(FileSystemLoader(template_dir))
    loaders.append(FileSystemLoader(str(templates_dir())))
    # Sandboxed: a template handed over by someone else can format data but not reach Python internals.
    env = ImmutableSandboxedEnvironment(loader=ChoiceLoader(loaders), autoescape=True, undefined=StrictUndefined,
                                        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(
        area=area_name,
        anchor=anchor,
        when=_when,
        short_digest=_short_digest,
        reason=_reason,
        status_label=lambda s: STATUS_LABEL.get(s, "Absent" if s is None else str(s)),
        evidence_items=evidence_items,
        plain_evidence=plain_evidence,
        score=display_score,
        code_spans=code_spans,
    )
    return env


def render_template(name: str, template_dir: Path | None = None, **context: object) -> str:
    """Render one template; a broken user template is an InputError naming its file and line."""
    env = environment(template_dir)
    try:
        return env.get_template(name).render(**context)
    except TemplateSyntaxError as exc:
        raise InputError(f"template error: {exc.message}", exc.filename or name, exc.lineno) from None
    except TemplateError as exc:
        raise InputError(f"template error: {exc}", _origin(name, template_dir)) from None


def stream_template(name: str, template_dir: Path | None = None, **context: object) -> Iterator[str]:
    """`render_template` in pieces as they are made, for writing a large report without holding its text."""
    env = environment(template_dir)
    try:
        template = env.get_template(name)
    except TemplateSyntaxError as exc:
        raise InputError(f"template error: {exc.message}", exc.filename or name, exc.lineno) from None
    except TemplateError as exc:
        raise InputError(f"template error: {exc}", _origin(name, template_dir)) from None
    return _pieces(template.generate(**context), name, template_dir)


def _pieces(pieces: Iterator[str], name: str, template_dir: Path | None) -> Iterator[str]:
    try:
        yield from pieces
    except TemplateError as exc:
        raise InputError(f"template error: {exc}", _origin(name, template_dir)) from None


def _origin(name: str, template_dir: Path | None) -> Path:
    if template_dir is not None and (Path(template_dir) / name).is_file():
        return Path(template_dir) / name
    return templates_dir() / name
