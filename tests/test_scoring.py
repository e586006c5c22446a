"""Scores, grades, caps and coverage on hand-computed cases."""

from __future__ import annotations

from cyberaudit.result import Finding
from cyberaudit.scoring import grade_for, score_findings, score_result


def f(status, severity, category="tls", target="t"):
    return Finding(rule_id=f"X-{status}-{severity}", target=target, target_kind="endpoint", status=status,
                   severity=severity, category=category, title="t", message="m")


def test_weights_and_score():
    # pass: high 6 + medium 3 = 9; fail: low 1; error: medium 3 → 9 / 13
    card = score_findings([f("pass", "high"), f("pass", "medium"), f("fail", "low"), f("error", "medium")])
    assert card.weight_pass == 9 and card.weight_total == 13
    assert card.score == round(100 * 9 / 13, 1) == 69.2
    assert card.grade == "D"
    assert card.coverage == round(100 * 3 / 4, 1)
    assert (card.checked, card.applicable) == (3, 4)


def test_waived_not_applicable_and_info_are_not_scored():
    card = score_findings([f("pass", "medium"), f("waived", "critical"), f("not_applicable", "high"),
                           f("fail", "info")])
    assert card.score == 100.0 and card.grade == "A"
    assert card.counts["waived"] == 1 and card.counts["not_applicable"] == 1


def test_failed_critical_caps_grade_at_d():
    items = [f("pass", "critical")] * 20 + [f("fail", "critical")]
    card = score_findings(items)
    assert card.score == round(100 * 200 / 210, 1)  # 95.2 would be an A
    assert card.grade == "D"
    assert "critical" in card.cap


def test_failed_high_caps_grade_at_b():
    card = score_findings([f("pass", "critical")] * 10 + [f("fail", "high")])
    assert card.score == round(100 * 100 / 106, 1)
    assert card.grade == "B" and "high" in card.cap


def test_cap_does_not_raise_a_worse_grade():
    card = score_findings([f("fail", "critical"), f("pass", "low")])
    assert card.grade == "F" and card.cap is None


def test_grade_boundaries():
    assert [grade_for(s) for s in (90, 89.9, 80, 79.9, 70, 69.9, 60, 59.9, 0)] == \
        ["A", "B", "B", "C", "C", "D", "D", "F", "F"]


def test_nothing_checkable_is_not_a_score():
    card = score_findings([f("not_applicable", "high")])
    assert card.score is None and card.grade is None


def test_errors_can_be_left_out_for_allow_errors():
    items = [f("pass", "high"), f("error", "high")]
    assert score_findings(items).score == 50.0
    assert score_findings(items, ignore_errors=True).score == 100.0


def test_per_category_and_per_target():
    scores = score_result([f("pass", "high", "tls", "a"), f("fail", "high", "http", "a"),
                           f("pass", "low", "http", "b")])
    assert scores.by_category["tls"].score == 100.0
    assert scores.by_category["http"].score == round(100 * 1 / 7, 1)
    assert scores.by_target["a"].score == 50.0
    assert scores.by_target["b"].score == 100.0
    assert scores.overall.score == round(100 * 7 / 13, 1)


def test_grades_use_the_exact_ratio_not_the_rounded_score():
    # 188 / 209 = 89.952…: shown as 90.0 but still a B
    items = [f("pass", "critical")] * 18 + [f("pass", "low")] * 8 + [f("fail", "low")] * 21
    card = score_findings(items)
    assert (card.weight_pass, card.weight_total) == (188, 209)
    assert card.score == 90.0 and card.grade == "B"


def test_gate_uses_the_exact_ratio():
    from cyberaudit.gate import check_gate
    from cyberaudit.result import Result, ScoreCard, Scores

    items = [f("pass", "critical")] * 9 + [f("pass", "high")] + [f("fail", "low")] * 17  # 96 / 113 = 84.96
    empty = ScoreCard(None, None, None, 0, 0, {}, 0, 0, None)
    result = Result("1.0", {}, "", None, (), {}, (), tuple(items), Scores(empty, {}, {}), {}, {})
    assert score_findings(items).score == 85.0
    assert not check_gate(result, fail_under=85).passed


def rule(rule_id, status, severity, category="tls", target="t"):
    return Finding(rule_id=rule_id, target=target, target_kind="website", status=status, severity=severity,
                   category=category, title="t", message="m")


def test_two_different_failed_critical_rules_cap_the_grade_at_f():
    # pass 20 × critical 10 = 200; fail 2 × critical 10 = 20 → 200 / 220 = 90.9: an A by the arithmetic
    items = [rule(f"P-{i}", "pass", "critical") for i in range(20)]
    items += [rule("TLS-CERT-NOT-EXPIRED", "fail", "critical"), rule("HTTP-FORM-INSECURE-ACTION", "fail", "critical")]
    card = score_findings(items)
    assert (card.weight_pass, card.weight_total, card.score) == (200, 220, 90.9)
    assert card.grade == "F" and card.uncapped_grade == "A"
    assert card.cap == "2 different critical rules failed (grade capped at F)"
    assert card.cap_rules == ("HTTP-FORM-INSECURE-ACTION", "TLS-CERT-NOT-EXPIRED")


def test_one_critical_rule_failing_on_two_targets_caps_at_d_only():
    items = [rule(f"P-{i}", "pass", "critical") for i in range(20)]
    items += [rule("TLS-CERT-NOT-EXPIRED", "fail", "critical", target=t) for t in ("a", "b")]
    card = score_findings(items)
    assert card.score == round(100 * 200 / 220, 1) and card.grade == "D"
    assert card.cap_rules == ("TLS-CERT-NOT-EXPIRED",) and card.uncapped_grade == "A"


def test_lab_like_practice_is_f_with_the_arithmetic_kept():
    # a password form over plain HTTP, health data posted to a marketing form service, an expired
    # certificate (3 critical), ad pixels (high), 15 medium problems.
    # pass: 15 critical (150) + 10 high (60) + 3 medium (9) = 219; fail: 30 + 6 + 45 = 81 → 219 / 300 = 73.0
    items = [rule(f"C-{i}", "pass", "critical") for i in range(15)]
    items += [rule(f"H-{i}", "pass", "high") for i in range(10)]
    items += [rule(f"M-{i}", "pass", "medium") for i in range(3)]
    items += [rule(r, "fail", "critical") for r in ("HTTP-FORM-INSECURE-ACTION", "PRIV-FORM-THIRD-PARTY",
                                                      "TLS-CERT-NOT-EXPIRED")]
    items += [rule("PRIV-AD-PIXELS", "fail", "high")] + [rule(f"MF-{i}", "fail", "medium") for i in range(15)]
    card = score_findings(items)
    assert (card.weight_pass, card.weight_total, card.score) == (219, 300, 73.0)
    assert card.uncapped_grade == "C" and card.grade == "F"  # was D: one cap for any number of criticals
    assert len(card.cap_rules) == 3


def test_an_area_with_one_failed_critical_shows_its_cap():
    from cyberaudit.render.verdicts import cap_text, grade_text

    # pass 8 critical (80) + 2 high (12); fail 1 critical (10) → 92 / 102 = 90.2: an A, capped at D
    items = [rule(f"P-{i}", "pass", "critical") for i in range(8)] + [rule(f"H-{i}", "pass", "high") for i in range(2)]
    items.append(rule("TLS-CERT-NOT-EXPIRED", "fail", "critical"))
    card = score_findings(items)
    assert (card.score, card.grade) == (90.2, "D")
    assert cap_text(card) == " (capped from A: a critical rule failed: TLS-CERT-NOT-EXPIRED)"
    assert grade_text(card) == "D (capped from A: a critical rule failed: TLS-CERT-NOT-EXPIRED)"


def test_info_rules_are_notes_not_problems():
    items = [rule("TLS-OCSP-STAPLING", "fail", "info"), rule("HTTP-CSP", "fail", "medium"),
             rule("HTTP-HSTS", "pass", "high")]
    card = score_findings(items)
    assert card.weight_total == 9 and card.score == round(100 * 6 / 9, 1)
    assert card.counts["fail"] == 2 and card.notes == 1 and card.problems == 1
    assert card.cap is None


def test_unreachable_targets_count_in_coverage_not_in_the_score():
    items = [rule(f"R-{i}", "error", "high", target="https://gone.example/") for i in range(12)]
    gone = score_findings(items, unscored_targets=frozenset({"https://gone.example/"}))
    assert gone.score is None and gone.grade is None  # not F 0.0
    assert (gone.applicable, gone.checked, gone.coverage, gone.unreached) == (12, 0, 0.0, 12)
    items.append(rule("HTTP-HSTS", "pass", "high", target="https://ok.example/"))
    both = score_findings(items, unscored_targets=frozenset({"https://gone.example/"}))
    assert (both.weight_pass, both.weight_total, both.score) == (6, 6, 100.0)
    assert both.coverage == round(100 * 1 / 13, 1) and both.unreached == 12
