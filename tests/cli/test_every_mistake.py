"""Every mistake of a file at once, sorted by line, in plain words, with "did you mean" for typos."""

from __future__ import annotations

import pytest

PACK_HEAD = """pack: custom
version: 1.0.0
title: Custom rules
rules:
"""
RULE = """  - id: CUSTOM-BAA{n}
    title: A BAA is signed
    category: encryption
    severity: high
    scope: platform
    probe: declared
    check: {{fact: declared.baa_signed, equals: true}}
    rationale: Why.
    remediation: What.
    references: [HIPAA 45 CFR 164.308(b)]
"""


def error_lines(run):
    assert run.code == 2, run
    assert "Traceback" not in run.err + run.out and "This is a bug" not in run.err
    return [ln for ln in run.err.strip().splitlines() if ln.strip()]


def test_three_typos_in_a_profile_are_reported_in_one_run(cli, write):
    path = write("p.yaml", """
        practice:
          name: Test Practice
        targets:
          websites:
            - url: https://www.example/
              pagess: [/]
          mail_domain:
            - domain: practice.example
        platforms:
          - name: Zoom for Healthcare
            baa_sgned: true
        """)
    lines = error_lines(cli("scan", "-p", str(path), "-q", "--no-history"))
    assert lines == [
        f"error: {path}:6:7: unknown key 'pagess' in targets.websites[0] (did you mean pages?)",
        f"error: {path}:7:3: unknown key 'mail_domain' in targets (did you mean mail_domains?)",
        f"error: {path}:11:5: unknown key 'baa_sgned' in platforms[0] (did you mean baa_signed?)",
    ]


def test_a_misspelt_pack_key_is_named_at_its_line_not_as_a_missing_key(cli, write):
    pack = write("pack.yaml", PACK_HEAD + RULE.format(n="").replace("remediation:", "remedation:"))
    lines = error_lines(cli("rules", "validate", str(pack)))
    assert lines == [f"error: {pack}:13:5: unknown key 'remedation' in rules[0] (did you mean remediation?)"]


@pytest.mark.parametrize("body, message", [
    ("platforms:\n  - name: Zoom\n    baa_signed: yes please\n",
     "platforms[0].baa_signed: expected true or false, got 'yes please'"),
    ("controls:\n  backups:\n    last_restore_test: 31/01/2027\n",
     "controls.backups.last_restore_test: expected a date as YYYY-MM-DD, got 31/01/2027"),
    ("waivers:\n  - rule: HTTP-CSP\n    reason: r\n    expires: 31/01/2027\n",
     "waivers[0].expires: expected a date as YYYY-MM-DD, got 31/01/2027"),
    ("targets:\n  endpoints:\n    - host: a.example\n      port: eighty\n",
     "targets.endpoints[0].port: expected a whole number, got 'eighty'"),
    ("targets:\n  endpoints:\n    - host: a.example\n      port: 0\n",
     "targets.endpoints[0].port: must be at least 1, got 0"),
    ("platforms:\n  - name: Zoom\n    kind: telepathy\n",
     "platforms[0].kind must be one of video, ehr, email, storage, scheduling, forms, payments, messaging, "
     "website, other, got 'telepathy'"),
    ("targets:\n  websites: https://www.example/\n", "targets.websites: expected a list, got 'https://www.example/'"),
])
def test_messages_in_plain_words(cli, write, body, message):
    path = write("p.yaml", "practice:\n  name: X\n" + body)
    lines = error_lines(cli("scan", "-p", str(path), "-q", "--no-history"))
    assert len(lines) == 1 and lines[0].endswith(message), lines
    assert "Input should" not in lines[0] and "type=" not in lines[0]


def test_pack_severity_message(cli, write):
    pack = write("pack.yaml", PACK_HEAD + RULE.format(n="").replace("severity: high", "severity: severe"))
    lines = error_lines(cli("rules", "validate", str(pack)))
    assert lines == [f"error: {pack}:8:15: rules[0].severity must be one of critical, high, medium, low, info, "
                     f"got 'severe'"]


def test_problems_of_several_rules_sorted_by_line(cli, write):
    rules = [RULE.format(n=f"-{i}") for i in range(3)]
    rules[0] = rules[0].replace("probe: declared", "probe: telepathy")
    rules[1] = rules[1].replace("equals: true}", "equal: true}")
    rules[2] = rules[2].replace("scope: platform", "scope: website")
    pack = write("pack.yaml", PACK_HEAD + "".join(rules))
    lines = error_lines(cli("rules", "validate", str(pack)))
    # the first is found by the schema, the others only after it: all are reported in one run
    assert len(lines) == 1 and "unknown probe 'telepathy'" in lines[0]
    pack = write("pack.yaml", PACK_HEAD + "".join(rules[1:]))
    lines = error_lines(cli("rules", "validate", str(pack)))
    assert [ln.split(":")[2] for ln in lines] == ["11", "19"]
    assert "unknown operator 'equal'" in lines[0] and "not on website" in lines[1]


def test_more_than_twenty_problems_end_with_and_n_more(cli, write):
    body = "practice:\n  name: X\n" + "".join(f"typo{i}: 1\n" for i in range(25))
    path = write("p.yaml", body)
    lines = error_lines(cli("scan", "-p", str(path), "-q", "--no-history"))
    assert len(lines) == 21
    assert [int(ln.split(":")[2]) for ln in lines[:20]] == list(range(3, 23))
    assert lines[20] == f"error: {path}: and 5 more problems"


def test_unknown_rule_ids_in_waivers_and_settings_say_did_you_mean(cli, write):
    path = write("p.yaml", """
        practice:
          name: X
        rules:
          disable: [HTTP-HTST]
        waivers:
          - rule: HTTP-CPS
            reason: vendor site
            expires: 2030-01-01
        """)
    lines = error_lines(cli("scan", "-p", str(path), "-q", "--no-history"))
    assert lines == [
        f"error: {path}:4:13: unknown rule id 'HTTP-HTST' in rules.disable (did you mean HTTP-HSTS?)",
        f"error: {path}:6:11: waiver names unknown rule id 'HTTP-CPS' (did you mean HTTP-CSP?)",
    ]


def test_rules_show_suggests_the_closest_id(cli):
    run = cli("rules", "show", "HTTP-CPS")
    assert run.code == 2
    assert run.err.strip() == "error: unknown rule id 'HTTP-CPS' (did you mean HTTP-CSP? see `cyberaudit rules list`)"
