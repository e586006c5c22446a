"""The safeguards pack: declared policies, their documents on disk and their review dates."""

from __future__ import annotations

import datetime as dt

import pytest

from cyberaudit.packs import load_pack
from cyberaudit.probes.safeguards.probe import PROBE
from cyberaudit.profile import SAFEGUARD_KEYS
from tests.probes.controls_helpers import RULES, context, finding, practice, profile, status

TODAY = dt.date.today()
RULE_FOR = {r.id: r for r in load_pack(RULES / "safeguards.yaml", builtin=True).rules}


def run(safeguards, base=None):
    prof = profile({"safeguards": safeguards})
    return PROBE.run(practice(prof), context(prof, base=base)), practice(prof)


def days_ago(n: int) -> str:
    return (TODAY - dt.timedelta(days=n)).isoformat()


def test_the_pack_covers_every_safeguard_with_references():
    assert len(RULE_FOR) >= 8
    checked = {c for r in RULE_FOR.values() for c in SAFEGUARD_KEYS if f"safeguards.{c}." in str(r.model.check)}
    assert checked == set(SAFEGUARD_KEYS)
    for r in RULE_FOR.values():
        assert r.model.scope == "practice" and r.model.references and r.model.remediation
    assert any("164.308(a)(1)(ii)(A)" in ref for ref in RULE_FOR["SAFE-RISK-ANALYSIS"].model.references)
    assert any("164.404" in ref for ref in RULE_FOR["SAFE-INCIDENT-RESPONSE"].model.references)
    assert any("164.308(a)(7)" in ref for ref in RULE_FOR["SAFE-CONTINGENCY-PLAN"].model.references)


def test_evidence_present_and_recent_passes(tmp_path):
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "risk.pdf").write_bytes(b"%PDF-1.4 not read")
    out, t = run({"risk_analysis": {"in_place": True, "evidence": "policies/risk.pdf", "reviewed": days_ago(40)}},
                 base=tmp_path)
    assert out.facts["risk_analysis"]["evidence_exists"] is True
    assert out.facts["risk_analysis"]["days_since_review"] == 40
    assert status("SAFE-RISK-ANALYSIS", out, t) == "pass"


def test_missing_evidence_file_fails(tmp_path):
    out, t = run({"incident_response": {"in_place": True, "evidence": "policies/ir.pdf", "reviewed": days_ago(10)}},
                 base=tmp_path)
    assert out.facts["incident_response"]["evidence_exists"] is False
    assert status("SAFE-INCIDENT-RESPONSE", out, t) == "fail"


def test_stale_review_fails_and_the_period_is_a_parameter(tmp_path):
    out, t = run({"workforce_training": {"in_place": True, "reviewed": days_ago(400)}})
    assert status("SAFE-WORKFORCE-TRAINING", out, t) == "fail"
    assert status("SAFE-WORKFORCE-TRAINING", out, t, review_within_days=500) == "pass"
    # a two-year period for policies that change less often
    out, t = run({"secure_networks": {"in_place": True, "reviewed": days_ago(400)}})
    assert status("SAFE-SECURE-NETWORKS", out, t) == "pass"


def test_not_in_place_fails_even_with_a_document(tmp_path):
    (tmp_path / "plan.pdf").write_bytes(b"x")
    out, t = run({"contingency_plan": {"in_place": False, "evidence": "plan.pdf", "reviewed": days_ago(1)}},
                 base=tmp_path)
    assert status("SAFE-CONTINGENCY-PLAN", out, t) == "fail"


@pytest.mark.parametrize("answer", [None, {"in_place": None}, {}])
def test_unanswered_is_error_naming_the_key_never_pass(answer):
    out, t = run({"emergency_plan": answer} if answer is not None else {})
    f = finding("SAFE-EMERGENCY-PLAN", out, t)
    assert f.status == "error"
    assert "safeguards.emergency_plan.in_place" in f.message


def test_no_review_date_or_a_future_one_is_error():
    out, t = run({"session_security": True})  # the short form
    assert out.facts["session_security"]["in_place"] is True
    f = finding("SAFE-SESSION-SECURITY", out, t)
    assert f.status == "error" and "safeguards.session_security.reviewed" in f.message
    out, t = run({"session_security": {"in_place": True, "reviewed": (TODAY + dt.timedelta(days=3)).isoformat()}})
    f = finding("SAFE-SESSION-SECURITY", out, t)
    assert f.status == "error" and "in the future" in f.message


def test_a_bad_date_in_the_profile_is_exit_2(cli, write):
    p = write("cyberaudit.yaml", """
        practice: {name: Lakeside}
        safeguards:
          risk_analysis: {in_place: true, reviewed: 31/01/2026}
    """)
    r = cli("scan", "-p", str(p), "-o", str(p.parent / "r.json"))
    assert r.code == 2 and "cyberaudit.yaml:3:" in r.err and "Traceback" not in r.err
