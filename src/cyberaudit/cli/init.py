"""`cyberaudit init`: a commented example profile, or one built from answers to questions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import yaml

from cyberaudit.profile import Profile
from cyberaudit.resources import data_dir

Prompt = Callable[..., str]


def example_profile() -> str:
    """The commented example profile shipped with cyberaudit."""
    return (data_dir() / "profile-example.yaml").read_text(encoding="utf-8")


def _yes(answer: str) -> bool:
    return answer.strip().lower() in ("y", "yes", "true", "1")


def _list(answer: str) -> list[str]:
    return [a.strip() for a in answer.replace(",", " ").split() if a.strip()]


Check = Callable[[str], str | None]  # the problem with an answer, or None


def _valid(ask: Prompt, question: str, check: Check, say: Callable[[str], None], **kwargs: object) -> str:
    """Ask until the answer passes `check`, saying what is wrong each time."""
    while True:
        answer = ask(question, **kwargs).strip()
        problem = check(answer)
        if problem is None:
            return answer
        say(problem)


def _not_empty(answer: str) -> str | None:
    return None if answer else "Please type an answer."


def _urls(answer: str) -> str | None:
    bad = [u for u in _list(answer) if not u.lower().startswith(("https://", "http://"))]
    return f"Start each address with https:// (not {bad[0]!r})." if bad else None


def _number(answer: str) -> str | None:
    if not answer:
        return None
    try:
        return None if float(answer) >= 0 else "Please give a number of years such as 7."
    except ValueError:
        return "Please give a number of years such as 7."


def _date(answer: str) -> str | None:
    if not answer:
        return None
    try:
        dt.date.fromisoformat(answer)
    except ValueError:
        return "Please give the date as YYYY-MM-DD, for example 2026-09-01."
    return None


def interactive_profile(ask: Prompt, say: Callable[[str], None] = print) -> str:
    """Ask the questions a practice can answer and return the profile as YAML text (always valid)."""
    profile: dict = {"practice": {
        "name": _valid(ask, "Practice name", _not_empty, say),
        "jurisdiction": ask("Jurisdiction", default="US", choices=["US", "EU", "UK", "CA", "AU", "other"]),
    }}
    websites = _list(_valid(ask, "Website addresses (https://..., separated by spaces; empty for none)", _urls,
                            say, default=""))
    targets: dict = {}
    if websites:
        targets["websites"] = []
        for url in websites:
            pages = _list(ask(f"Pages of {url} to check, including pages with forms", default="/"))
            targets["websites"].append({"url": url, "pages": pages or ["/"]})
    domains = _list(ask("E-mail domains (the part after @; empty for none)", default=""))
    if domains:
        targets["mail_domains"] = [{"domain": d} for d in domains]
    if targets:
        profile["targets"] = targets
    platforms = []
    while True:
        name = ask("A service that holds or carries client information (empty to finish)", default="")
        if not name.strip():
            break
        kind = ask("  What kind", default="other",
                   choices=["video", "ehr", "email", "storage", "scheduling", "payments", "other"])
        entry = {"name": name.strip(), "kind": kind,
                 "holds_client_data": _yes(ask("  Does it hold client information? (y/n)", default="y")),
                 "baa_signed": _yes(ask("  Have you signed a BAA / data-processing agreement? (y/n)", default="n")),
                 "mfa_enforced": _yes(ask("  Is two-factor login required for every account? (y/n)",
                                          default="n"))}
        if kind == "video":
            entry["e2ee"] = _yes(ask("  Is end-to-end encryption switched on? (y/n)", default="n"))
        platforms.append(entry)
    if platforms:
        profile["platforms"] = platforms
    years = _valid(ask, "How many years do you keep clinical records? (empty if not decided)", _number, say,
                   default="")
    backups = _yes(ask("Are your backups encrypted? (y/n)", default="n"))
    restore = _valid(ask, "Date of your last backup restore test (YYYY-MM-DD, empty if never)", _date, say,
                     default="")
    controls: dict = {"backups": {"encrypted": backups}}
    if years.strip():
        controls["retention"] = {"clinical_records_years": float(years) if "." in years else int(years)}
    if restore.strip():
        controls["backups"]["last_restore_test"] = restore.strip()
    profile["controls"] = controls
    Profile.model_validate(yaml.safe_load(yaml.safe_dump(profile)))  # the answers make a valid profile
    header = "# cyberaudit profile written by `cyberaudit init --interactive`; see `cyberaudit schema profile`.\n"
    return header + yaml.safe_dump(profile, sort_keys=False, allow_unicode=True)
