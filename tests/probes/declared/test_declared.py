"""The declared probe and the rules that read only the profile's answers."""

from __future__ import annotations

import datetime as dt

import pytest

from cyberaudit.probes.declared.jurisdictions import RETENTION_MINIMUMS
from cyberaudit.probes.declared.probe import PROBE
from tests.probes.controls_helpers import context, finding, platform, practice, profile, rule, status


def run_platform(platforms, i=0):
    prof = profile({"platforms": platforms})
    return PROBE.run(platform(prof, i), context(prof)), platform(prof, i)


def test_platform_answers_pass_and_fail():
    good = {"name": "Zoom for Healthcare", "kind": "video", "holds_client_data": True, "baa_signed": True,
            "mfa_enforced": True, "e2ee": True, "encrypted_at_rest": True, "domains": ["zoom.us"]}
    out, t = run_platform([good])
    # the profile's domains first, then the catalogue's (Zoom signs a BAA on this plan)
    assert out.facts["domains"][0] == "zoom.us" and "zoomgov.com" in out.facts["domains"] and out.errors == {}
    for rid in ("ENC-PLATFORM-BAA", "MFA-PLATFORMS", "ENC-VIDEO-E2EE"):
        assert status(rid, out, t) == "pass", rid
    bad = {**good, "baa_signed": False, "mfa_enforced": False, "e2ee": False}
    out, t = run_platform([bad])
    for rid in ("ENC-PLATFORM-BAA", "MFA-PLATFORMS", "ENC-VIDEO-E2EE"):
        assert status(rid, out, t) == "fail", rid


def test_undeclared_answer_is_error_naming_the_key_never_pass():
    out, t = run_platform([{"name": "Other", "kind": "other"},
                           {"name": "Our mail host", "kind": "email", "holds_client_data": True}], i=1)
    assert out.facts["baa_signed"] is None
    f = finding("ENC-PLATFORM-BAA", out, t)
    assert f.status == "error"
    assert "add platforms[1].baa_signed" in f.message
    assert status("MFA-PLATFORMS", out, t) == "error"
    assert status("ENC-AT-REST", out, t) == "error"


def test_not_applicable_when_no_client_data_or_other_kind():
    out, t = run_platform([{"name": "Stripe", "kind": "payments", "holds_client_data": False}])
    assert status("ENC-PLATFORM-BAA", out, t) == "not_applicable"
    assert status("MFA-PLATFORMS", out, t) == "not_applicable"
    assert status("ENC-AT-REST", out, t) == "not_applicable"
    assert status("ENC-VIDEO-E2EE", out, t) == "not_applicable"
    # unknown holds_client_data is not a reason to skip: it is an error
    out, t = run_platform([{"name": "Box", "kind": "storage", "baa_signed": True, "encrypted_at_rest": True}])
    assert status("ENC-PLATFORM-BAA", out, t) == "error"
    assert status("ENC-AT-REST", out, t) == "error"


def test_at_rest_for_storage_ehr_email():
    out, t = run_platform([{"name": "SimplePractice", "kind": "ehr", "holds_client_data": True,
                            "encrypted_at_rest": False}])
    assert status("ENC-AT-REST", out, t) == "fail"
    out, t = run_platform([{"name": "Drive", "kind": "storage", "holds_client_data": True,
                            "encrypted_at_rest": True}])
    assert status("ENC-AT-REST", out, t) == "pass"


def run_practice(controls, jurisdiction="US"):
    prof = profile({"practice": {"name": "t", "jurisdiction": jurisdiction}, "controls": controls})
    return PROBE.run(practice(prof), context(prof)), practice(prof)


def test_retention_policy_defined_and_minimum():
    out, t = run_practice({"retention": {"clinical_records_years": 7, "recordings_days": 0}})
    assert status("RET-POLICY-DEFINED", out, t) == "pass"
    assert status("RET-POLICY-MINIMUM", out, t) == "pass"
    assert out.facts["retention"]["minimum_years"] == 6
    out, t = run_practice({"retention": {"clinical_records_years": 3}})
    assert status("RET-POLICY-MINIMUM", out, t) == "fail"
    out, t = run_practice({})
    assert status("RET-POLICY-DEFINED", out, t) == "fail"
    f = finding("RET-POLICY-MINIMUM", out, t)
    assert f.status == "error" and "clinical_records_years" in f.message


@pytest.mark.parametrize("code, years_ok, years_short", [("EU", 10, 9), ("UK", 8, 7), ("CA", 10, 7),
                                                         ("AU", 7, 6), ("other", 6, 5)])
def test_minimum_follows_jurisdiction(code, years_ok, years_short):
    out, t = run_practice({"retention": {"clinical_records_years": years_ok}}, code)
    assert status("RET-POLICY-MINIMUM", out, t) == "pass"
    out, t = run_practice({"retention": {"clinical_records_years": years_short}}, code)
    assert status("RET-POLICY-MINIMUM", out, t) == "fail"
    assert out.facts["retention"]["minimum_source"]


def test_minimum_parameter_overrides_default():
    out, t = run_practice({"retention": {"clinical_records_years": 10}}, "EU")
    assert status("RET-POLICY-MINIMUM", out, t) == "pass"
    assert status("RET-POLICY-MINIMUM", out, t, min_years_eu=20) == "fail"


def test_pack_parameter_defaults_match_the_published_minimums():
    params = rule("RET-POLICY-MINIMUM").default_params()
    for code, minimum in RETENTION_MINIMUMS.items():
        assert params[f"min_years_{code.lower()}"] == minimum.years


def test_backups():
    recent = (dt.date.today() - dt.timedelta(days=40)).isoformat()
    old = (dt.date.today() - dt.timedelta(days=400)).isoformat()
    out, t = run_practice({"backups": {"encrypted": True, "last_restore_test": recent}})
    assert out.facts["backups"]["days_since_restore_test"] == 40
    assert status("RET-BACKUPS-ENCRYPTED", out, t) == "pass"
    assert status("RET-BACKUPS-TESTED", out, t) == "pass"
    assert status("RET-BACKUPS-TESTED", out, t, max_days_since_test=30) == "fail"
    out, t = run_practice({"backups": {"encrypted": False, "last_restore_test": old}})
    assert status("RET-BACKUPS-ENCRYPTED", out, t) == "fail"
    assert status("RET-BACKUPS-TESTED", out, t) == "fail"
    out, t = run_practice({})
    assert status("RET-BACKUPS-ENCRYPTED", out, t) == "error"
    f = finding("RET-BACKUPS-TESTED", out, t)
    assert f.status == "error" and "last_restore_test" in f.message


def test_restore_test_in_the_future_is_an_error():
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    out, t = run_practice({"backups": {"encrypted": True, "last_restore_test": future}})
    f = finding("RET-BACKUPS-TESTED", out, t)
    assert f.status == "error" and "future" in f.message
