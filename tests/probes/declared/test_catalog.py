"""The platform catalogue: its data, matching profiles to it, and the rules that read it."""

from __future__ import annotations

import json
import textwrap

import jsonschema
import pytest
import yaml

from cyberaudit.platforms import builtin_catalog_file, load_catalog
from cyberaudit.probes.declared.probe import PROBE
from cyberaudit.probes.privacy.parties import Parties
from cyberaudit.resources import data_dir
from cyberaudit.schemas import schema_for
from tests.probes.controls_helpers import context, finding, platform, profile, status

CONSUMER = ["gmail", "facetime", "whatsapp", "dropbox-basic", "icloud", "outlook-com", "zoom", "skype",
            "google-meet", "signal", "imessage"]


def run(platforms, i=0, base=None):
    prof = profile({"platforms": platforms})
    target = platform(prof, i)
    return PROBE.run(target, context(prof, base=base)), target


def test_catalogue_validates_against_its_schema_and_every_entry_has_sources_and_a_date():
    raw = yaml.safe_load((data_dir() / "platforms.yaml").read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(json.dumps(raw, default=str)), schema_for("platforms"))
    cat = builtin_catalog_file()
    assert len(cat.entries) >= 60
    ids = {e.id for e in cat.entries}
    for e in cat.entries:
        assert e.sources and all(s.startswith("https://") for s in e.sources), e.id
        assert e.read.year >= 2025, e.id
        assert set(e.instead) <= ids, e.id
        if e.baa is False:
            assert e.instead or e.kind in ("other", "payments", "website"), f"{e.id}: no alternative named"
    names = {e.name for e in cat.entries}
    for wanted in ("Zoom for Healthcare", "Zoom", "Doxy.me", "SimplePractice", "TherapyNotes", "TheraNest", "Jane",
                   "Sessions Health", "Google Workspace", "Gmail", "Microsoft 365", "Outlook.com", "FaceTime",
                   "WhatsApp", "Signal", "Skype", "Dropbox Business", "Dropbox Basic", "iCloud", "Box", "Calendly",
                   "Acuity Scheduling", "Typeform", "Google Forms", "Square", "Stripe", "Mailchimp", "Squarespace",
                   "Wix", "WordPress.com"):
        assert wanted in names, wanted


@pytest.mark.parametrize("entry_id", CONSUMER)
def test_consumer_services_fail_baa_available_whatever_the_profile_declares(entry_id):
    out, t = run([{"name": "Client e-mail", "catalog": entry_id, "holds_client_data": True, "baa_signed": True}])
    f = finding("PLAT-BAA-AVAILABLE", out, t)
    assert f.status == "fail"
    assert f.severity == "critical"
    # the profile's claim contradicts the vendor, and ENC-PLATFORM-BAA alone would have passed
    assert status("PLAT-DECLARED-CONTRADICTS", out, t) == "fail"
    assert any("does not sign one" in c for c in out.facts["contradictions"])
    assert status("ENC-PLATFORM-BAA", out, t) == "pass"


def test_names_match_case_insensitively_and_by_alias():
    out, _ = run([{"name": "zoom FOR   healthcare", "holds_client_data": True}])
    assert out.facts["catalog"]["id"] == "zoom-healthcare"
    assert out.facts["kind"] == "video"  # the catalogue's kind when the profile leaves it out
    out, t = run([{"name": "Free Gmail", "holds_client_data": True, "baa_signed": True}])
    assert out.facts["catalog"]["id"] == "gmail"
    assert status("PLAT-BAA-AVAILABLE", out, t) == "fail"
    assert "Google Workspace" in out.facts["catalog"]["instead"]


def test_a_plan_that_signs_a_baa_passes_and_reads_the_catalogue_where_the_profile_is_silent():
    out, t = run([{"name": "Zoom for Healthcare", "holds_client_data": True, "baa_signed": True}])
    assert status("PLAT-BAA-AVAILABLE", out, t) == "pass"
    assert status("PLAT-DECLARED-CONTRADICTS", out, t) == "pass"
    # Zoom's end-to-end encryption is a setting: the catalogue cannot answer for the practice
    assert status("ENC-VIDEO-E2EE", out, t) == "error"
    assert status("MFA-PLATFORMS", out, t) == "error"
    # FaceTime always encrypts end to end: the catalogue settles it
    out, t = run([{"name": "FaceTime", "holds_client_data": True}])
    assert status("ENC-VIDEO-E2EE", out, t) == "pass"
    assert out.facts["from_catalog"] == ["e2ee"]
    # storage the vendor encrypts: ENC-AT-REST reads the catalogue
    out, t = run([{"name": "Box", "holds_client_data": True}])
    assert status("ENC-AT-REST", out, t) == "pass"


def test_a_declared_e2ee_the_plan_does_not_offer_is_a_contradiction(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(textwrap.dedent("""
        catalog: our corrections
        version: "1"
        entries:
          - id: plainvideo
            name: Plain Video
            vendor: Plain Inc
            kind: video
            baa: true
            e2ee: none
            mfa: none
            sources: [https://plain.example/security]
            read: 2026-11-01
    """), encoding="utf-8")
    prof = profile({"platforms": [{"name": "Plain Video", "holds_client_data": True, "baa_signed": True,
                                   "e2ee": True, "mfa_enforced": True}],
                    "platform_catalogs": [str(path)]})
    out = PROBE.run(platform(prof, 0), context(prof))
    t = platform(prof, 0)
    assert status("PLAT-DECLARED-CONTRADICTS", out, t) == "fail"
    assert len(out.facts["contradictions"]) == 2
    assert status("PLAT-BAA-AVAILABLE", out, t) == "pass"


def test_unknown_platform_is_error_with_did_you_mean_unless_a_baa_is_signed():
    out, t = run([{"name": "Zoom for Helthcare", "holds_client_data": True}])
    f = finding("PLAT-BAA-AVAILABLE", out, t)
    assert f.status == "error"
    assert "did you mean Zoom for Healthcare?" in f.message
    assert status("PLAT-DECLARED-CONTRADICTS", out, t) == "not_applicable"
    out, t = run([{"name": "Our Local EHR", "holds_client_data": True, "baa_signed": True}])
    assert status("PLAT-BAA-AVAILABLE", out, t) == "pass"  # a signed BAA shows the vendor offers one


def test_catalogue_domains_are_processors_only_when_the_vendor_signs_a_baa():
    prof = profile({"platforms": [{"name": "Zoom for Healthcare"}, {"name": "Google Analytics"}]})
    parties = Parties.for_site(["lakeside.example"], list(prof.platforms), load_catalog())
    assert parties.classify("us02web.zoom.us") == "processor"
    assert parties.classify("www.google-analytics.com") == "third"


def test_catalog_id_that_does_not_exist_is_exit_2_with_did_you_mean(cli, write):
    p = write("cyberaudit.yaml", """
        practice: {name: Lakeside}
        platforms:
          - name: Video
            catalog: zoom-helthcare
    """)
    r = cli("scan", "-p", str(p), "-o", str(p.parent / "r.json"))
    assert r.code == 2
    assert "cyberaudit.yaml:4:" in r.err and "did you mean zoom-healthcare?" in r.err
    assert "Traceback" not in r.err


def test_broken_user_catalogue_is_exit_2_naming_file_and_line(cli, write):
    write("cat.yaml", """
        catalog: mine
        version: "1"
        entries:
          - id: x
            name: X
            vendor: X
            kind: video
            baa: perhaps
            sources: [https://x.example/]
            read: 2026-01-01
    """)
    p = write("cyberaudit.yaml", """
        practice: {name: Lakeside}
        platform_catalogs: [cat.yaml]
    """)
    r = cli("scan", "-p", str(p), "-o", str(p.parent / "r.json"))
    assert r.code == 2
    assert "cat.yaml:8:" in r.err and "baa" in r.err


def test_platforms_command_lists_entries_with_sources_and_dates(cli):
    r = cli("platforms", "--format", "json")
    assert r.code == 0
    data = json.loads(r.out)
    assert len(data["entries"]) >= 60
    gmail = next(e for e in data["entries"] if e["id"] == "gmail")
    assert gmail["baa"] is False and gmail["sources"] and gmail["read"]
    r = cli("platforms", "--kind", "video")
    assert r.code == 0 and "Doxy.me" in r.out
    r = cli("platforms", "--kind", "vidoe")
    assert r.code == 2
