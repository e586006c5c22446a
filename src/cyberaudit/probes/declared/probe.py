"""The `declared` probe: what the profile itself says about platforms and the practice's controls.

Nothing is probed here. An answer the profile leaves out is published as null (not known) with the
key to add in ProbeOutput.errors, so a rule that needs it reads `error`, never `pass`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from cyberaudit.errors import ProbeError
from cyberaudit.platforms import Catalog, CatalogEntry, match_entry, processor_domains
from cyberaudit.probes.base import FactSpec, ProbeContext, ProbeOutput
from cyberaudit.probes.declared.jurisdictions import retention_minimum
from cyberaudit.profile import Platform, Profile, profile_catalog
from cyberaudit.targets import Target, TargetKind

_PLATFORM_QUESTIONS = {
    "holds_client_data": "whether {name} holds client data",
    "baa_signed": "whether a BAA (or data-processing agreement) is signed with {name}",
    "mfa_enforced": "whether {name} enforces multi-factor sign-in",
    "e2ee": "whether {name} encrypts sessions end to end",
    "encrypted_at_rest": "whether {name} encrypts stored data",
}

FACTS: tuple[FactSpec, ...] = (
    # platform targets
    FactSpec("declared.name", "str", "The platform's name as written in the profile."),
    FactSpec("declared.kind", "str", "The platform's kind: video, ehr, email, storage, scheduling, "
                                     "payments or other."),
    FactSpec("declared.holds_client_data", "bool?", "Whether the platform stores or sees client "
                                                    "information (null: the profile does not say)."),
    FactSpec("declared.baa_signed", "bool?", "Whether a BAA or equivalent data-processing agreement is "
                                             "signed with the platform."),
    FactSpec("declared.mfa_enforced", "bool?", "Whether the platform enforces multi-factor sign-in for "
                                               "the practice's accounts."),
    FactSpec("declared.e2ee", "bool?", "Whether sessions are end-to-end encrypted (video platforms)."),
    FactSpec("declared.encrypted_at_rest", "bool?", "Whether the platform encrypts the data it stores."),
    FactSpec("declared.domains", "list", "Domains that count as this platform's (a processor, not a tracker): "
                                         "the profile's, and the catalogue's when the vendor signs a BAA."),
    FactSpec("declared.baa_available", "bool?", "Whether the vendor signs a BAA on this plan: the catalogue's "
                                                "answer; for a service it does not know, true when the profile "
                                                "says one is signed."),
    FactSpec("declared.from_catalog", "list", "The answers taken from the platform catalogue because the "
                                              "profile leaves them out (e2ee, mfa_enforced, encrypted_at_rest)."),
    FactSpec("declared.contradictions", "list", "Plain sentences: what the profile declares that the vendor "
                                                "does not offer on this plan."),
    FactSpec("declared.catalog.matched", "bool", "Whether the platform is in the catalogue."),
    FactSpec("declared.catalog.id", "str?", "The catalogue entry's id."),
    FactSpec("declared.catalog.name", "str?", "The catalogue entry's name."),
    FactSpec("declared.catalog.vendor", "str?", "Who runs the service."),
    FactSpec("declared.catalog.kind", "str?", "The catalogue's kind for the service."),
    FactSpec("declared.catalog.baa", "bool?", "Whether the vendor signs a BAA on this plan (null: not "
                                              "published)."),
    FactSpec("declared.catalog.baa_plans", "str?", "On which plans the vendor signs a BAA, in plain words."),
    FactSpec("declared.catalog.e2ee", "str?", "End-to-end encryption: always, optional, none or unknown."),
    FactSpec("declared.catalog.e2ee_note", "str?", "What the vendor says about end-to-end encryption."),
    FactSpec("declared.catalog.at_rest", "bool?", "Whether the vendor encrypts stored data (null: not "
                                                  "published)."),
    FactSpec("declared.catalog.mfa", "str?", "Multi-factor sign-in: required, available, none or unknown."),
    FactSpec("declared.catalog.instead", "list", "Names of catalogue services to use instead (for a plan "
                                                 "without a BAA)."),
    FactSpec("declared.catalog.sources", "list", "The vendor pages the catalogue entry was written from."),
    FactSpec("declared.catalog.read", "date?", "When those pages were read."),
    FactSpec("declared.catalog.suggestion", "str?", "For a name the catalogue does not know: the closest "
                                                    "catalogue name."),
    # the practice target
    FactSpec("declared.jurisdiction", "str", "US, EU, UK, CA, AU or other."),
    FactSpec("declared.retention.policy_defined", "bool", "Whether the profile states how long clinical "
                                                          "records are kept."),
    FactSpec("declared.retention.clinical_records_years", "float?", "Declared years clinical records are "
                                                                    "kept."),
    FactSpec("declared.retention.recordings_days", "int?", "Declared days session recordings are kept "
                                                           "(0: never kept)."),
    FactSpec("declared.retention.minimum_years", "float", "The jurisdiction's default minimum years for "
                                                          "clinical records."),
    FactSpec("declared.retention.minimum_source", "str", "Where the default minimum comes from."),
    FactSpec("declared.backups.encrypted", "bool?", "Whether backups are encrypted."),
    FactSpec("declared.backups.last_restore_test", "date?", "Date of the last test restore (YYYY-MM-DD)."),
    FactSpec("declared.backups.days_since_restore_test", "int?", "Days since the last test restore."),
    FactSpec("declared.devices.disk_encrypted", "bool?", "Declared: the practice's computers have "
                                                         "encrypted disks."),
    FactSpec("declared.devices.screen_lock", "bool?", "Declared: screens lock automatically."),
    FactSpec("declared.devices.auto_updates", "bool?", "Declared: updates install automatically."),
    FactSpec("declared.devices.scan_this_machine", "bool?", "Whether the scan runs on a practice computer "
                                                            "and reads its own state (null: not said)."),
)


class DeclaredProbe:
    """Facts straight from the profile, for platform targets and the practice target."""

    name = "declared"
    title = "Declared answers from the profile"
    scopes: frozenset[TargetKind] = frozenset({"platform", "practice"})
    requires: tuple[str, ...] = ()
    facts = FACTS

    def run(self, target: Target, ctx: ProbeContext) -> ProbeOutput:
        if target.kind == "platform":
            if not isinstance(target.spec, Platform):
                raise ProbeError(f"platform target {target.id!r} has no platform entry in the profile")
            catalog = profile_catalog(ctx.profile, ctx.profile_dir)
            return platform_facts(target.spec, _platform_index(ctx.profile, target.spec), catalog)
        if target.kind == "practice":
            return practice_facts(ctx.profile, dt.date.today())
        raise ProbeError(f"the declared probe does not apply to {target.kind} targets")


def _platform_index(profile: Profile, platform: Platform) -> int | None:
    for i, p in enumerate(profile.platforms):
        if p.name == platform.name:
            return i
    return None


def platform_facts(platform: Platform, index: int | None, catalog: Catalog | None = None) -> ProbeOutput:
    """Facts for one platform; `index` is its position under `platforms:` (for the hint).

    Where the profile is silent, the catalogue's answer is used when it settles the question (a
    service without MFA at all, one that always encrypts end to end); otherwise the fact stays unknown.
    """
    out = ProbeOutput()
    where = f"platforms[{index}]" if index is not None else f"the platform {platform.name!r}"
    entry = match_entry(catalog, platform.name, platform.catalog) if catalog else None
    implied = _catalog_answers(entry)
    out.facts = {"name": platform.name, "kind": platform.kind or (entry.kind if entry else "other"),
                 "domains": processor_domains(platform.domains, entry)}
    from_catalog: list[str] = []
    for key, question in _PLATFORM_QUESTIONS.items():
        value = getattr(platform, key)
        if value is None and implied.get(key) is not None:
            value = implied[key]
            from_catalog.append(key)
        out.facts[key] = value
        if value is None:
            out.errors[f"declared.{key}"] = (f"the profile does not say {question.format(name=platform.name)}: "
                                             f"add {where}.{key}: true or false")
    out.facts["from_catalog"] = from_catalog
    out.facts["catalog"] = _catalog_facts(entry, catalog, platform.name)
    out.facts["contradictions"] = _contradictions(platform, entry)
    if entry is not None and entry.baa is not None:
        out.facts["baa_available"] = entry.baa
    elif platform.baa_signed:
        out.facts["baa_available"] = True  # a signed agreement shows the vendor offers one
    else:
        out.facts["baa_available"] = None
        out.errors["declared.baa_available"] = (
            f"the platform catalogue does not say whether {entry.vendor if entry else 'the vendor'} signs a BAA "
            f"for {platform.name}" + ("" if entry else " (it is not in the catalogue"
                                      + (f"; did you mean {out.facts['catalog']['suggestion']}?)"
                                         if out.facts["catalog"]["suggestion"] else ")"))
            + f": ask the vendor, then set {where}.baa_signed: true once it is signed")
    return out


def _catalog_answers(entry: CatalogEntry | None) -> dict[str, bool | None]:
    """What the catalogue alone settles: only answers that do not depend on the practice's settings."""
    if entry is None:
        return {}
    return {
        "e2ee": {"always": True, "none": False}.get(entry.e2ee),
        "mfa_enforced": {"required": True, "none": False}.get(entry.mfa),
        "encrypted_at_rest": entry.at_rest,
    }


def _catalog_facts(entry: CatalogEntry | None, catalog: Catalog | None, name: str) -> dict[str, Any]:
    if entry is None:
        suggestion = catalog.suggest(name) if catalog else None
        hint = catalog.get(suggestion) if catalog and suggestion else None
        return {"matched": False, "id": None, "name": None, "vendor": None, "kind": None, "baa": None,
                "baa_plans": None, "e2ee": None, "e2ee_note": None, "at_rest": None, "mfa": None,
                "instead": [], "sources": [], "read": None,
                "suggestion": hint.name if hint else suggestion}
    instead = [catalog.get(i).name for i in entry.instead if catalog and catalog.get(i)]
    return {"matched": True, "id": entry.id, "name": entry.name, "vendor": entry.vendor, "kind": entry.kind,
            "baa": entry.baa, "baa_plans": entry.baa_plans, "e2ee": entry.e2ee, "e2ee_note": entry.e2ee_note,
            "at_rest": entry.at_rest, "mfa": entry.mfa, "instead": instead, "sources": list(entry.sources),
            "read": entry.read.isoformat(), "suggestion": None}


def _contradictions(platform: Platform, entry: CatalogEntry | None) -> list[str]:
    """What the profile says that the vendor does not offer on this plan, one sentence each."""
    if entry is None:
        return []
    out: list[str] = []
    if platform.baa_signed and entry.baa is False:
        out.append(f"The profile says a BAA is signed, but {entry.vendor} does not sign one for {entry.name}.")
    if platform.e2ee and entry.e2ee == "none":
        out.append(f"The profile says sessions are end-to-end encrypted, but {entry.name} does not offer "
                   f"end-to-end encryption.")
    if platform.mfa_enforced and entry.mfa == "none":
        out.append(f"The profile says multi-factor sign-in is enforced, but {entry.name} does not offer it.")
    if platform.encrypted_at_rest and entry.at_rest is False:
        out.append(f"The profile says stored data is encrypted, but {entry.vendor} says {entry.name} "
                   f"does not encrypt it.")
    return out


def practice_facts(profile: Profile, today: dt.date) -> ProbeOutput:
    """Facts for the practice target: jurisdiction, retention policy, backups, devices."""
    out = ProbeOutput()
    controls = profile.controls
    retention, backups, devices = controls.retention, controls.backups, controls.devices
    minimum = retention_minimum(profile.practice.jurisdiction)

    def unknown(path: str, message: str) -> None:
        out.errors[f"declared.{path}"] = message

    ret: dict[str, Any] = {
        "policy_defined": retention.clinical_records_years is not None,
        "clinical_records_years": retention.clinical_records_years,
        "recordings_days": retention.recordings_days,
        "minimum_years": minimum.years,
        "minimum_source": minimum.source,
    }
    if retention.clinical_records_years is None:
        unknown("retention.clinical_records_years", "the profile does not say how long clinical records are "
                "kept: add controls.retention.clinical_records_years")
    if retention.recordings_days is None:
        unknown("retention.recordings_days", "the profile does not say how long session recordings are kept: "
                "add controls.retention.recordings_days (0 if recordings are never kept)")

    days_since: int | None = None
    if backups.last_restore_test is None:
        unknown("backups.last_restore_test", "the profile does not say when a backup was last restored as a "
                "test: add controls.backups.last_restore_test: YYYY-MM-DD")
        unknown("backups.days_since_restore_test", "the profile does not say when a backup was last restored "
                "as a test: add controls.backups.last_restore_test: YYYY-MM-DD")
    elif backups.last_restore_test > today:
        unknown("backups.days_since_restore_test", f"controls.backups.last_restore_test "
                f"({backups.last_restore_test.isoformat()}) is in the future")
    else:
        days_since = (today - backups.last_restore_test).days
    if backups.encrypted is None:
        unknown("backups.encrypted", "the profile does not say whether backups are encrypted: add "
                "controls.backups.encrypted: true or false")

    for key, what in (("disk_encrypted", "the practice's computers have encrypted disks"),
                      ("screen_lock", "screens lock automatically"),
                      ("auto_updates", "updates install automatically")):
        if getattr(devices, key) is None:
            unknown(f"devices.{key}", f"the profile does not say whether {what}: add "
                    f"controls.devices.{key}: true or false")

    out.facts = {
        "jurisdiction": profile.practice.jurisdiction,
        "retention": ret,
        "backups": {
            "encrypted": backups.encrypted,
            "last_restore_test": backups.last_restore_test.isoformat() if backups.last_restore_test else None,
            "days_since_restore_test": days_since,
        },
        "devices": {
            "disk_encrypted": devices.disk_encrypted,
            "screen_lock": devices.screen_lock,
            "auto_updates": devices.auto_updates,
            "scan_this_machine": devices.scan_this_machine,
        },
    }
    return out


PROBE = DeclaredProbe()
