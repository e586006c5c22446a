"""End to end: `cyberaudit scan` on mail domains served by the loopback DNS and HTTPS servers."""

from __future__ import annotations

import json

EMAIL_RULES = {"MAIL-SPF-PRESENT", "MAIL-SPF-VALID", "MAIL-SPF-STRICT", "MAIL-SPF-SENDERS",
               "MAIL-DMARC-PRESENT", "MAIL-DMARC-ENFORCED", "MAIL-DMARC-REPORTING", "MAIL-DKIM",
               "MAIL-MTA-STS", "MAIL-TLS-RPT", "DNS-CAA", "DNS-DNSSEC"}
SMTP_RULES = {"MAIL-MX-STARTTLS", "MAIL-MX-TLS-VERSIONS", "MAIL-MX-TLS-CIPHERS", "MAIL-MX-TLS-OLD-VERSIONS", "MAIL-MX-CERT", "MAIL-MTA-STS-MX-MATCH", "MAIL-DANE",
              "MAIL-DANE-PUBLISHED"}


def test_scan_cli_reports_email_findings(cli, tmp_path, signed_dns_server, dns_server, policy_server, ca_file):
    profile = tmp_path / "cyberaudit.yaml"
    profile.write_text(
        "practice: {name: Lakeside Counseling}\n"
        "targets:\n"
        "  mail_domains:\n"
        "    - domain: good.test\n"
        "      dkim_selectors: [practice]\n"
        "      senders: [198.51.100.25]\n"
        "    - domain: nodmarc.test\n")
    out = tmp_path / "out.json"
    run = cli("scan", "-p", str(profile), "--nameserver", signed_dns_server.address,
              "--connect-to", f"mta-sts.good.test:443:127.0.0.1:{policy_server.port}",
              "--ca-bundle", str(ca_file[1]), "-o", str(out), "--quiet")
    assert run.code == 0, run.err
    result = json.loads(out.read_text())
    findings = {(f["target"], f["rule_id"]): f for f in result["findings"]}
    good = {rid: findings[("good.test", rid)]["status"] for rid in EMAIL_RULES}
    assert good == dict.fromkeys(EMAIL_RULES, "pass")
    bad = findings[("nodmarc.test", "MAIL-DMARC-PRESENT")]
    assert bad["status"] == "fail" and bad["severity"] == "high" and bad["category"] == "email"
    assert findings[("nodmarc.test", "MAIL-SPF-SENDERS")]["status"] == "not_applicable"
    target = next(t for t in result["targets"] if t["id"] == "good.test")
    assert target["facts"]["email"]["dmarc"]["policy"] == "reject"


def test_scan_of_an_unanswering_domain_reads_error(cli, tmp_path, dns_server):
    profile = tmp_path / "cyberaudit.yaml"
    profile.write_text("practice: {name: t}\ntargets:\n  mail_domains:\n    - domain: silent.test\n")
    out = tmp_path / "out.json"
    run = cli("scan", "-p", str(profile), "--nameserver", dns_server.address, "--dns-timeout", "0.5",
              "--dns-retries", "0", "-o", str(out), "--quiet", "--fail-on", "low")
    assert run.code == 1  # errors count as failures for the gate
    findings = [f for f in json.loads(out.read_text())["findings"] if f["target"] == "silent.test"]
    assert {f["rule_id"] for f in findings} == EMAIL_RULES | SMTP_RULES  # smtp needs the email probe
    assert {f["status"] for f in findings} == {"error"}


def test_facts_command_lists_the_email_facts(cli):
    run = cli("facts", "email", "--format", "json")
    assert run.code == 0
    paths = {f["path"] for f in json.loads(run.out)["email"]["facts"]}
    assert {"email.dmarc.policy", "email.spf.lookups", "email.mta_sts.policy.mode",
            "email.dkim.keys[].key_bits"} <= paths


def test_a_sender_that_is_not_an_ip_is_an_input_error(cli, tmp_path):
    profile = tmp_path / "cyberaudit.yaml"
    profile.write_text("practice: {name: t}\ntargets:\n  mail_domains:\n"
                       "    - domain: good.test\n      senders: [mail.ehr.example]\n")
    run = cli("scan", "-p", str(profile), "-o", str(tmp_path / "out.json"), "--quiet")
    assert run.code == 2
    assert f"{profile}:5" in run.err and "mail.ehr.example" in run.err
