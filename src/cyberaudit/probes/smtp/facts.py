"""Every fact the smtp probe publishes, documented for `cyberaudit facts` and pack validation."""

from __future__ import annotations

from cyberaudit.probes.base import FactSpec

_SERVER: list[tuple[str, str, str]] = [
    ("mx", "str", "The MX host name (what senders connect to and check the certificate against)."),
    ("preference", "int", "The MX preference."),
    ("address", "str?", "The IP address connected to (null when the name did not resolve)."),
    ("port", "int", "The TCP port connected to (25 unless --connect-to gives another)."),
    ("provider", "str?", "Who runs this MX, recognised from its name (Google Workspace, Microsoft 365 …)."),
    ("status", "str", "`tls` (STARTTLS completed), `no_starttls` (not offered) or `error`."),
    ("reason", "str?", "Why the dialogue stopped, when status is error."),
    ("banner", "str?", "The server's 220 greeting."),
    ("starttls_offered", "bool?", "EHLO listed STARTTLS (null: the dialogue did not get that far)."),
    ("tls_version", "str?", "The TLS version negotiated after STARTTLS (TLSv1.3, TLSv1.2 …)."),
    ("tls_suite", "str?", "The cipher suite negotiated after STARTTLS (OpenSSL name)."),
    ("forward_secrecy", "bool?", "The suite negotiated on the first connection (what a current sender "
                                 "gets) has forward secrecy (TLS 1.3, ECDHE or DHE)."),
    ("protocols", "object", "Each TLS version below, true when the server completes a STARTTLS handshake "
                            "at it (null: could not tell, see version_errors)."),
    ("protocols.tls1_0", "bool?", "TLS 1.0 is accepted after STARTTLS."),
    ("protocols.tls1_1", "bool?", "TLS 1.1 is accepted after STARTTLS."),
    ("protocols.tls1_2", "bool?", "TLS 1.2 is accepted after STARTTLS."),
    ("protocols.tls1_3", "bool?", "TLS 1.3 is accepted after STARTTLS."),
    ("legacy_accepted", "list", "The old versions (TLS 1.0, TLS 1.1) the server still accepts."),
    ("version_errors", "list", "Versions that could not be told, with the reason."),
    ("suites", "object", "The cipher suite the server picked at each accepted version (OpenSSL names), "
                         "offered every suite."),
    ("suites.*", "str", "The suite picked at that version (tls1_0 … tls1_3)."),
    ("cipher_classes", "list?", "The tls probe's classes (null, export, anon, rc4, des, cbc_sha1, "
                                "no_forward_secrecy) of those suites, together (null: a suite is unknown)."),
    ("weak_suites", "list", "Picked suites in a weak class (NULL, EXPORT, anon, RC4, DES/3DES), with the version."),
    ("cert", "object", "The leaf certificate's facts, as tls.cert (subject, sans, not_after, "
                       "days_remaining, expired, self_signed, key …); empty without TLS."),
    ("cert.**", "object", "See tls.cert.*."),
    ("trusted", "bool?", "The served chain verifies to a root in certifi's bundle plus --ca-bundle."),
    ("trust_error", "str?", "Why the chain is not trusted, in the verifier's words."),
    ("hostname_match", "bool?", "The certificate is valid for the MX host name."),
    ("expired", "bool?", "The leaf certificate's end of validity is past."),
    ("days_remaining", "int?", "Whole days until the leaf certificate expires."),
    ("dane", "str?", "`match`, `mismatch`, or null when the MX has no DNSSEC-signed TLSA records."),
    ("commands", "int", "SMTP commands sent (EHLO, STARTTLS, QUIT on each connection; never MAIL FROM)."),
    ("handshakes", "int", "TLS handshakes made: 1 on the first connection, 1 per older version asked (0 to 4)."),
    ("connections", "int", "TCP connections opened: the first, then 1 per older TLS version (1 to 4)."),
    ("elapsed_ms", "int", "Time spent on this server."),
]


def _rows(prefix: str, rows: list[tuple[str, str, str]]) -> list[FactSpec]:
    return [FactSpec(f"{prefix}.{path}", kind, text) for path, kind, text in rows]


FACTS: tuple[FactSpec, ...] = (
    FactSpec("smtp.domain", "str", "The mail domain whose MX hosts were checked."),
    FactSpec("smtp.null_mx", "bool", "The domain publishes a null MX (\"0 .\", RFC 7505): it receives no mail."),
    FactSpec("smtp.implicit_mx", "bool", "The domain has no MX record, so mail goes to the domain's own "
             "address (RFC 5321 §5.1) and that host was checked."),
    FactSpec("smtp.mx", "list", "MX host names checked, in preference order (at most 4)."),
    FactSpec("smtp.providers", "list", "Who runs the MX hosts, recognised from their names."),
    FactSpec("smtp.servers", "list", "One entry per address of every MX checked (at most 4 MX × 2 addresses)."),
    *_rows("smtp.servers[]", _SERVER),
    FactSpec("smtp.tls_servers", "list", "The servers of smtp.servers that completed STARTTLS (same fields)."),
    *_rows("smtp.tls_servers[]", _SERVER),
    FactSpec("smtp.starttls.ok", "bool", "Every MX address offered STARTTLS and completed the TLS handshake."),
    FactSpec("smtp.starttls.missing", "list", "MX addresses (`host (address)`) that do not offer STARTTLS."),
    FactSpec("smtp.tls_versions.ok", "bool", "Every server that completed STARTTLS negotiated TLS 1.2 or newer."),
    FactSpec("smtp.tls_versions.legacy", "list", "Servers that negotiated TLS 1.1 or older, with the version."),
    FactSpec("smtp.tls_versions.old_accepted", "list", "Servers that still accept TLS 1.0 or 1.1 (beside a "
             "newer version or not), with those versions."),
    FactSpec("smtp.tls_versions.unknown", "list", "TLS versions of a server that could not be told, with why."),
    FactSpec("smtp.ciphers.ok", "bool", "On every server that completed STARTTLS, the suite a current sender "
             "gets has forward secrecy, and no suite picked at any version is NULL, EXPORT, anon, RC4 or DES."),
    FactSpec("smtp.ciphers.weak", "list", "Weak suites picked, per server and version."),
    FactSpec("smtp.ciphers.without_forward_secrecy", "list", "Servers whose first-connection suite lacks "
             "forward secrecy, with the suite."),
    FactSpec("smtp.mta_sts.mode", "str?", "The MTA-STS policy mode read by the email probe (null: no valid policy)."),
    FactSpec("smtp.mta_sts.enforced", "bool", "A valid MTA-STS policy in mode enforce applies to the domain."),
    FactSpec("smtp.mta_sts.patterns", "list", "The policy's mx: patterns."),
    FactSpec("smtp.mta_sts.ok", "bool", "Every MX matches an mx: pattern and each of its addresses served "
             "a trusted, unexpired certificate valid for the MX name over STARTTLS."),
    FactSpec("smtp.mta_sts.problems", "list", "Why mail would bounce under the policy, per MX."),
    FactSpec("smtp.dane.present", "bool", "Some MX has DNSSEC-authenticated TLSA records at _25._tcp.<mx> "
             "with a usage senders apply (2 or 3), under an authenticated MX answer."),
    FactSpec("smtp.dane.ok", "bool", "Every address of every MX with such TLSA records served a chain "
             "that one of them matches."),
    FactSpec("smtp.dane.records", "list", "Usable TLSA records found, as `mx: usage selector type data`."),
    FactSpec("smtp.dane.problems", "list", "TLSA sets that match nothing, and TLSA records ignored "
             "(unsigned answers, unusable usages), per MX."),
    FactSpec("smtp.handshakes", "int", "TLS handshakes made in all (see smtp.servers[].handshakes)."),
    FactSpec("smtp.connections", "int", "TCP connections opened in all."),
    FactSpec("smtp.commands", "int", "SMTP commands sent in all."),
)
