"""The platform catalogue: what each vendor publishes about BAAs, encryption and MFA, per plan.

The built-in catalogue is data (`cyberaudit/data/platforms.yaml`); files named under the profile's
`platform_catalogs:` add entries or replace built-in ones with the same id. Profiles name platforms
from it by `name:` (case-insensitive, aliases too) or by `catalog: ID`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, field_validator

from cyberaudit.errors import InputError
from cyberaudit.models import Strict, validate_document
from cyberaudit.resources import data_dir
from cyberaudit.yamlsrc import load_yaml

CatalogKind = Literal["video", "ehr", "email", "storage", "scheduling", "forms", "payments", "messaging",
                      "website", "other"]


class CatalogEntry(Strict):
    """One service on one plan, as its vendor describes it."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", description="Stable id, used as `catalog:` in profiles.")
    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    vendor: str = Field(min_length=1)
    kind: CatalogKind
    baa: bool | None = Field(description="Whether the vendor signs a BAA on this plan (null: not published).")
    baa_plans: str | None = Field(None, description="On which plans, and how, in plain words.")
    e2ee: Literal["always", "optional", "none", "unknown"] = "unknown"
    e2ee_note: str | None = None
    at_rest: bool | None = None
    mfa: Literal["required", "available", "none", "unknown"] = "unknown"
    domains: list[str] = Field(default_factory=list, description="Domains the service's pages load from.")
    instead: list[str] = Field(default_factory=list, description="Catalogue ids to suggest instead.")
    sources: list[str] = Field(min_length=1, description="The vendor pages the entry was written from.")
    read: dt.date = Field(description="When those pages were read.")

    @field_validator("sources")
    @classmethod
    def _sources(cls, v: list[str]) -> list[str]:
        for url in v:
            if not url.startswith("https://"):
                raise ValueError(f"sources are https:// addresses of the vendor's pages, got {url!r}")
        return v

    @field_validator("domains")
    @classmethod
    def _domains(cls, v: list[str]) -> list[str]:
        return [d.strip().lower().rstrip(".") for d in v if d.strip()]

    def as_fact(self) -> dict[str, Any]:
        """The entry as JSON-able facts (`cyberaudit platforms --format json` and the declared probe)."""
        return self.model_dump(mode="json")


class CatalogFile(Strict):
    catalog: str = Field(min_length=1, description="The catalogue's name.")
    version: str = Field(min_length=1)
    licence: str | None = None
    entries: list[CatalogEntry]


@dataclass(frozen=True)
class Catalog:
    """Entries by id, with the files they came from (built-in first, user files after)."""

    entries: dict[str, CatalogEntry]
    sources: tuple[str, ...]  # "name version" of each file merged

    def get(self, entry_id: str) -> CatalogEntry | None:
        return self.entries.get(entry_id)

    def find(self, name: str) -> CatalogEntry | None:
        """The entry whose name or alias is `name`, compared case- and space-insensitively."""
        return self._by_name().get(_key(name))

    def suggest(self, text: str) -> str | None:
        """The id or name closest to `text`, for "did you mean …?"."""
        words = [*self.entries, *(e.name for e in self.entries.values())]
        close = difflib.get_close_matches(text.lower(), [w.lower() for w in words], n=1, cutoff=0.6)
        if not close:
            return None
        return next(w for w in words if w.lower() == close[0])

    def _by_name(self) -> dict[str, CatalogEntry]:
        out: dict[str, CatalogEntry] = {}
        for entry in self.entries.values():
            for name in (entry.name, *entry.aliases):
                out.setdefault(_key(name), entry)
        return out


def _key(name: str) -> str:
    return " ".join(name.lower().split())


def load_catalog_file(path: str | Path) -> CatalogFile:
    """One catalogue file, validated; a mistake is an InputError at its line."""
    doc = load_yaml(path)
    if not isinstance(doc.data, dict):
        raise InputError("a platform catalogue is a mapping with catalog, version and entries", Path(path), 1, 1)
    parsed = validate_document(CatalogFile, doc)
    seen: dict[str, int] = {}
    for i, entry in enumerate(parsed.entries):
        if entry.id in seen:
            raise doc.error(("entries", i, "id"), f"entries[{i}].id: {entry.id!r} is already used by "
                                                   f"entries[{seen[entry.id]}]")
        seen[entry.id] = i
    return parsed


_BUILTIN_LOCK = threading.Lock()
_BUILTIN: CatalogFile | None = None


def builtin_catalog_file() -> CatalogFile:
    """The shipped catalogue, parsed once per process (thread-safe)."""
    global _BUILTIN
    with _BUILTIN_LOCK:
        if _BUILTIN is None:
            _BUILTIN = load_catalog_file(data_dir() / "platforms.yaml")
        return _BUILTIN


def build_catalog(extra: Sequence[CatalogFile] = ()) -> Catalog:
    """The built-in catalogue with user files merged over it (same id: the user's entry wins)."""
    files = [builtin_catalog_file(), *extra]
    entries: dict[str, CatalogEntry] = {}
    for f in files:
        for entry in f.entries:
            entries[entry.id] = entry
    return Catalog(entries=entries, sources=tuple(f"{f.catalog} {f.version}" for f in files))


def load_catalog(paths: Iterable[str | Path] = ()) -> Catalog:
    """The built-in catalogue plus the user files at `paths`."""
    return build_catalog([load_catalog_file(p) for p in paths])


def match_entry(catalog: Catalog, name: str, catalog_id: str | None) -> CatalogEntry | None:
    """The entry a profile's platform means: its `catalog:` id, else its name or an alias."""
    if catalog_id:
        return catalog.get(catalog_id)
    return catalog.find(name)


def processor_domains(declared: Sequence[str], entry: CatalogEntry | None) -> list[str]:
    """Domains that count as this platform's (a processor, not a tracker).

    The catalogue's domains count only for a vendor that signs a BAA on the plan: declaring an
    advertising or analytics service must never turn its trackers into "processors".
    """
    out = [d.strip().lower().rstrip(".") for d in declared if d.strip()]
    if entry is not None and entry.baa is True:
        out += [d for d in entry.domains if d not in out]
    return out
