"""Realistic Result documents for the renderer tests, built through the real scoring code."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from cyberaudit.compact import frozen
from cyberaudit.packed import PackedFindings
from cyberaudit.result import (
    SCHEMA_VERSION,
    Finding,
    PackInfo,
    ProbeRun,
    ProfileInfo,
    Result,
    RuleInfo,
    TargetResult,
    WaiverInfo,
)
from cyberaudit.scoring import score_result

SITE = "https://lakeside.example/"
SITE2 = "https://intake.lakeside.example/"
PORTAL = "portal.lakeside.example:443"
SITE_EP = "lakeside.example:443"
MAIL = "lakeside.example"
ZOOM = "Zoom for Healthcare"
DRIVE = "Shared Drive"

RULES: dict[str, tuple[str, str, str, str, str, str]] = {
    # id: (title, category, severity, scope, probe, effort)
    "TLS-PROTOCOL-LEGACY": ("TLS 1.0 and 1.1 are disabled", "tls", "high", "endpoint", "tls", "low"),
    "TLS-CERT-EXPIRY-WINDOW": ("The certificate has at least 30 days left", "tls", "medium", "endpoint", "tls", "low"),
    "TLS-CERT-TRUSTED": ("The certificate chain is trusted", "tls", "critical", "endpoint", "tls", "medium"),
    "TLS-PROTOCOL-TLS13": ("TLS 1.3 is offered", "tls", "low", "endpoint", "tls", "medium"),
    "HTTP-HSTS": ("Browsers are told to always use HTTPS (HSTS)", "http", "medium", "website", "http", "low"),
    "HTTP-CSP": ("A Content Security Policy limits what pages may load", "http", "medium", "website", "http", "high"),
    "HTTP-COOKIE-SECURE": ("Cookies are only sent over HTTPS", "http", "medium", "website", "http", "low"),
    "HTTP-SECURITY-TXT": ("A security.txt file tells researchers whom to contact", "http", "info", "website",
                          "http", "low"),
    "PRIV-TRACKERS-ON-FORMS": ("No third-party trackers on pages with forms", "privacy", "critical", "website",
                               "privacy", "medium"),
    "PRIV-PRIVACY-POLICY": ("A privacy policy is linked", "privacy", "low", "website", "privacy", "low"),
    "MAIL-DMARC-ENFORCED": ("DMARC tells receivers to reject forged mail", "email", "high", "mail_domain", "dns",
                            "medium"),
    "MAIL-SPF-STRICT": ("SPF ends in -all or ~all", "email", "medium", "mail_domain", "dns", "low"),
    "DNS-DNSSEC": ("The domain is signed with DNSSEC", "email", "low", "mail_domain", "dns", "high"),
    "ENC-PLATFORM-BAA": ("Every platform with client data has a signed BAA", "encryption", "critical", "platform",
                         "declared", "medium"),
    "ENC-VIDEO-E2EE": ("Video sessions are end-to-end encrypted", "encryption", "medium", "platform", "declared",
                       "medium"),
    "MFA-USER-COVERAGE": ("Every active user has MFA", "mfa", "high", "practice", "mfa_export", "medium"),
    "RET-STALE-FILES": ("No file is kept longer than the policy allows", "retention", "medium", "practice",
                        "files", "low"),
}


def rule_info(rule_id: str) -> RuleInfo:
    title, cat, sev, scope, probe, effort = RULES[rule_id]
    return RuleInfo(id=rule_id, title=title, summary=f"Checks that {title[0].lower()}{title[1:]}.", category=cat,
                    severity=sev, scope=scope, probe=probe,
                    rationale=f"Why {rule_id} matters to a practice, in plain words.",
                    remediation=f"How to fix {rule_id}: ask your provider, then the technical detail.",
                    references=("HIPAA 45 CFR 164.312(e)(1)", "NIST SP 800-52r2"), effort=effort,
                    pack=rule_id.split("-")[0].lower())


def f(rule_id: str, target: str, kind: str, status: str, message: str, *, evidence: dict[str, Any] | None = None,
      details: tuple[str, ...] = (), waiver: WaiverInfo | None = None) -> Finding:
    info = rule_info(rule_id)
    return Finding(rule_id=rule_id, target=target, target_kind=kind, status=status, severity=info.severity,
                   category=info.category, title=info.title, message=message, details=details,
                   evidence=evidence or {}, remediation=info.remediation, references=info.references,
                   effort=info.effort, pack=info.pack, waiver=waiver)


def base_findings() -> list[Finding]:
    return [
        f("TLS-PROTOCOL-LEGACY", PORTAL, "endpoint", "fail", "The server still accepts TLS 1.0.",
          evidence={"tls.protocols": {"tls1_0": True, "tls1_1": False, "tls1_2": True}},
          details=("tls.protocols.tls1_0 is true (expected false)",)),
        f("TLS-CERT-EXPIRY-WINDOW", PORTAL, "endpoint", "fail", "The certificate expires in 9 days.",
          evidence={"tls.cert.days_left": 9}),
        f("TLS-CERT-TRUSTED", PORTAL, "endpoint", "pass", "The chain verifies to a trusted root."),
        f("TLS-PROTOCOL-TLS13", PORTAL, "endpoint", "error", "The TLS check timed out after 5 s.",
          details=("tls: timeout after 5s",)),
        f("TLS-PROTOCOL-LEGACY", SITE_EP, "endpoint", "pass", "Only modern TLS versions are accepted."),
        f("TLS-CERT-TRUSTED", SITE_EP, "endpoint", "pass", "The chain verifies to a trusted root."),
        f("TLS-CERT-EXPIRY-WINDOW", SITE_EP, "endpoint", "pass", "The certificate has 80 days left."),
        f("TLS-PROTOCOL-TLS13", SITE_EP, "endpoint", "pass", "TLS 1.3 is offered."),
        f("HTTP-HSTS", SITE, "website", "fail", "No Strict-Transport-Security header was sent.",
          evidence={"http.headers.strict-transport-security": None}),
        f("HTTP-CSP", SITE, "website", "waived", "No Content-Security-Policy header was sent.",
          waiver=WaiverInfo("CSP rollout scheduled with the web agency", "2026-12-10", False, SITE, "fail")),
        f("HTTP-COOKIE-SECURE", SITE, "website", "fail", "Cookie sessionid is sent without Secure.",
          evidence={"http.cookies": [{"name": "sessionid", "secure": False}, {"name": "csrftoken", "secure": True}]}),
        f("HTTP-SECURITY-TXT", SITE, "website", "fail", "No /.well-known/security.txt was found."),
        f("PRIV-TRACKERS-ON-FORMS", SITE, "website", "fail",
          "The intake form page loads Meta Pixel and Google Analytics.",
          evidence={"privacy.form_pages": ["https://lakeside.example/intake"],
                    "privacy.trackers": ["connect.facebook.net (Meta Pixel)", "www.google-analytics.com"]}),
        f("PRIV-PRIVACY-POLICY", SITE, "website", "pass", "A privacy policy link is present."),
        f("HTTP-HSTS", SITE2, "website", "pass", "HSTS max-age is 31536000."),
        f("HTTP-CSP", SITE2, "website", "waived", "No Content-Security-Policy header was sent.",
          waiver=WaiverInfo("Legacy intake vendor", "2027-06-30", False, "https://intake.*", "fail")),
        f("HTTP-COOKIE-SECURE", SITE2, "website", "not_applicable", "The site sets no cookies."),
        f("HTTP-SECURITY-TXT", SITE2, "website", "error", "The page could not be fetched: connection refused."),
        f("PRIV-TRACKERS-ON-FORMS", SITE2, "website", "error", "The page could not be fetched: connection refused."),
        f("PRIV-PRIVACY-POLICY", SITE2, "website", "error", "The page could not be fetched: connection refused."),
        f("MAIL-DMARC-ENFORCED", MAIL, "mail_domain", "fail", "DMARC policy is p=none.",
          evidence={"email.dmarc.policy": "none", "email.dmarc.record": "v=DMARC1; p=none; rua=mailto:it@lakeside.example"}),
        f("MAIL-SPF-STRICT", MAIL, "mail_domain", "pass", "SPF ends in ~all."),
        f("DNS-DNSSEC", MAIL, "mail_domain", "fail", "The zone is not signed.",
          waiver=WaiverInfo("Registrar cannot sign", "2026-10-01", True, MAIL, "fail")),
        f("ENC-PLATFORM-BAA", ZOOM, "platform", "pass", "A BAA is declared as signed."),
        f("ENC-VIDEO-E2EE", ZOOM, "platform", "pass", "End-to-end encryption is declared."),
        f("ENC-PLATFORM-BAA", DRIVE, "platform", "fail", "Shared Drive holds client data without a signed BAA."),
        f("ENC-VIDEO-E2EE", DRIVE, "platform", "not_applicable", "Not a video platform."),
        f("MFA-USER-COVERAGE", "practice", "practice", "fail", "2 of 5 active users have no MFA.",
          evidence={"mfa.unenrolled": ["jane.doe@lakeside.example", "Bob.Smith@Lakeside.example"],
                    "mfa.source_file": "/home/jane/clients/lakeside/exports/google-users.csv"}),
        f("RET-STALE-FILES", "practice", "practice", "fail",
          "3 recordings are older than 30 days, e.g. /home/jane/Therapy/Recordings/2026-01-12 client A.mp4.",
          evidence={"retention.stale_files": ["/home/jane/Therapy/Recordings/2026-01-12 client A.mp4",
                                              "~/Therapy/Recordings/2026-02-02 intake.m4a"],
                    "retention.paths": [{"path": "/home/jane/Therapy/Recordings", "max_age_days": 30}]}),
    ]


def targets() -> tuple[TargetResult, ...]:
    ok = (ProbeRun("tls", "ok", 120),)
    return (
        TargetResult(SITE, "website", 6, {"http": {"status": 200, "cookies": [
            {"name": "sessionid", "secure": False}, {"name": "csrftoken", "secure": True}],
            "headers": {"server": "nginx"}}, "privacy": {"trackers": ["www.google-analytics.com"]}}, {},
            (ProbeRun("http", "ok", 210), ProbeRun("privacy", "ok", 40))),
        TargetResult(SITE2, "website", 9, {}, {"http": "connection refused"},
                     (ProbeRun("http", "error", 15, "connection refused"),)),
        TargetResult(PORTAL, "endpoint", 12, {"tls": {"protocols": {"tls1_0": True}}}, {"tls.protocols.tls1_3": "timeout"},
                     (ProbeRun("tls", "timeout", 5000, "timeout after 5s"),)),
        TargetResult(SITE_EP, "endpoint", 6, {"tls": {"protocols": {"tls1_0": False}}}, {}, ok),
        TargetResult(MAIL, "mail_domain", 15, {"email": {"dmarc": {"policy": "none"}}}, {},
                     (ProbeRun("dns", "ok", 30),)),
        TargetResult(ZOOM, "platform", 20, {"declared": {"baa_signed": True}}, {}, (ProbeRun("declared", "ok", 0),)),
        TargetResult(DRIVE, "platform", 27, {"declared": {"baa_signed": False}}, {}, (ProbeRun("declared", "ok", 0),)),
        TargetResult("practice", "practice", 2, {"mfa_export": {"users": [
            {"email": "jane.doe@lakeside.example", "enrolled": False}]},
            "files": {"stale": [{"path": "/home/jane/Therapy/Recordings/2026-01-12 client A.mp4", "age_days": 90}]}},
            {}, (ProbeRun("mfa_export", "ok", 3), ProbeRun("files", "ok", 8))),
    )


def make_result(findings: list[Finding] | None = None, *, generated_at: str = "2026-11-26T06:00:00+00:00",
                target_results: tuple[TargetResult, ...] | None = None) -> Result:
    findings = base_findings() if findings is None else findings
    rule_ids = sorted({x.rule_id for x in findings})
    packs = sorted({rule_info(r).pack for r in rule_ids})
    return Result(
        schema_version=SCHEMA_VERSION,
        tool={"name": "cyberaudit", "version": "0.1.0"},
        generated_at=generated_at,
        profile=ProfileInfo("/home/jane/clients/lakeside/cyberaudit.yaml", "sha256:" + "ab" * 32,
                            "Lakeside Counseling", "US"),
        packs=tuple(PackInfo(p, "1.0.0", "sha256:" + "cd" * 32, f"/opt/cyberaudit/rules/{p}.yaml", True,
                             sum(1 for r in rule_ids if rule_info(r).pack == p)) for p in packs),
        rules={r: rule_info(r) for r in rule_ids},
        targets=target_results if target_results is not None else targets(),
        findings=tuple(findings),
        scores=score_result(findings),
        timings={"total_ms": 5400},
        options={"fail_under": None},
    )


def sample_result() -> Result:
    return make_result()


def later_result() -> Result:
    """The next quarter's scan: HSTS fixed, DMARC still failing, a new CSP failure, TLS 1.0 still on."""
    out = []
    for x in base_findings():
        if (x.rule_id, x.target) == ("HTTP-HSTS", SITE):
            x = replace(x, status="pass", message="HSTS max-age is 31536000.", evidence={})
        elif (x.rule_id, x.target) == ("HTTP-CSP", SITE2):
            x = replace(x, status="fail", waiver=None)
        elif (x.rule_id, x.target) == ("TLS-PROTOCOL-TLS13", PORTAL):
            x = replace(x, status="pass", message="TLS 1.3 is offered.")
        elif (x.rule_id, x.target) == ("MFA-USER-COVERAGE", "practice"):
            x = replace(x, status="pass", message="Every active user has MFA.", evidence={})
        out.append(x)
    return make_result(out, generated_at="2026-11-30T06:00:00+00:00")


PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def hostile_result() -> Result:
    """Strings a hostile site could plant: page title, header value, cookie name, target id, message."""
    target = f"https://evil.example/{PAYLOAD}"
    findings = [
        f("HTTP-COOKIE-SECURE", target, "website", "fail", f"Cookie {PAYLOAD} is sent without Secure.",
          evidence={"http.cookies": [{"name": PAYLOAD, "secure": False}],
                    "http.headers.server": f"nginx {PAYLOAD}\x01\x08",
                    "http.title": f"</title>{PAYLOAD}"},
          details=(f"javascript:alert(1) [x](javascript:alert(1)) {PAYLOAD}",)),
        f("HTTP-HSTS", target, "website", "error", f"=cmd|'/C calc'!A0 {PAYLOAD}"),
        f("HTTP-CSP", target, "website", "waived", "No CSP.",
          waiver=WaiverInfo(f"reason {PAYLOAD}", "2027-01-31", False, "*", "fail")),
    ]
    tr = (TargetResult(target, "website", 3, {"http": {"title": PAYLOAD}}, {}, (ProbeRun("http", "ok", 5),)),)
    return make_result(findings, target_results=tr)


def compacted(result: Result) -> Result:
    """`result` with its targets' facts and its findings held the way a scan holds them."""
    return replace(result, targets=tuple(replace(t, facts=frozen(t.facts)) for t in result.targets),
                   findings=PackedFindings(result.findings))
