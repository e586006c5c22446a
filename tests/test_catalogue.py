"""The built-in catalogue: every contract id exists, in its pack, with the scope the design gives."""

from __future__ import annotations

import pytest

from cyberaudit.packs import load_rule_set

CATALOGUE = {
    ("tls", "endpoint"): ["TLS-CERT-TRUSTED", "TLS-CERT-HOSTNAME", "TLS-CERT-NOT-EXPIRED",
                          "TLS-CERT-EXPIRY-WINDOW", "TLS-CERT-KEY-STRENGTH", "TLS-CERT-SIGNATURE",
                          "TLS-PROTOCOL-LEGACY", "TLS-PROTOCOL-TLS13", "TLS-CIPHER-WEAK", "TLS-FORWARD-SECRECY"],
    ("http", "website"): ["HTTP-HTTPS-REDIRECT", "HTTP-HSTS", "HTTP-CSP", "HTTP-CONTENT-TYPE-OPTIONS",
                          "HTTP-FRAME-OPTIONS", "HTTP-REFERRER-POLICY", "HTTP-COOKIE-SECURE",
                          "HTTP-COOKIE-HTTPONLY", "HTTP-COOKIE-SAMESITE", "HTTP-MIXED-CONTENT",
                          "HTTP-FORM-INSECURE-ACTION", "HTTP-SECURITY-TXT", "HTTP-HTTPS-AVAILABLE"],
    ("privacy", "website"): ["PRIV-TRACKERS", "PRIV-TRACKERS-ON-FORMS", "PRIV-SESSION-REPLAY", "PRIV-AD-PIXELS",
                             "PRIV-FORM-THIRD-PARTY", "PRIV-PRIVACY-POLICY"],
    ("email", "mail_domain"): ["MAIL-SPF-PRESENT", "MAIL-SPF-VALID", "MAIL-SPF-STRICT", "MAIL-DMARC-PRESENT",
                               "MAIL-DMARC-ENFORCED", "MAIL-DMARC-REPORTING", "MAIL-DKIM", "MAIL-MTA-STS",
                               "MAIL-TLS-RPT", "DNS-CAA", "DNS-DNSSEC", "MAIL-MX-STARTTLS", "MAIL-MX-CERT"],
    ("mfa", None): ["MFA-PLATFORMS", "MFA-USER-COVERAGE", "MFA-ADMINS"],
    ("retention", None): ["RET-POLICY-DEFINED", "RET-POLICY-MINIMUM", "RET-STALE-FILES", "RET-RECORDINGS",
                          "RET-BACKUPS-ENCRYPTED", "RET-BACKUPS-TESTED"],
    ("encryption", None): ["ENC-PLATFORM-BAA", "ENC-VIDEO-E2EE", "ENC-AT-REST", "ENC-DISK"],
}
CASES = [(pack, scope, rid) for (pack, scope), ids in CATALOGUE.items() for rid in ids]


@pytest.fixture(scope="module")
def rules():
    return load_rule_set()


@pytest.mark.parametrize("pack, scope, rule_id", CASES, ids=[c[2] for c in CASES])
def test_contract_id_exists(rules, pack, scope, rule_id):
    rule = rules.rules.get(rule_id)
    assert rule is not None, f"{rule_id} is missing from the built-in packs"
    assert rule.pack == pack
    if scope is not None:
        assert rule.model.scope == scope
    m = rule.model
    assert m.rationale.strip() and m.remediation.strip() and m.references


def test_severities_the_design_fixes(rules):
    assert rules.rules["TLS-PROTOCOL-LEGACY"].model.severity == "high"
    assert rules.rules["PRIV-TRACKERS-ON-FORMS"].model.severity == "critical"
    assert rules.rules["HTTP-HTTPS-AVAILABLE"].model.severity == "critical"


def test_every_builtin_rule_reads_an_installed_probe(rules):
    from cyberaudit.probes import available_probes

    probes = available_probes()
    assert {r.model.probe for r in rules.rules.values()} <= set(probes)


def test_every_builtin_pack_passes_the_checks_a_user_pack_gets():
    # a run skips these for the shipped packs (to import no probe for `rules list`): this keeps
    # them true, fact paths, parameters and scopes against the installed probes included
    from cyberaudit.packs import load_pack, pack_files
    from cyberaudit.resources import builtin_rules_dir

    for path in pack_files(builtin_rules_dir()):
        assert load_pack(path, builtin=False, check_facts=True).rules
