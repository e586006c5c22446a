"""The demo practice's `cyberaudit.yaml`, pointing every target at its loopback servers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from cyberaudit.demo.names import (
    DKIM_SELECTORS,
    DOMAIN,
    LOOPBACK,
    PAGES,
    PORTAL_HOST,
    PRACTICE_NAME,
    WEBSITE_HOST,
)


@dataclass(frozen=True)
class ProfilePlaces:
    """Where the running practice is: ports, the CA bundle, the evidence files."""

    https_port: int
    http_port: int
    portal_port: int
    nameserver: str
    ca_bundle: Path
    mfa_export: Path
    recordings: Path
    last_restore_test: dt.date


_HEADER = """\
# The demo practice written by `cyberaudit demo`. Every name below is served by a server on
# 127.0.0.1 that exists only while the demo runs (`cyberaudit demo --keep-running`).
# Ports were picked at random for this run; the DNS server answers every name with 127.0.0.1.
"""


def profile_data(p: ProfilePlaces) -> dict[str, Any]:
    """The profile as plain data, in the order a reader expects."""
    return {
        "practice": {"name": PRACTICE_NAME, "jurisdiction": "US"},
        "targets": {
            "websites": [{
                "url": f"https://{WEBSITE_HOST}:{p.https_port}/",
                "pages": list(PAGES),
                "http_url": f"http://{WEBSITE_HOST}:{p.http_port}/",
                "address": LOOPBACK,
            }],
            "endpoints": [{"host": PORTAL_HOST, "port": p.portal_port, "address": LOOPBACK}],
            "mail_domains": [{"domain": DOMAIN, "dkim_selectors": list(DKIM_SELECTORS)}],
        },
        "platforms": [
            {"name": "QuickMeet Video (free plan)", "kind": "video", "holds_client_data": True,
             "baa_signed": False, "mfa_enforced": True, "e2ee": False, "encrypted_at_rest": True,
             "notes": "Used for telehealth sessions; the free plan offers no BAA."},
            {"name": "CarePath EHR", "kind": "ehr", "holds_client_data": True, "baa_signed": True,
             "mfa_enforced": True, "encrypted_at_rest": True},
            {"name": "Google Workspace", "kind": "email", "holds_client_data": True, "baa_signed": True,
             "mfa_enforced": False, "encrypted_at_rest": True},
        ],
        "controls": {
            "retention": {
                "clinical_records_years": 7,
                "recordings_days": 30,
                "paths": [{"path": str(p.recordings), "kind": "recordings", "max_age_days": 30}],
            },
            # Backups are encrypted but nobody has tried restoring one for a year and a half.
            "backups": {"encrypted": True, "last_restore_test": p.last_restore_test},
            # Declared rather than read from the machine running the demo, so every run looks the same.
            "devices": {"disk_encrypted": True, "screen_lock": True, "auto_updates": True,
                        "scan_this_machine": False},
        },
        "evidence": {"mfa": [{"file": str(p.mfa_export), "format": "google_workspace",
                              "platform": "Google Workspace"}]},
        "tls": {"ca_bundle": str(p.ca_bundle)},
        "dns": {"nameservers": [p.nameserver]},
    }


def write_profile(path: Path, places: ProfilePlaces) -> Path:
    """Write the profile YAML (block style, keys in reading order)."""
    text = yaml.safe_dump(profile_data(places), sort_keys=False, default_flow_style=False,
                          allow_unicode=True, width=100)
    path.write_text(_HEADER + text, encoding="utf-8")
    return path
