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
            {"name": "Zoom", "catalog": "zoom", "holds_client_data": True,
             "baa_signed": False, "mfa_enforced": True, "e2ee": False,
             "notes": "Used for telehealth sessions on the Pro plan, which signs no BAA."},
            {"name": "SimplePractice", "holds_client_data": True, "baa_signed": True,
             "mfa_enforced": True},
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
        # Most policies are in place; the risk analysis is two years old and there is no incident plan.
        "safeguards": _safeguards(),
        "evidence": {"mfa": [{"file": str(p.mfa_export), "format": "google_workspace",
                              "platform": "Google Workspace"}]},
        "tls": {"ca_bundle": str(p.ca_bundle)},
        "dns": {"nameservers": [p.nameserver]},
    }


def _safeguards() -> dict[str, Any]:
    today = dt.date.today()

    def ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    docs = "evidence/policies"
    return {
        "telehealth_consent": {"in_place": True, "evidence": f"{docs}/telehealth-consent.txt",
                               "reviewed": ago(200)},
        "risk_analysis": {"in_place": True, "evidence": f"{docs}/risk-analysis-2024.txt", "reviewed": ago(700)},
        "incident_response": {"in_place": False},
        "workforce_training": {"in_place": True, "reviewed": ago(120)},
        "identity_verification": {"in_place": True, "reviewed": ago(300)},
        "session_security": {"in_place": True, "reviewed": ago(120)},
        "emergency_plan": {"in_place": True, "evidence": f"{docs}/emergency-plan.txt", "reviewed": ago(200)},
        "secure_networks": {"in_place": True, "reviewed": ago(300)},
        "contingency_plan": {"in_place": True, "reviewed": ago(90)},
    }


def write_profile(path: Path, places: ProfilePlaces) -> Path:
    """Write the profile YAML (block style, keys in reading order)."""
    text = yaml.safe_dump(profile_data(places), sort_keys=False, default_flow_style=False,
                          allow_unicode=True, width=100)
    path.write_text(_HEADER + text, encoding="utf-8")
    return path
