"""`cyberaudit init`: a commented example profile, or one built from answers to questions.

Every yes/no question also takes "not sure", written as null: the scan then reports that check as
"could not be checked" and names the key to set, instead of failing or passing on a guess.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import yaml

from cyberaudit.cli import answers as a
from cyberaudit.cli.answers import Prompt, Say, terminal_prompt
from cyberaudit.cli.platform_questions import ask_platforms
from cyberaudit.platforms import Catalog, build_catalog
from cyberaudit.profile import Profile
from cyberaudit.resources import data_dir

__all__ = ["example_profile", "interactive_profile", "terminal_prompt"]

INTRO = ("cyberaudit will ask about your practice: its website and e-mail, the services you use for client "
         "work, backups, computers and policies. Nothing is checked or sent anywhere now: your answers are "
         "written to {path} for `cyberaudit scan` to read, and \"not sure\" (or Enter) is a fine answer, "
         "which the report will point out as still open.")

# the safeguards pack's questions, in the words a therapist would use; one per profile.SAFEGUARD_KEYS
SAFEGUARD_QUESTIONS: dict[str, str] = {
    "telehealth_consent": "Do clients sign a consent for online sessions that explains the technology risks, "
                          "what happens if a call drops, and the emergency plan?",
    "risk_analysis": "Have you done a security risk analysis (a written review of where client information is "
                     "and what could go wrong) in the last 12 months?",
    "incident_response": "Do you have a written plan for what to do if client information is lost, stolen or "
                         "exposed, including whom you must tell?",
    "workforce_training": "Has everyone who handles client information (you included) had security and "
                          "privacy training in the last 12 months?",
    "identity_verification": "Do you check each new client's identity at intake, and show clients your own "
                             "name and licence?",
    "session_security": "Do online sessions use a unique link or a waiting room, a passcode, and no recording "
                        "without the client's consent?",
    "emergency_plan": "Do you have an emergency plan for online sessions, and confirm where the client is at "
                      "the start of each one?",
    "secure_networks": "Do you hold sessions only on secure networks (never public Wi-Fi without a VPN)?",
    "contingency_plan": "Do you have a plan for when technology fails (another way to reach the client, "
                        "backups you can restore)?",
}


def example_profile() -> str:
    """The commented example profile shipped with cyberaudit."""
    return (data_dir() / "profile-example.yaml").read_text(encoding="utf-8")


def interactive_profile(ask: Prompt, say: Say = print, *, profile_path: Path = Path("cyberaudit.yaml"),
                        catalog: Catalog | None = None, today: dt.date | None = None) -> str:
    """Ask the questions a practice can answer and return the profile as YAML text (always valid)."""
    today = today or dt.date.today()
    catalog = catalog or build_catalog()
    base_dir = profile_path.resolve().parent
    say(INTRO.format(path=profile_path))
    profile: dict[str, Any] = {"practice": {
        "name": a.valid(ask, "Practice name", a.not_empty, say),
        "jurisdiction": ask("Jurisdiction", default="US", choices=["US", "EU", "UK", "CA", "AU", "other"]),
    }}
    targets = _targets(ask, say)
    if targets:
        profile["targets"] = targets
    platforms = ask_platforms(ask, say, catalog)
    if platforms:
        profile["platforms"] = platforms
    profile["controls"] = _controls(ask, say, today)
    profile["safeguards"] = _safeguards(ask, say, today, base_dir)
    Profile.model_validate(yaml.safe_load(yaml.safe_dump(profile)))  # the answers make a valid profile
    header = (f"# cyberaudit profile written by `cyberaudit init --interactive` on {today.isoformat()}.\n"
              "# null means \"not sure\": the scan reports that check as could not be checked and names the key\n"
              "# to set. Every key is explained in docs/profile.md and `cyberaudit schema profile`.\n")
    return header + yaml.safe_dump(profile, sort_keys=False, allow_unicode=True, width=100)


def _targets(ask: Prompt, say: Say) -> dict[str, Any]:
    targets: dict[str, Any] = {}
    websites = a.words(a.valid(ask, "Website addresses (https://..., separated by spaces; empty for none)",
                               a.urls, say, default=""))
    if websites:
        targets["websites"] = []
        for url in websites:
            pages = a.words(ask(f"Pages of {url} to check, including every page with a form", default="/"))
            targets["websites"].append({"url": url, "pages": pages or ["/"]})
    mail = a.words(a.valid(ask, "E-mail domains (the part after @; empty for none)", a.domains, say, default=""))
    if mail:
        targets["mail_domains"] = []
        for domain in mail:
            sel = a.words(a.valid(ask, f"DKIM selectors of {domain} (your e-mail provider names them, such as "
                                       f"google or selector1; empty if you don't know: common ones are tried)",
                                  a.selectors, say, default=""))
            targets["mail_domains"].append({"domain": domain.lower().rstrip("."), "dkim_selectors": sel})
    return targets


def _controls(ask: Prompt, say: Say, today: dt.date) -> dict[str, Any]:
    retention: dict[str, Any] = {}
    years = a.valid(ask, "How many years do you keep clinical records? (empty if not decided)",
                    a.number("years", "7"), say, default="")
    if years:
        retention["clinical_records_years"] = a.as_number(years)
    days = a.valid(ask, "How many days do you keep session recordings? (0 if you never keep them; empty if "
                        "not sure)", a.whole_number, say, default="")
    if days:
        retention["recordings_days"] = int(days)
    backups: dict[str, Any] = {}
    has_backups = a.yes_no_unsure(ask, "Do you keep backups of client records (a backup drive, Time Machine, a "
                                       "cloud backup)?", say)
    if has_backups is False:
        say("Without a backup, client records are lost with the computer or to ransomware: an encrypted "
            "backup, restored as a test once a year, is worth setting up first.")
        backups["encrypted"] = None  # nothing to encrypt yet: unknown, never "not encrypted"
    else:
        backups["encrypted"] = a.yes_no_unsure(ask, "Are the backups encrypted (with a password or key)?", say)
        restore = a.valid(ask, "When did you last restore files from a backup to check it works? "
                               "(YYYY-MM-DD; empty if never or not sure)", a.past_date(today), say, default="")
        if restore:
            backups["last_restore_test"] = dt.date.fromisoformat(restore)
    devices: dict[str, Any] = {
        "scan_this_machine": a.yes_no_unsure(ask, "Is this a computer you use for client work?", say),
        "disk_encrypted": a.yes_no_unsure(ask, "Are the disks of the computers you use for client work "
                                               "encrypted (FileVault on a Mac, BitLocker on Windows)?", say),
        "screen_lock": a.yes_no_unsure(ask, "Do their screens lock by themselves after a few idle minutes?", say),
        "auto_updates": a.yes_no_unsure(ask, "Do they install security updates automatically?", say),
    }
    out: dict[str, Any] = {}
    if retention:
        out["retention"] = retention
    out["backups"] = backups
    out["devices"] = devices
    return out


def _safeguards(ask: Prompt, say: Say, today: dt.date, base_dir: Path) -> dict[str, Any]:
    say("Now the policies no scan can see. For each one in place you may name the document that shows it.")
    out: dict[str, Any] = {}
    for key, question in SAFEGUARD_QUESTIONS.items():
        item: dict[str, Any] = {"in_place": a.yes_no_unsure(ask, question, say)}
        if item["in_place"]:
            evidence = a.valid(ask, "  The document that shows it (a file path; empty if none)", a.existing_file,
                               say, default="")
            if evidence:
                item["evidence"] = _relative(Path(evidence).expanduser().resolve(), base_dir)
            reviewed = a.valid(ask, "  When was it last reviewed or done? (YYYY-MM-DD; empty if not sure)",
                               a.past_date(today), say, default="")
            if reviewed:
                item["reviewed"] = dt.date.fromisoformat(reviewed)
        out[key] = item
    return out


def _relative(path: Path, base_dir: Path) -> str:
    """The path as the profile reads it: relative to the profile's folder where possible."""
    try:
        return Path(os.path.relpath(path, base_dir)).as_posix()
    except ValueError:  # another drive on Windows
        return str(path)
