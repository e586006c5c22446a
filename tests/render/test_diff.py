"""Comparing two results: what is new, fixed, still failing, and which waivers run out soon."""

from __future__ import annotations

import json

from cyberaudit.diff import diff_results, diff_to_markdown, diff_to_text
from tests.render.sample import MAIL, PORTAL, SITE, SITE2, later_result, sample_result


def keys(changes):
    return {(c.rule_id, c.target) for c in changes}


def test_known_changes_are_classified():
    d = diff_results(sample_result(), later_result())
    assert keys(d.new_failures) == {("HTTP-CSP", SITE2)}
    assert keys(d.fixed) == {("HTTP-HSTS", SITE), ("MFA-USER-COVERAGE", "practice")}
    assert ("MAIL-DMARC-ENFORCED", MAIL) in keys(d.still_failing)
    assert ("TLS-PROTOCOL-LEGACY", PORTAL) in keys(d.still_failing)
    assert keys(d.other_changes) == {("TLS-PROTOCOL-TLS13", PORTAL)}
    assert d.other_changes[0].old_status == "error" and d.other_changes[0].new_status == "pass"
    assert d.score.old_score == sample_result().scores.overall.score
    assert d.score.delta == round(later_result().scores.overall.score - sample_result().scores.overall.score, 1)
    assert d.score.delta > 0


def test_waivers_expiring_within_30_days():
    d = diff_results(sample_result(), later_result())  # the later scan is dated 2026-11-30
    assert [(w.rule_id, w.target, w.days_left) for w in d.expiring_waivers] == [("HTTP-CSP", SITE, 10)]


def test_no_change_between_identical_results():
    d = diff_results(sample_result(), sample_result())
    assert not d.new_failures and not d.fixed and not d.other_changes
    assert d.score.delta == 0


def test_a_removed_target_is_said_first_and_summarised_not_listed_as_absent():
    old = sample_result()
    new = later_result()
    new = new.__class__(**{**new.__dict__, "findings": tuple(f for f in new.findings if f.target != PORTAL)})
    d = diff_results(old, new)
    [gone] = d.targets
    assert (gone.target, gone.change, gone.kind) == (PORTAL, "removed", "endpoint")
    assert sum(gone.counts.values()) == 4 and gone.counts["fail"] == 2
    assert not [c for c in d.other_changes if c.target == PORTAL]
    # a failure that disappears with its target is not "fixed"
    assert ("TLS-PROTOCOL-LEGACY", PORTAL) not in \
        keys(d.fixed) | keys(d.still_failing)
    ex = d.explanation
    assert ex is not None and round(ex.from_same_targets + ex.from_target_changes, 1) == d.score.delta
    text = diff_to_text(d)
    assert text.index(f"Target removed: {PORTAL}") < text.index("Score:")
    assert "-> absent" not in text and f"Removing {PORTAL} accounts for" in text


def test_gate_on_new_failures_by_severity():
    d = diff_results(sample_result(), later_result())  # the new failure is HTTP-CSP, medium
    assert d.has_new_failure_at_least("medium") and d.has_new_failure_at_least("low")
    assert not d.has_new_failure_at_least("high")


def test_text_json_and_markdown_say_the_same():
    d = diff_results(sample_result(), later_result())
    data = json.loads(d.to_json())
    assert [c["rule_id"] for c in data["new_failures"]] == ["HTTP-CSP"]
    assert data["expiring_waivers"][0]["days_left"] == 10
    text = diff_to_text(d)
    assert "New failures (1)" in text and "Fixed (2)" in text and "HTTP-CSP on https://intake.lakeside.example/" in text
    md = diff_to_markdown(d)
    assert "## New failures (1)" in md and "## Fixed (2)" in md
    assert "| medium | `HTTP-CSP` |" in md


def test_a_rule_gone_from_a_target_and_one_new_on_it_are_other_changes():
    old, new = sample_result(), later_result()
    dropped = ("MAIL-DMARC-ENFORCED", MAIL)
    kept = tuple(f for f in new.findings if (f.rule_id, f.target) != dropped)
    added = next(f for f in new.findings if f.target == SITE and f.status == "pass")
    added = added.__class__(**{**{k: getattr(added, k) for k in added.__dataclass_fields__}, "rule_id": "HTTP-NEW"})
    d = diff_results(old, new.__class__(**{**new.__dict__, "findings": (*kept, added)}))
    other = {(c.rule_id, c.target): (c.old_status, c.new_status) for c in d.other_changes}
    assert other[dropped] == ("fail", None)  # no longer checked: neither fixed nor still failing
    assert other[("HTTP-NEW", SITE)] == (None, "pass")
    assert dropped not in keys(d.fixed) | keys(d.still_failing) and not d.targets
