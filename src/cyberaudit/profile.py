"""The practice profile (`cyberaudit.yaml`): model, loader and the targets it declares."""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator

from cyberaudit.dnsclient import parse_nameserver
from cyberaudit.errors import InputError, raise_all
from cyberaudit.lazy import once
from cyberaudit.models import Strict, validate_document
from cyberaudit.platforms import Catalog, load_catalog
from cyberaudit.targets import Target
from cyberaudit.yamlsrc import YamlDocument, load_yaml

DEFAULT_PROFILE = "cyberaudit.yaml"
PlatformKind = Literal["video", "ehr", "email", "storage", "scheduling", "forms", "payments", "messaging",
                       "website", "other"]
Jurisdiction = Literal["US", "EU", "UK", "CA", "AU", "other"]


class Practice(Strict):
    name: str = Field(min_length=1, description="The practice's name, shown on reports.")
    jurisdiction: Jurisdiction = Field("US", description="Selects retention minimums and references.")


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value.strip("[]"))
    except ValueError:
        return False
    return True


def _ip_address(value: str | None) -> str | None:
    if value is not None and not _is_ip(value):
        raise ValueError(f"address must be an IP address such as 203.0.113.7, got {value!r}")
    return value


def _check_url(value: str, schemes: tuple[str, ...]) -> str:
    parts = urlsplit(value)
    if parts.scheme.lower() not in schemes or not parts.hostname:
        raise ValueError(f"expected a {' or '.join(schemes)} URL such as {schemes[0]}://example.org/, got {value!r}")
    if any(c.isspace() or c in "\\<>{}|^`\"" for c in parts.hostname):
        # the same host must also be a valid TLS endpoint (see Endpoint.host)
        raise ValueError(f"the host name in {value!r} holds a space or a character host names cannot have")
    try:
        parts.port  # noqa: B018  - raises on a bad port
    except ValueError:
        raise ValueError(f"invalid port in {value!r}") from None
    return value


class Website(Strict):
    url: str = Field(description="The site's address: https://, or http:// for a site without HTTPS.")
    pages: list[str] = Field(default_factory=lambda: ["/"], description="Paths (or URLs) to check.")
    http_url: str | None = Field(None, description="Plain-HTTP address for the redirect check.")
    https_url: str | None = Field(None, description="For an http:// url: where its HTTPS site is tried "
                                                    "(default: the same host and path on port 443).")
    address: str | None = Field(None, description="Connect to this IP address, keeping the name.")
    max_pages: int | None = Field(None, ge=1, le=200, description="Pages checked in all, `pages:` first, then "
                                  "pages found by following links and sitemap.xml (default 20).")

    @field_validator("address")
    @classmethod
    def _address(cls, v: str | None) -> str | None:
        return _ip_address(v)

    @field_validator("url")
    @classmethod
    def _url(cls, v: str) -> str:
        return _check_url(v, ("https", "http"))

    @field_validator("http_url")
    @classmethod
    def _http_url(cls, v: str | None) -> str | None:
        return None if v is None else _check_url(v, ("http",))

    @field_validator("https_url")
    @classmethod
    def _https_url(cls, v: str | None) -> str | None:
        return None if v is None else _check_url(v, ("https",))

    @model_validator(mode="after")
    def _https_url_for_http_sites(self) -> Website:
        if self.https_url and urlsplit(self.url).scheme.lower() == "https":
            raise ValueError("https_url is for a website whose url is http://; this url is already https://")
        return self

    @property
    def tls_host_port(self) -> tuple[str, int]:
        """Where the site's HTTPS is checked: the https:// url, https_url, else port 443 of the host."""
        if urlsplit(self.url).scheme.lower() == "https":
            return self.host, self.port
        if self.https_url:
            parts = urlsplit(self.https_url)
            return (parts.hostname or "").lower(), parts.port or 443
        return self.host, 443

    @property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "").lower()

    @property
    def port(self) -> int:
        parts = urlsplit(self.url)
        return parts.port or (443 if parts.scheme.lower() == "https" else 80)

    def address_bindings(self) -> list[tuple[str, int]]:
        """The host:port pairs `address:` covers: the URL's, 443, 80 and the http_url's and https_url's."""
        pairs = [(self.host, self.port), (self.host, 443), (self.host, 80)]
        for other, default in ((self.http_url, 80), (self.https_url, 443)):
            if other:
                parts = urlsplit(other)
                if (parts.hostname or "").lower() == self.host:
                    pairs.append((self.host, parts.port or default))
        return list(dict.fromkeys(pairs))


class Endpoint(Strict):
    host: str = Field(min_length=1, description="A host name or IP address (no scheme, no path).")
    port: int = Field(443, ge=1, le=65535)
    address: str | None = Field(None, description="Connect to this IP address, keeping the name.")

    @field_validator("host")
    @classmethod
    def _host(cls, v: str) -> str:
        v = v.strip().rstrip(".").lower()
        if not v or any(c in v for c in " /@") or ("://" in v) or (":" in v and not _is_ip(v)):
            raise ValueError(f"expected a host name such as portal.practice.example (no scheme, path or "
                             f"port: use port:), got {v!r}")
        return v

    @field_validator("address")
    @classmethod
    def _address(cls, v: str | None) -> str | None:
        return _ip_address(v)

    @property
    def id(self) -> str:
        return f"{self.host}:{self.port}"


class SiteEndpoint(Endpoint):
    """The TLS endpoint of a website (not written in the profile): its rules say which site it serves."""

    site_url: str = Field(description="The website this endpoint is the HTTPS of.")


class MailDomain(Strict):
    domain: str = Field(min_length=1)
    dkim_selectors: list[str] = Field(default_factory=list)
    senders: list[str] = Field(default_factory=list, description="IPs that must pass SPF.")

    @field_validator("domain")
    @classmethod
    def _domain(cls, v: str) -> str:
        v = v.strip().rstrip(".").lower()
        if not v or any(c in v for c in " /@:") or "." not in v:
            raise ValueError(f"expected a domain name such as practice.example, got {v!r}")
        return v

    @field_validator("senders")
    @classmethod
    def _senders(cls, v: list[str]) -> list[str]:
        for item in v:
            try:
                ipaddress.ip_address(item.strip())
            except ValueError:
                raise ValueError(f"senders lists IP addresses such as 203.0.113.25, got {item!r}") from None
        return [item.strip() for item in v]


class Targets(Strict):
    websites: list[Website] = Field(default_factory=list)
    endpoints: list[Endpoint] = Field(default_factory=list)
    mail_domains: list[MailDomain] = Field(default_factory=list)


class Platform(Strict):
    name: str = Field(min_length=1, description="The service, e.g. Zoom for Healthcare; matched against "
                                                "the platform catalogue (`cyberaudit platforms`).")
    catalog: str | None = Field(None, description="The catalogue id (`cyberaudit platforms`), when the name "
                                                  "alone does not say which service and plan it is.")
    kind: PlatformKind | None = Field(None, description="Taken from the catalogue when left out; else other.")
    holds_client_data: bool | None = None
    baa_signed: bool | None = Field(None, description="A signed BAA or data-processing agreement.")
    mfa_enforced: bool | None = None
    e2ee: bool | None = Field(None, description="End-to-end encryption (video).")
    encrypted_at_rest: bool | None = None
    domains: list[str] = Field(default_factory=list, description="Declared processor domains.")
    notes: str | None = None


class RetentionPath(Strict):
    path: str
    kind: Literal["notes", "recordings", "exports", "other"] = "other"
    max_age_days: int | None = Field(None, ge=0)
    patterns: list[str] = Field(default_factory=list, description="Glob patterns; all files if empty.")


class Retention(Strict):
    clinical_records_years: float | None = Field(None, ge=0)
    recordings_days: int | None = Field(None, ge=0, description="0 = recordings are never kept.")
    paths: list[RetentionPath] = Field(default_factory=list)


class Backups(Strict):
    encrypted: bool | None = None
    last_restore_test: dt.date | None = None


class Devices(Strict):
    disk_encrypted: bool | None = Field(None, description="Declared when the scan does not run on it.")
    screen_lock: bool | None = None
    auto_updates: bool | None = None
    scan_this_machine: bool | None = Field(
        None, description="Whether the scan runs on a computer used for client work and reads its own state. "
                          "Unset: only when the scan runs on a terminal and CI is not set.")


class Controls(Strict):
    retention: Retention = Field(default_factory=Retention)
    backups: Backups = Field(default_factory=Backups)
    devices: Devices = Field(default_factory=Devices)


class Safeguard(Strict):
    """One policy or practice no probe can see: is it in place, which document shows it, when reviewed."""

    in_place: bool | None = Field(None, description="Whether the practice has it (null: not sure).")
    evidence: str | None = Field(None, description="A document that shows it (checked to exist, never read).")
    reviewed: dt.date | None = Field(None, description="When it was last reviewed or done (YYYY-MM-DD).")
    notes: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        # `risk_analysis: true` is the short form of `risk_analysis: {in_place: true}`
        if value is None or isinstance(value, bool):
            return {"in_place": value}
        return value


SAFEGUARD_KEYS = ("telehealth_consent", "risk_analysis", "incident_response", "workforce_training",
                  "identity_verification", "session_security", "emergency_plan", "secure_networks",
                  "contingency_plan")


class Safeguards(Strict):
    telehealth_consent: Safeguard = Field(default_factory=Safeguard, description="Telehealth informed consent "
                                          "covering technology risks, interruptions and emergencies.")
    risk_analysis: Safeguard = Field(default_factory=Safeguard, description="A security risk analysis.")
    incident_response: Safeguard = Field(default_factory=Safeguard, description="An incident-response and "
                                         "breach-notification plan.")
    workforce_training: Safeguard = Field(default_factory=Safeguard, description="Security and privacy "
                                          "training for everyone who handles client information.")
    identity_verification: Safeguard = Field(default_factory=Safeguard, description="Client identity checked "
                                             "at intake; the therapist's identity and licence shown to clients.")
    session_security: Safeguard = Field(default_factory=Safeguard, description="Unique meeting links or "
                                        "waiting rooms, passcodes, no recording without consent.")
    emergency_plan: Safeguard = Field(default_factory=Safeguard, description="An emergency plan, with the "
                                      "client's location confirmed at each session.")
    secure_networks: Safeguard = Field(default_factory=Safeguard, description="Sessions only on secure "
                                       "networks (no public Wi-Fi without a VPN).")
    contingency_plan: Safeguard = Field(default_factory=Safeguard, description="A plan for technology "
                                        "failures: backup contact, data backup and restore.")


MFA_CSV_FIELDS = ("email", "enrolled", "name", "status", "admin", "enabled")


class MfaEvidence(Strict):
    file: str
    format: Literal["google_workspace", "entra", "csv"]
    platform: str | None = None
    columns: dict[str, str] | None = Field(
        None, description="For format csv: field (email, enrolled, name, status, admin, enabled) → column name.")
    admins: list[str] = Field(default_factory=list,
                              description="Admin accounts' e-mail addresses, when the export does not say.")

    @model_validator(mode="after")
    def _columns(self) -> MfaEvidence:
        if self.format == "csv":
            if not self.columns:
                raise ValueError("format csv needs columns: {email: COLUMN, enrolled: COLUMN, ...}")
            missing = [f for f in ("email", "enrolled") if f not in self.columns]
            if missing:
                raise ValueError(f"columns must name the {' and '.join(missing)} column")
        unknown = sorted(set(self.columns or {}) - set(MFA_CSV_FIELDS))
        if unknown:
            raise ValueError(f"unknown columns field {unknown[0]!r} (known: {', '.join(MFA_CSV_FIELDS)})")
        return self


class TrackerList(Strict):
    file: str
    format: Literal["disconnect", "domains", "adblock"]
    name: str | None = None
    version: str | None = None
    licence: str | None = None


class Evidence(Strict):
    mfa: list[MfaEvidence] = Field(default_factory=list)


class PrivacySettings(Strict):
    tracker_lists: list[TrackerList] = Field(default_factory=list)


class TlsSettings(Strict):
    ca_bundle: str | None = None


class DnsSettings(Strict):
    nameservers: list[str] = Field(default_factory=list, description="IP[:PORT] of each resolver.")

    @field_validator("nameservers")
    @classmethod
    def _nameservers(cls, v: list[str]) -> list[str]:
        for item in v:
            parse_nameserver(item)  # its ValueError names the bad entry
        return v


class RuleSettings(Strict):
    params: dict[str, dict[str, Any]] = Field(default_factory=dict)
    disable: list[str] = Field(default_factory=list)
    packs: list[str] = Field(default_factory=list)


class Waiver(Strict):
    rule: str = Field(min_length=1)
    target: str = Field("*", description="The target as written, or a glob pattern.")
    reason: str = Field(min_length=1)
    expires: dt.date = Field(description="Required: a waiver is a decision to revisit.")


class Profile(Strict):
    practice: Practice
    targets: Targets = Field(default_factory=Targets)
    platforms: list[Platform] = Field(default_factory=list)
    controls: Controls = Field(default_factory=Controls)
    safeguards: Safeguards = Field(default_factory=Safeguards)
    evidence: Evidence = Field(default_factory=Evidence)
    privacy: PrivacySettings = Field(default_factory=PrivacySettings)
    tls: TlsSettings = Field(default_factory=TlsSettings)
    dns: DnsSettings = Field(default_factory=DnsSettings)
    rules: RuleSettings = Field(default_factory=RuleSettings)
    waivers: list[Waiver] = Field(default_factory=list)
    platform_catalogs: list[str] = Field(default_factory=list, description="Catalogue files that add or "
                                         "correct platform entries (same format as the built-in one).")

    @model_validator(mode="after")
    def _unique_names(self) -> Profile:
        seen: set[str] = set()
        for p in self.platforms:
            if p.name in seen:
                raise ValueError(f"two platforms are named {p.name!r}")
            seen.add(p.name)
        return self


@dataclass(frozen=True)
class LoadedProfile:
    """A validated profile with where it came from (for relative paths, digests and errors)."""

    profile: Profile
    path: Path
    doc: YamlDocument
    digest: str

    @property
    def base_dir(self) -> Path:
        return self.path.parent

    def resolve_path(self, value: str) -> Path:
        """A path from the profile: ~ expanded, relative to the profile's folder."""
        p = Path(value).expanduser()
        return p if p.is_absolute() else (self.base_dir / p)


def load_profile(path: str | Path, text: str | None = None) -> LoadedProfile:
    """Load and validate a profile; every mistake is an InputError with file:line:col.

    With `text`, that is the profile and `path` only names it (a profile built from command-line
    targets has no file).
    """
    path = Path(path)
    doc = load_yaml(path, text=text)
    if doc.data is None:
        raise InputError("the profile is empty (it needs at least practice: {name: ...})", path, 1, 1)
    if not isinstance(doc.data, dict):
        raise InputError("the profile must be a mapping of sections (practice, targets, ...)", path, 1, 1)
    profile = validate_document(Profile, doc)
    check_platform_catalog(profile, doc, path.resolve().parent)
    digest = "sha256:" + doc.sha256
    return LoadedProfile(profile=profile, path=path.resolve(), doc=doc, digest=digest)


def profile_catalog(profile: Profile, base_dir: Path | None) -> Catalog:
    """The platform catalogue this profile reads: the built-in one and its `platform_catalogs:`."""
    base = base_dir or Path.cwd()
    paths = [Path(p).expanduser() for p in profile.platform_catalogs]
    return _catalog_of(tuple(_file_key(p if p.is_absolute() else base / p) for p in paths))


def _file_key(path: Path) -> tuple[str, int, int]:
    try:
        st = path.stat()
    except OSError:
        return (str(path), -1, -1)  # load_catalog names the missing file
    return (str(path), st.st_mtime_ns, st.st_size)


@once
def _catalog_of(files: tuple[tuple[str, int, int], ...]) -> Catalog:
    # Every target of a scan asks for the same catalogue: build it once per set of files (and
    # again if one of them changes).
    return load_catalog(Path(name) for name, _, _ in files)


def check_platform_catalog(profile: Profile, doc: YamlDocument, base_dir: Path) -> None:
    """Every `catalog:` id must exist; a mistake names the line and the closest id."""
    if not any(p.catalog for p in profile.platforms):
        if profile.platform_catalogs:
            profile_catalog(profile, base_dir)  # a broken user catalogue is an input error now, not mid-scan
        return
    catalog = profile_catalog(profile, base_dir)
    problems = []
    for i, platform in enumerate(profile.platforms):
        if platform.catalog and catalog.get(platform.catalog) is None:
            hint = catalog.suggest(platform.catalog)
            near = catalog.get(hint) if hint else None
            did_you_mean = f" (did you mean {near.id}?)" if near else ""
            problems.append(doc.error(("platforms", i, "catalog"), f"platforms[{i}].catalog: no platform "
                                      f"{platform.catalog!r} in the catalogue{did_you_mean}; `cyberaudit "
                                      f"platforms` lists them"))
    raise_all(problems)


def build_targets(loaded: LoadedProfile) -> list[Target]:
    """Every target of the profile, in profile order; websites (http:// ones too) yield their TLS endpoint."""
    prof, doc = loaded.profile, loaded.doc
    out: list[Target] = []
    endpoint_ids: set[str] = set()
    for i, site in enumerate(prof.targets.websites):
        out.append(Target("website", site.url, site, doc.where(("targets", "websites", i))[0]))
    for i, ep in enumerate(prof.targets.endpoints):
        if ep.id not in endpoint_ids:
            endpoint_ids.add(ep.id)
            out.append(Target("endpoint", ep.id, ep, doc.where(("targets", "endpoints", i))[0]))
    for i, site in enumerate(prof.targets.websites):
        # an http:// website is checked for HTTPS too: "no HTTPS" must be a finding, not a silence
        host, port = site.tls_host_port
        if host:
            address = site.address if host == site.host else None
            ep = SiteEndpoint(host=host, port=port, address=address, site_url=site.url)
            if ep.id not in endpoint_ids:
                endpoint_ids.add(ep.id)
                out.append(Target("endpoint", ep.id, ep, doc.where(("targets", "websites", i))[0]))
    for i, md in enumerate(prof.targets.mail_domains):
        out.append(Target("mail_domain", md.domain, md, doc.where(("targets", "mail_domains", i))[0]))
    for i, pf in enumerate(prof.platforms):
        out.append(Target("platform", pf.name, pf, doc.where(("platforms", i))[0]))
    out.append(Target("practice", "practice", prof, doc.where(("practice",))[0]))
    # reports, scores and waivers name targets by id: two targets of different kinds must not share one
    kinds: dict[str, str] = {"practice": "practice"}
    for t in out[:-1]:
        if t.id in kinds and kinds[t.id] != t.kind:
            raise InputError(f"{t.kind.replace('_', ' ')} {t.id!r} has the same name as a "
                             f"{kinds[t.id].replace('_', ' ')} target: give it a distinct name",
                             loaded.path, t.line)
        kinds.setdefault(t.id, t.kind)
    return out
