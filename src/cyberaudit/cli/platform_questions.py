"""The platform questions of `init --interactive`: pick services from the catalogue, then ask only
what the catalogue does not settle and what changes a check's verdict."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cyberaudit.cli import answers as a
from cyberaudit.cli.answers import Prompt, Say
from cyberaudit.platforms import Catalog, CatalogEntry

# one list per catalogue kind, in the order a therapist thinks of them
KIND_TITLES: dict[str, str] = {
    "video": "Video calls with clients",
    "ehr": "Client records, notes and billing (practice management or EHR)",
    "email": "E-mail",
    "storage": "Storing and sharing files",
    "scheduling": "Online booking",
    "forms": "Online forms (intake, questionnaires)",
    "payments": "Payments",
    "messaging": "Texts, chat and calls with clients",
    "website": "The service that builds or hosts your website",
    "other": "Other services (newsletters, e-signatures, analytics)",
}
_AT_REST_KINDS = ("storage", "ehr", "email")  # the kinds ENC-AT-REST reads


@dataclass(frozen=True)
class Pick:
    """A service the practice named: a catalogue entry, or a name the catalogue does not know."""

    name: str
    kind: str
    entry: CatalogEntry | None = None

    @property
    def key(self) -> str:
        return self.entry.id if self.entry else self.name.lower()


def ask_platforms(ask: Prompt, say: Say, catalog: Catalog) -> list[dict[str, Any]]:
    """The profile's `platforms:` list, from one numbered list per kind and a few questions each."""
    say("Which services do you use? Each list comes from the platform catalogue (`cyberaudit platforms`).")
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for kind, title in KIND_TITLES.items():
        entries = [e for e in catalog.entries.values() if e.kind == kind]
        for pick in _choose(ask, say, catalog, kind, title, entries):
            pick = _plan(ask, say, catalog, pick)
            if pick.key in seen or pick.name in {p["name"] for p in out}:
                continue
            seen.add(pick.key)
            out.append(_questions(ask, say, pick))
    return out


def _choose(ask: Prompt, say: Say, catalog: Catalog, kind: str, title: str,
            entries: list[CatalogEntry]) -> list[Pick]:
    say(f"{title}:")
    for i, entry in enumerate(entries, 1):
        say(f"  {i:>2}  {entry.name}")
    while True:
        answer = ask("Numbers from the list (separated by spaces), or a service's name; empty for none",
                     default="")
        picks, problem = _parse(answer, entries, catalog, kind)
        if problem is None:
            return [_known(ask, say, catalog, p) for p in picks]
        say(problem)


def _parse(answer: str, entries: list[CatalogEntry], catalog: Catalog,
           kind: str) -> tuple[list[Pick], str | None]:
    picks: list[Pick] = []
    for part in (p.strip() for p in answer.split(",")):
        if not part:
            continue
        tokens = part.split()
        if all(t.isdigit() for t in tokens):
            for t in tokens:
                if not 1 <= int(t) <= len(entries):
                    return [], f"There is no number {t} in the list (1 to {len(entries)})."
                entry = entries[int(t) - 1]
                picks.append(Pick(entry.name, entry.kind, entry))
            continue
        entry = catalog.find(part)
        picks.append(Pick(entry.name, entry.kind, entry) if entry else Pick(part, kind))
    return picks, None


def _known(ask: Prompt, say: Say, catalog: Catalog, pick: Pick) -> Pick:
    """A name the catalogue does not know: offer the closest entry, else keep the name as typed."""
    if pick.entry is not None:
        return pick
    hint = catalog.suggest(pick.name)
    near = (catalog.get(hint) or catalog.find(hint)) if hint else None
    if near is not None and a.yes_no_unsure(ask, f"  {pick.name!r} is not in the catalogue. Did you mean "
                                                 f"{near.name}?", say):
        return Pick(near.name, near.kind, near)
    say(f"  {pick.name} is not in the catalogue: a few questions about it instead.")
    return pick


def _plan(ask: Prompt, say: Say, catalog: Catalog, pick: Pick) -> Pick:
    """For a plan without a BAA, ask whether the account is on the same vendor's plan with one."""
    entry = pick.entry
    if entry is None or entry.baa is not False:
        return pick
    better = [alt for alt in (catalog.get(i) for i in entry.instead)
              if alt is not None and alt.vendor == entry.vendor and alt.baa is True]
    if not better:
        return pick
    alt = better[0]
    switch = a.yes_no_unsure(ask, f"  {entry.vendor} signs no BAA for {entry.name}. Is your account in fact on "
                                  f"{alt.name}, where it does?", say)
    if switch:
        return Pick(alt.name, alt.kind, alt)
    if switch is None:
        say(f"  Kept {entry.name}. If your account is on {alt.name}, change its catalog: to {alt.id}.")
    return pick


def _questions(ask: Prompt, say: Say, pick: Pick) -> dict[str, Any]:
    entry, name = pick.entry, pick.name
    kind = entry.kind if entry else pick.kind
    out: dict[str, Any] = {"name": name}
    if entry is not None:
        out["catalog"] = entry.id
    else:
        out["kind"] = kind
    holds = a.yes_no_unsure(ask, f"  Does {name} hold or carry client information (names, notes, messages, "
                                 f"session audio or video)?", say)
    out["holds_client_data"] = holds
    if holds is False:
        return out  # the BAA, MFA and encryption checks apply only to services with client information
    if entry is not None and entry.baa is False:
        out["baa_signed"] = False  # the catalogue's fact, not a guess: this plan has no BAA to sign
        say(f"  {entry.vendor} signs no BAA for {entry.name}: the report will say what to use instead.")
    else:
        with_whom = f" with {entry.vendor}" if entry else ""
        out["baa_signed"] = a.yes_no_unsure(ask, f"  Have you signed a BAA (business associate agreement) or "
                                                 f"data-processing agreement{with_whom}?", say)
    if entry is None or entry.mfa in ("available", "unknown"):
        out["mfa_enforced"] = a.yes_no_unsure(ask, "  Must every account sign in with a second step (a code or "
                                                   "an app, not only a password)?", say)
    if kind == "video" and (entry is None or entry.e2ee in ("optional", "unknown")):
        out["e2ee"] = a.yes_no_unsure(ask, "  Are your sessions end-to-end encrypted (switched on in the "
                                           "settings, or always)?", say)
    if kind in _AT_REST_KINDS and (entry is None or entry.at_rest is None):
        out["encrypted_at_rest"] = a.yes_no_unsure(ask, "  Does it encrypt the client information it stores "
                                                        "(encryption at rest)?", say)
    if entry is None or entry.baa is None or (entry.baa and not entry.domains):
        domains = a.words(a.valid(ask, "  Web addresses its pages load from on your site (domains such as "
                                       "portal.example.com; empty if none)", a.domains, say, default=""))
        if domains:
            out["domains"] = [d.lower().rstrip(".") for d in domains]
    return out
