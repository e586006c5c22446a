"""The check language: every operator and quantifier, three-valued, never pass on missing facts."""

from __future__ import annotations

import pytest

from cyberaudit.conditions import CheckSyntaxError, FactView, compile_check, evaluate, iter_facts

FACTS = {
    "http": {
        "status": 200,
        "server": "nginx/1.25",
        "hsts": {"max_age": 300, "present": True},
        "flags": ["a", "b"],
        "unknown": None,
        "empty_list": [],
        "cookies": [
            {"name": "sid", "secure": True, "httponly": True},
            {"name": "pref", "secure": False, "httponly": True},
        ],
        "headers": {"x-frame-options": "DENY"},
    }
}


def run(check, facts=FACTS, errors=None, params=None):
    return evaluate(compile_check(check), FactView(facts, errors or {}), params or {})


@pytest.mark.parametrize("check, expected", [
    ({"fact": "http.status", "equals": 200}, "pass"),
    ({"fact": "http.status", "equals": 201}, "fail"),
    ({"fact": "http.hsts.present", "equals": True}, "pass"),
    ({"fact": "http.status", "not_equals": 500}, "pass"),
    ({"fact": "http.status", "not_equals": 200}, "fail"),
    ({"fact": "http.status", "in": [200, 204]}, "pass"),
    ({"fact": "http.status", "in": [301, 302]}, "fail"),
    ({"fact": "http.status", "not_in": [301, 302]}, "pass"),
    ({"fact": "http.status", "not_in": [200]}, "fail"),
    ({"fact": "http.server", "contains": "nginx"}, "pass"),
    ({"fact": "http.flags", "contains": "b"}, "pass"),
    ({"fact": "http.flags", "contains": "c"}, "fail"),
    ({"fact": "http.headers", "contains": "x-frame-options"}, "pass"),
    ({"fact": "http.flags", "not_contains": "c"}, "pass"),
    ({"fact": "http.server", "not_contains": "nginx"}, "fail"),
    ({"fact": "http.hsts.max_age", "gt": 299}, "pass"),
    ({"fact": "http.hsts.max_age", "gt": 300}, "fail"),
    ({"fact": "http.hsts.max_age", "gte": 300}, "pass"),
    ({"fact": "http.hsts.max_age", "gte": 301}, "fail"),
    ({"fact": "http.hsts.max_age", "lt": 301}, "pass"),
    ({"fact": "http.hsts.max_age", "lt": 300}, "fail"),
    ({"fact": "http.hsts.max_age", "lte": 300}, "pass"),
    ({"fact": "http.hsts.max_age", "lte": 299}, "fail"),
    ({"fact": "http.server", "matches": r"^nginx/\d"}, "pass"),
    ({"fact": "http.server", "matches": "apache"}, "fail"),
    ({"fact": "http.server", "exists": True}, "pass"),
    ({"fact": "http.nothing", "exists": True}, "fail"),
    ({"fact": "http.nothing", "exists": False}, "pass"),
    ({"fact": "http.unknown", "exists": True}, "fail"),
    ({"fact": "http.empty_list", "empty": True}, "pass"),
    ({"fact": "http.flags", "empty": True}, "fail"),
    ({"fact": "http.flags", "empty": False}, "pass"),
    ({"fact": "http.hsts.max_age", "gte": 100, "lte": 400}, "pass"),
    ({"fact": "http.hsts.max_age", "gte": 100, "lte": 200}, "fail"),
])
def test_comparison_operators(check, expected):
    assert run(check).status == expected


@pytest.mark.parametrize("check, expected", [
    ({"fact": "http.cookies", "every": {"fact": "httponly", "equals": True}}, "pass"),
    ({"fact": "http.cookies", "every": {"fact": "secure", "equals": True}}, "fail"),
    ({"fact": "http.cookies", "some": {"fact": "secure", "equals": False}}, "pass"),
    ({"fact": "http.cookies", "some": {"fact": "name", "equals": "nope"}}, "fail"),
    ({"fact": "http.cookies", "none": {"fact": "name", "equals": "nope"}}, "pass"),
    ({"fact": "http.cookies", "none": {"fact": "secure", "equals": False}}, "fail"),
    ({"fact": "http.flags", "every": {"fact": ".", "in": ["a", "b"]}}, "pass"),
    ({"fact": "http.flags", "some": {"fact": ".", "equals": "z"}}, "fail"),
    # vacuous truth on an empty list: every and none hold, some does not
    ({"fact": "http.empty_list", "every": {"fact": "secure", "equals": True}}, "pass"),
    ({"fact": "http.empty_list", "none": {"fact": "secure", "equals": True}}, "pass"),
    ({"fact": "http.empty_list", "some": {"fact": "secure", "equals": True}}, "fail"),
])
def test_quantifiers(check, expected):
    assert run(check).status == expected


def test_failed_quantifier_names_the_offending_elements():
    out = run({"fact": "http.cookies", "every": {"fact": "secure", "equals": True}})
    assert out.status == "fail"
    assert any("pref" in r for r in out.reasons)
    assert not any("sid:" in r for r in out.reasons)
    assert out.evidence["http.cookies"] == ["pref"]


@pytest.mark.parametrize("check, expected", [
    ({"all": [{"fact": "http.status", "equals": 200}, {"fact": "http.server", "exists": True}]}, "pass"),
    ({"all": [{"fact": "http.status", "equals": 200}, {"fact": "http.status", "equals": 1}]}, "fail"),
    ({"any": [{"fact": "http.status", "equals": 1}, {"fact": "http.status", "equals": 200}]}, "pass"),
    ({"any": [{"fact": "http.status", "equals": 1}, {"fact": "http.status", "equals": 2}]}, "fail"),
    ({"not": {"fact": "http.status", "equals": 1}}, "pass"),
    ({"not": {"fact": "http.status", "equals": 200}}, "fail"),
])
def test_combinators(check, expected):
    assert run(check).status == expected


@pytest.mark.parametrize("check", [
    {"fact": "http.missing", "equals": True},
    {"fact": "http.unknown", "equals": True},
    {"fact": "http.missing", "every": {"fact": "x", "equals": 1}},
    {"not": {"fact": "http.missing", "equals": True}},
    {"all": [{"fact": "http.status", "equals": 200}, {"fact": "http.missing", "equals": 1}]},
    {"any": [{"fact": "http.status", "equals": 1}, {"fact": "http.missing", "equals": 1}]},
    {"fact": "http.cookies", "every": {"fact": "samesite", "equals": "Lax"}},
    {"fact": "http.server", "gt": 3},
])
def test_what_cannot_be_determined_is_error_never_pass(check):
    out = run(check)
    assert out.status == "error"
    assert out.reasons


def test_failure_dominates_error_in_all_and_success_dominates_in_any():
    assert run({"all": [{"fact": "http.status", "equals": 1}, {"fact": "http.missing", "equals": 1}]}).status == "fail"
    assert run({"any": [{"fact": "http.status", "equals": 200}, {"fact": "http.missing", "equals": 1}]}).status == "pass"


def test_probe_error_prefix_turns_facts_below_it_into_errors():
    out = run({"fact": "http.hsts.max_age", "gte": 1}, errors={"http.hsts": "timeout after 3s"})
    assert out.status == "error"
    assert "timeout after 3s" in out.reasons[0]
    # a sibling fact is unaffected
    assert run({"fact": "http.status", "equals": 200}, errors={"http.hsts": "timeout"}).status == "pass"
    # exists: true cannot pass on a fact that could not be determined
    assert run({"fact": "http.hsts.present", "exists": True}, errors={"http.hsts": "timeout"}).status == "error"


def test_parameters_are_read_by_name():
    check = {"fact": "http.hsts.max_age", "gte": {"param": "min"}}
    assert run(check, params={"min": 100}).status == "pass"
    assert run(check, params={"min": 15552000}).status == "fail"


@pytest.mark.parametrize("raw, fragment", [
    ({"fact": "x", "equal": 1}, "unknown operator 'equal'"),
    ({"fact": "x"}, "has no operator"),
    ({"all": []}, "non-empty list"),
    ({"all": [{"fact": "x", "equals": 1}], "any": []}, "cannot be combined"),
    ({"fact": "x", "gt": "ten"}, "takes a number"),
    ({"fact": "x", "in": 3}, "takes a list"),
    ({"fact": "x", "matches": "("}, "invalid regular expression"),
    ({"fact": "x", "exists": "yes"}, "true or false"),
    ({"fact": "x", "every": {"fact": "y", "equals": 1}, "equals": 2}, "only operator"),
    ({"fact": "x", "equals": {"python": "os.system"}}, "literal or {param: NAME}"),
    ("fact == 1", "must be a mapping"),
    ({"fact": "x", "contains": ["a"]}, "not a list"),
    ({"fact": "x", "matches": "^(a+)+$"}, "exponential time"),
    ({"fact": "x", "matches": r"(\w+)\1"}, "backreferences"),
])
def test_malformed_checks_are_rejected(raw, fragment):
    with pytest.raises(CheckSyntaxError) as exc:
        compile_check(raw)
    assert fragment in exc.value.message


def test_iter_facts_lists_element_paths():
    check = compile_check({"all": [{"fact": "http.cookies", "every": {"fact": "secure", "equals": True}},
                                   {"fact": "http.status", "equals": 200}]})
    assert ("http.cookies[].secure", "equals") in iter_facts(check)
    assert ("http.status", "equals") in iter_facts(check)
