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
