"""Failure messages per branch and evidence sentences that packs declare: loading, safety, evaluation."""

from __future__ import annotations

import datetime as dt

import pytest

from cyberaudit.errors import InputError
from cyberaudit.evaluate import TargetFacts, evaluate_rule, plain_reason
from cyberaudit.evidence import TemplateSyntaxError, parse_template, render_template
from cyberaudit.packs import load_rule_set
from cyberaudit.targets import Target

HEAD = """
pack: custom
version: 1.0.0
title: Custom
rules:
"""

COOKIES = """
  - id: CUSTOM-COOKIES
    title: Cookies are Secure
    category: http
    severity: medium
    scope: website
    probe: http
    check: {fact: http.cookies, every: {fact: secure, equals: true}}
    params:
      limit: {default: 3}
    evidence:
      - http.cookies
      - each: http.cookies
        text: The cookie {name} is sent without the Secure flag.
      - text: "{http.cookies|count} cookies were set (limit {param.limit})."
      - when: {fact: http.https, equals: false}
        text: The site is not served over HTTPS.
    fail_messages:
      - when: {fact: http.https, equals: false}
        message: The site has no HTTPS at all
        see: CUSTOM-HTTPS
      - message: "{http.site} sends cookies without the Secure flag."
    fail_message: Some cookies are not Secure.
    rationale: Why.
    remediation: What.
    references: [RFC 6265]
  - id: CUSTOM-HTTPS
    title: HTTPS
    category: http
    severity: high
    scope: website
    probe: http
    check: {fact: http.https, equals: true}
    rationale: Why.
    remediation: What.
    references: [RFC 9110]
"""

SITE = Target("website", "https://www.practice.example/")


def _rules(write, text=COOKIES):  # type: ignore[no-untyped-def]
    return load_rule_set([write("custom.yaml", HEAD + text)], builtin=False, check_facts=False)


def _finding(rules, facts, errors=None):  # type: ignore[no-untyped-def]
    rule = rules.rules["CUSTOM-COOKIES"]
    tf = TargetFacts({"http": facts}, errors or {}, {}, frozenset())
    return evaluate_rule(rule, SITE, tf, rule.default_params(), (), dt.date(2026, 11, 26))


COOKIE_FACTS = [{"name": "PHPSESSID", "secure": False}, {"name": "lang", "secure": True},
                {"name": "cart", "secure": False}]


def test_failing_branch_gives_the_message_and_sentences_name_the_failing_items(write):
    f = _finding(_rules(write), {"https": True, "site": "www.practice.example", "cookies": COOKIE_FACTS})
    assert f.status == "fail"
    assert f.message == "www.practice.example sends cookies without the Secure flag."
    # only the elements that made the check fail, in order, then the rule-level sentences
    assert f.evidence_text == ("The cookie PHPSESSID is sent without the Secure flag.",
                               "The cookie cart is sent without the Secure flag.",
                               "3 cookies were set (limit 3).")
    assert f.evidence["http.cookies"] == ["PHPSESSID", "cart"]  # the technical record is unchanged


def test_a_rule_failing_for_want_of_another_rules_subject_points_to_it(write):
    f = _finding(_rules(write), {"https": False, "site": "x", "cookies": COOKIE_FACTS})
    assert f.message == "The site has no HTTPS at all — see CUSTOM-HTTPS."
    assert "The site is not served over HTTPS." in f.evidence_text


def test_a_branch_whose_values_are_unknown_falls_through_to_the_next_message(write):
    f = _finding(_rules(write), {"https": True, "site": None, "cookies": COOKIE_FACTS})
    assert f.message == "Some cookies are not Secure."  # not "None sends cookies"


def test_passing_findings_carry_no_failure_sentences(write):
    f = _finding(_rules(write), {"https": True, "site": "x", "cookies": [{"name": "a", "secure": True}]})
    assert f.status == "pass" and f.evidence_text == ()


@pytest.mark.parametrize(("value", "shown"), [
    (True, "yes"), (False, "no"), (40.0, "40"), (["a", "b"], "a, b"), ("x " * 400, None),
])
def test_values_are_shown_in_plain_words_never_as_python(value, shown):
    text = render_template(parse_template("v: {v}"), {"v": value})
    if shown is None:
        assert text is not None and text.endswith("…") and len(text) < 620
    else:
        assert text == f"v: {shown}"


@pytest.mark.parametrize("value", [None, {"a": 1}, [{"a": 1}], [], [["x"]]])
def test_objects_and_unknown_values_leave_the_sentence_out(value):
    assert render_template(parse_template("v: {v}"), {"v": value}) is None


def test_dates_and_literal_braces():
    assert render_template(parse_template("{d|date} {{x}}"), {"d": "2026-12-13T17:41:34+00:00"}) == \
        "13 December 2026 {x}"


@pytest.mark.parametrize(("template", "problem"), [
    ("{__import__('os')}", "is not a fact path"),
    ("{a.b()}", "is not a fact path"),
    ("{a[0]}", "is not a fact path"),
    ("{a|upper}", "unknown filter 'upper'"),
    ("open { brace", "unbalanced '{'"),
])
def test_templates_reach_fact_values_only(template, problem):
    with pytest.raises(TemplateSyntaxError, match=problem.replace("(", r"\(").replace("[", r"\[")):
        parse_template(template)


def test_a_placeholder_cannot_reach_attributes_even_with_a_plausible_name():
    # lookup reads mapping keys only: a name that is an attribute elsewhere is simply not there
    assert render_template(parse_template("{__class__}"), {"x": 1}) is None
    assert render_template(parse_template("{items}"), {"x": 1}) is None


@pytest.mark.parametrize(("old", "new", "problem"), [
    ("The cookie {name} is sent", "The cookie {name|shout} is sent", "unknown filter 'shout'"),
    ("(limit {param.limit})", "(limit {param.other})", "names a parameter that the rule does not declare"),
    ("        see: CUSTOM-HTTPS", "        see: CUSTOM-NOPE", "fail_messages names unknown rule CUSTOM-NOPE"),
    ("      - each: http.cookies\n        text: The cookie", "      - where: {fact: secure, equals: false}\n"
     "        text: The cookie", "where selects elements, so it needs each"),
])
def test_pack_mistakes_in_messages_and_templates_are_input_errors_with_a_line(write, old, new, problem):
    assert old in COOKIES
    with pytest.raises(InputError) as exc:
        _rules(write, COOKIES.replace(old, new, 1))
    assert problem in str(exc.value)
    assert exc.value.line is not None


def test_template_placeholders_must_be_published_facts(write):
    text = COOKIES.replace("The cookie {name} is", "The cookie {nmae} is").replace("{http.site} sends", "It sends")
    with pytest.raises(InputError, match=r"does not publish fact 'http\.cookies\[\]\.nmae'"):
        load_rule_set([write("custom.yaml", HEAD + text)], builtin=False)


@pytest.mark.parametrize(("reason", "plain"), [
    ("http.frame_options.value was not reported", "the check did not report this"),
    ("tls.protocols.tls1_0: connection refused", "connection refused"),
    ("the tls probe did not run on this website", "the tls probe did not run on this website"),
])
def test_error_messages_leave_the_fact_path_to_the_technical_detail(reason, plain):
    assert plain_reason(reason) == plain
