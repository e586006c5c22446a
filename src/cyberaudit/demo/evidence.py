"""Evidence files the demo practice hands the scan: an MFA export and a folder of old recordings."""

from __future__ import annotations

import csv
import os
import time
from dataclasses import dataclass
from pathlib import Path

from cyberaudit.demo.names import DOMAIN

# Google Workspace admin console, Users → Download users (CSV): the columns the export carries.
GOOGLE_COLUMNS = (
    "First Name [Required]", "Last Name [Required]", "Email Address [Required]",
    "Org Unit Path [Required]", "Status [READ ONLY]", "Last Sign In [READ ONLY]",
    "2sv Enrolled [READ ONLY]", "2sv Enforced [READ ONLY]", "Admin Role [READ ONLY]",
)


@dataclass(frozen=True)
class StaffMember:
    first: str
    last: str
    user: str
    enrolled: bool
    admin: bool = False
    suspended: bool = False

    @property
    def email(self) -> str:
        return f"{self.user}@{DOMAIN}"


STAFF: tuple[StaffMember, ...] = (
    StaffMember("Maya", "Lindqvist", "maya", enrolled=True),
    StaffMember("Daniel", "Okafor", "daniel", enrolled=False),
    StaffMember("Rosa", "Delgado", "rosa", enrolled=True),
    StaffMember("Front", "Desk", "frontdesk", enrolled=False),
    # The owner administers the account and never turned on 2-step verification.
    StaffMember("Helen", "Marsh", "helen", enrolled=False, admin=True),
    StaffMember("Former", "Intern", "intern2024", enrolled=False, suspended=True),
)


def write_mfa_export(path: Path) -> Path:
    """The practice's Google Workspace user export: two staff and the owner (an admin) unenrolled."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(GOOGLE_COLUMNS)
        for s in STAFF:
            out.writerow([s.first, s.last, s.email, "/", "Suspended" if s.suspended else "Active",
                          "2026/11/20 09:14:02", str(s.enrolled), "False",
                          "Super Admin" if s.admin else ""])
    return path


# (file name, age in days): weekly sessions the practice meant to delete after 30 days.
RECORDINGS: tuple[tuple[str, int], ...] = (
    ("client-0412 session 03.mp4", 408),
    ("client-0519 intake call.m4a", 268),
    ("couple-0533 session 07.mp4", 155),
    ("client-0412 session 22.mp4", 79),
    ("client-0601 session 01.mp4", 7),
)


def write_recordings(folder: Path, now: float | None = None) -> Path:
    """A folder of session recordings, most of them kept far longer than the declared 30 days."""
    folder.mkdir(parents=True, exist_ok=True)
    now = time.time() if now is None else now
    for name, age_days in RECORDINGS:
        f = folder / name
        f.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 1024)  # a few bytes, not a real video
        stamp = now - age_days * 86400
        os.utime(f, (stamp, stamp))
    return folder


# (file name, what it is): the practice's policy documents the profile points to. Their content is
# never read by the scan; only that they exist.
POLICIES: tuple[tuple[str, str], ...] = (
    ("telehealth-consent.txt", "Telehealth informed consent: risks, interruptions, emergencies, recordings."),
    ("risk-analysis-2024.txt", "Security risk analysis, done with the HHS/ONC SRA Tool."),
    ("emergency-plan.txt", "Emergency plan: client location and local contacts confirmed each session."),
)


def write_policies(folder: Path) -> Path:
    """A folder of the practice's policy documents (plain text stand-ins for its PDFs)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in POLICIES:
        (folder / name).write_text(text + "\n", encoding="utf-8")
    return folder
