"""Bad input: one line naming file, line and problem; exit code 2; never a traceback."""

from __future__ import annotations

import pytest

MINIMAL = """
practice:
  name: Test Practice
"""

PACK_HEAD = """
pack: custom
version: 1.0.0
title: Custom rules
rules:
"""

RULE = """
  - id: CUSTOM-BAA
    title: A BAA is signed
    category: encryption
    severity: high
    scope: platform
    probe: declared
    check: {fact: declared.baa_signed, equals: true}
    rationale: Why.
    remediation: What.
    references: [HIPAA 45 CFR 164.308(b)]
"""


def assert_one_line_error(run, path, line, fragment):
    assert run.code == 2, run
    assert "Traceback" not in run.err + run.out
    lines = [ln for ln in run.err.strip().splitlines() if ln.strip()]
    assert len(lines) == 1, run.err
    prefix = f"{path}:{line}" if line is not None else str(path)
    assert prefix in lines[0], lines[0]
    assert fragment in lines[0], lines[0]


def test_missing_profile(cli, tmp_path):
    path = tmp_path / "nope.yaml"
    assert_one_line_error(cli("scan", "-p", str(path), "-q"), path, None, "file not found")


def test_yaml_syntax_error(cli, write):
    path = write("p.yaml", "practice:\n  name: [unclosed\nwaivers: []\n")
    assert_one_line_error(cli("scan", "-p", str(path), "-q"), path, 3, "YAML syntax error")


@pytest.mark.parametrize("body, line, fragment", [
    ("practice:\n  name: X\ntargets:\n  endpoints:\n    - host: a.example\n      port: eighty\n", 6,
     "targets.endpoints[0].port"),
    ("practice:\n  name: X\n  jurisdicton: US\n", 3, "unknown key 'jurisdicton'"),
    ("practice:\n  name: X\nplatforms:\n  - name: Zoom\n    kind: telepathy\n", 5, "platforms[0].kind"),
    ("practice:\n  name: X\ncontrols:\n  backups:\n    last_restore_test: 2026-02-30\n", 5, "invalid value"),
    ("practice:\n  name: X\nwaivers:\n  - rule: HTTP-CSP\n    reason: later\n", 4, "expires: required"),
    ("practice:\n  name: X\nwaivers:\n  - rule: NOT-A-RULE\n    reason: r\n    expires: 2027-01-01\n", 4,
     "unknown rule id 'NOT-A-RULE'"),
    ("practice:\n  name: X\nrules:\n  disable: [NOPE-RULE]\n", 4, "unknown rule id 'NOPE-RULE'"),
    ("practice:\n  name: X\n  name: Y\n", 3, "duplicate key 'name'"),
    ("targets: {}\n", 1, "practice: required key is missing"),
    ("practice:\n  name: X\ntargets:\n  websites:\n    - url: ftp://x.example/\n", 5, "expected a https"),
    ("practice:\n  name: X\nextra: !!python/object:os.system {}\n", 3, "unsupported YAML tag"),
    ("practice:\n  name: X\ntargets:\n  endpoints:\n    - host: portal.example\n      address: not-an-ip\n", 6,
     "address must be an IP address"),
    ("practice:\n  name: X\ntargets:\n  endpoints:\n    - host: https://portal.example/\n", 5,
     "expected a host name"),
    ("practice:\n  name: X\ntargets:\n  mail_domains:\n    - domain: mailto:x@y.example\n", 5,
     "expected a domain name"),
    ("practice:\n  name: X\ndns:\n  nameservers: [abc]\n", 4, "a nameserver is an IP address"),
    ("practice:\n  name: X\nplatforms:\n  - name: practice\n    kind: ehr\n", 4, "same name as a practice"),
])
def test_profile_mistakes(cli, write, body, line, fragment):
    path = write("p.yaml", body)
    assert_one_line_error(cli("scan", "-p", str(path), "-q"), path, line, fragment)


@pytest.mark.parametrize("rule, line, fragment", [
    (RULE.replace("severity: high", "severity: severe"), 9, "severity"),
    (RULE.replace("probe: declared", "probe: telepathy"), 11, "unknown probe 'telepathy'"),
    (RULE.replace("equals: true}", "equal: true}"), 12, "unknown operator 'equal'"),
    (RULE.replace("declared.baa_signed", "tls.baa_signed"), 12, "but its probe is 'declared'"),
    (RULE.replace("    rationale: Why.\n", "    rationale: Why.\n    colour: red\n"), 14, "unknown key 'colour'"),
    (RULE.replace("equals: true}", "gte: {param: days}}"), 12, "parameter 'days'"),
    (RULE.replace("id: CUSTOM-BAA", "id: custom_baa"), 6, "SCREAMING-KEBAB"),
])
def test_pack_mistakes(cli, write, rule, line, fragment):
    pack = write("pack.yaml", PACK_HEAD + rule)
    profile = write("p.yaml", MINIMAL)
    run = cli("scan", "-p", str(profile), "--pack", str(pack), "-q")
    assert_one_line_error(run, pack, line, fragment)
    assert_one_line_error(cli("rules", "validate", str(pack)), pack, line, fragment)


def test_duplicate_rule_ids_across_packs(cli, write):
    a = write("a.yaml", PACK_HEAD + RULE)
    b = write("b.yaml", PACK_HEAD.replace("custom", "other") + RULE)
    run = cli("rules", "validate", str(a), str(b))
    assert_one_line_error(run, b, 6, "already defined at")


def test_unknown_fact_of_an_available_probe(cli, write):
    from cyberaudit.probes import get_probe

    if get_probe("declared") is None:
        pytest.skip("the declared probe is not part of this tree")
    pack = write("pack.yaml", PACK_HEAD + RULE.replace("declared.baa_signed", "declared.baa_sgined"))
    assert_one_line_error(cli("rules", "validate", str(pack)), pack, 12,
                          "does not publish fact 'declared.baa_sgined'")


@pytest.mark.parametrize("args, fragment", [
    (["--resolve", "www.example:443"], "--resolve expects HOST:PORT:ADDRESS"),
    (["--connect-to", "www.example:443:127.0.0.1:x"], "invalid port"),
    (["--nameserver", "dns.example"], "a nameserver is an IP address"),
    (["--nameserver", "127.0.0.1:99999"], "port must be a number from 1 to 65535"),
    (["--resolve", "www.example:443:127.0.0.1:8443"], "--resolve expects HOST:PORT:ADDRESS"),
    (["--resolve", "www.example:443:localhost"], "is not an IP address"),
    (["-o", "report.docx"], "cannot tell the report format"),
    (["--fail-on", "severe"], "'severe' is not one of"),
])
def test_bad_arguments(cli, write, args, fragment):
    profile = write("p.yaml", MINIMAL)
    run = cli("scan", "-p", str(profile), "-q", *args)
    assert run.code == 2
    assert "Traceback" not in run.err
    assert fragment in run.err


def test_broken_result_file(cli, write):
    path = write("r.json", '{"schema_version": "1.0",\n "tool": }')
    assert_one_line_error(cli("report", str(path), "-o", str(path.with_suffix(".out.json"))), path, 2,
                          "not valid JSON")


def test_an_internal_error_writes_a_crash_log_and_exits_3(cli, write, tmp_path, monkeypatch):
    # An exception nobody expected (here a patched failure) is exactly the kind of bug the crash
    # log is for; bad input files never get this far (tests/cli/test_hostile_files.py).
    import cyberaudit.cli.main as cli_module

    def explode(*a, **k):
        raise RuntimeError("boom")

    monkeypatch.setenv("CYBERAUDIT_CRASH_DIR", str(tmp_path))
    monkeypatch.setattr(cli_module, "_crash_log", cli_module._crash_log)  # keep the real writer
    monkeypatch.setattr("cyberaudit.cli.init.example_profile", explode)
    run = cli("init", str(tmp_path / "new.yaml"))
    assert run.code == 3
    assert "internal error: RuntimeError: boom" in run.err
    logs = list(tmp_path.glob("cyberaudit-crash-*.log"))
    assert len(logs) == 1
    text = logs[0].read_text()
    assert "Traceback" in text and "boom" in text and "cyberaudit 0." in text


def test_rule_scope_must_be_one_the_probe_runs_on(cli, write):
    pack = write("pack.yaml", PACK_HEAD + RULE.replace("scope: platform", "scope: website"))
    run = cli("rules", "validate", str(pack))
    assert_one_line_error(run, pack, 10, "the declared probe runs on platform, practice, not on website")


def test_element_itself_of_a_list_fact_can_be_checked(cli, write):
    rule = RULE.replace("check: {fact: declared.baa_signed, equals: true}",
                        "check: {fact: declared.domains, every: {fact: \".\", matches: \"\\\\.example$\"}}")
    pack = write("pack.yaml", PACK_HEAD + rule)
    run = cli("rules", "validate", str(pack))
    assert run.code == 0, run.err


@pytest.mark.parametrize("body", [
    "practice: &a\n  name: X\nother: *a\n",
    "practice:\n  name: X\nloop: &l [*l]\n",
    "practice: {name: X}\nplatforms:\n  - &p {name: A, kind: video}\n  - <<: *p\n    name: B\n",
    "practice: {name: X}\n" + "".join(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]\n"
                                      for i in range(1, 12)).replace("*l0", "lol"),
])
def test_yaml_aliases_are_refused_quickly(cli, write, body):
    path = write("p.yaml", body)
    run = cli("scan", "-p", str(path), "-q")
    assert run.code == 2 and "aliases" in run.err and "Traceback" not in run.err


def test_accepting_and_rejecting_consent_at_once_is_refused(cli, write):
    path = write("cyberaudit.yaml", MINIMAL)
    run = cli("scan", "-p", str(path), "-q", "--browser", "--accept-consent", "--reject-consent")
    assert run.code == 2 and "Traceback" not in run.err + run.out
    assert "--accept-consent and --reject-consent cannot be used together" in run.err
    assert len(run.err.strip().splitlines()) == 1
