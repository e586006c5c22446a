"""`cyberaudit init`: a commented example profile, or one built from answers to questions."""

from __future__ import annotations

from collections.abc import Callable

import yaml

from cyberaudit.resources import data_dir

Prompt = Callable[..., str]


def example_profile() -> str:
    """The commented example profile shipped with cyberaudit."""
    return (data_dir() / "profile-example.yaml").read_text(encoding="utf-8")


def _yes(answer: str) -> bool:
    return answer.strip().lower() in ("y", "yes", "true", "1")


def _list(answer: str) -> list[str]:
    return [a.strip() for a in answer.replace(",", " ").split() if a.strip()]


def interactive_profile(ask: Prompt) -> str:
    """Ask the questions a practice can answer and return the profile as YAML text."""
    profile: dict = {"practice": {
        "name": ask("Practice name"),
        "jurisdiction": ask("Jurisdiction", default="US", choices=["US", "EU", "UK", "CA", "AU", "other"]),
    }}
    websites = _list(ask("Website addresses (https://..., separated by spaces; empty for none)", default=""))
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
    years = ask("How many years do you keep clinical records? (empty if not decided)", default="")
    backups = _yes(ask("Are your backups encrypted? (y/n)", default="n"))
    restore = ask("Date of your last backup restore test (YYYY-MM-DD, empty if never)", default="")
    controls: dict = {"backups": {"encrypted": backups}}
    if years.strip():
        controls["retention"] = {"clinical_records_years": float(years) if "." in years else int(years)}
    if restore.strip():
        controls["backups"]["last_restore_test"] = restore.strip()
    profile["controls"] = controls
    header = "# cyberaudit profile written by `cyberaudit init --interactive`; see `cyberaudit schema profile`.\n"
    return header + yaml.safe_dump(profile, sort_keys=False, allow_unicode=True)
