"""parse_spf() and macro expansion: the grammar of RFC 7208 §4.6, §5, §6, §7 and §12."""

from __future__ import annotations

import ipaddress

import pytest

from cyberaudit.spf import SpfSyntaxError, is_spf_record, parse_spf
from cyberaudit.spf.macros import MacroValues, check_domain_spec, expand, parse_macro_string
from cyberaudit.spf.names import dotted_ip


def test_terms_kinds_qualifiers_and_targets():
    r = parse_spf("v=spf1 +a -mx:mail.example.org/24//64 ~ip4:192.0.2.0/24 ?ip6:2001:DB8::/32 "
                  "include:_spf.example.net exists:%{i}.bl.example.org ptr redirect=_spf.example.org "
                  "exp=why.example.org x-custom=anything -all")
    kinds = [(t.kind, t.qualifier) for t in r.terms]
    assert kinds == [("a", "+"), ("mx", "-"), ("ip4", "~"), ("ip6", "?"), ("include", "+"),
                     ("exists", "+"), ("ptr", "+"), ("redirect", ""), ("exp", ""), ("modifier", ""),
                     ("all", "-")]
    mx = r.terms[1]
    assert (mx.domain_spec, mx.cidr4, mx.cidr6) == ("mail.example.org", 24, 64)
    assert r.terms[3].network == "2001:db8::/32"
    assert r.redirect.domain_spec == "_spf.example.org" and r.exp.domain_spec == "why.example.org"
    assert not r.redirect_applies  # an `all` is present
    assert [t.lookup_cost for t in r.terms] == [1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 0]
    assert r.terms[9].to_dict() == {"text": "x-custom=anything", "kind": "modifier", "name": "x-custom",
                                    "value": "anything"}


@pytest.mark.parametrize("text", ["v=spf1", "V=SPF1 -all", "v=spf1  ip4:192.0.2.1   -all"])
def test_valid_version_and_spacing(text):
    assert is_spf_record(text)
    parse_spf(text)


@pytest.mark.parametrize("text", ["v=spf10", "v=spf1-all", "spf1 -all", "v=spf2.0/pra -all", ""])
def test_not_spf_records(text):
    assert not is_spf_record(text)
    with pytest.raises(SpfSyntaxError):
        parse_spf(text)


@pytest.mark.parametrize(("record", "term"), [
    ("v=spf1 ip4:192.0.2.1 -all moo", "moo"),
    ("v=spf1 a/33 -all", "a/33"),
    ("v=spf1 a//129", "a//129"),
    ("v=spf1 ip4:192.0.2.0/024", "ip4:192.0.2.0/024"),
    ("v=spf1 ip4:192.0.2", "ip4:192.0.2"),
    ("v=spf1 ip4:192.0.2.1:25", "ip4:192.0.2.1:25"),
    ("v=spf1 ip6::CAFE::BABE", "ip6::CAFE::BABE"),
    ("v=spf1 include", "include"),
    ("v=spf1 include:", "include:"),
    ("v=spf1 a:example.123", "a:example.123"),
    ("v=spf1 a:museum", "a:museum"),
    ("v=spf1 -all.", "-all."),
    ("v=spf1 ptr/24", "ptr/24"),
    ("v=spf1 exists:%(i).bl.example.org", "exists:%(i).bl.example.org"),
    ("v=spf1 a:%{x}.example.org", "a:%{x}.example.org"),
    ("v=spf1 exp=%{r}.example.org -all", "exp=%{r}.example.org"),
    ("v=spf1 redirect:example.org", "redirect:example.org"),
    ("v=spf1 1up=foo", "1up=foo"),
    ("v=spf1 exp= -all", "exp="),
])
def test_syntax_errors_name_the_term(record, term):
    with pytest.raises(SpfSyntaxError) as err:
        parse_spf(record)
    assert err.value.term == term
    assert repr(term) in str(err.value)


def test_duplicate_redirect_or_exp():
    for record in ("v=spf1 redirect=a.example redirect=b.example", "v=spf1 exp=a.example exp=b.example -all"):
        with pytest.raises(SpfSyntaxError, match="more than once"):
            parse_spf(record)


def test_non_ascii_and_control_characters():
    with pytest.raises(SpfSyntaxError, match="non-ASCII"):
        parse_spf("v=spf1 a:\u00e9xample.org -all")
    with pytest.raises(SpfSyntaxError, match="control"):
        parse_spf("v=spf1 a:example.org\tptr -all")


def test_domain_spec_may_end_in_a_macro_or_a_dashed_toplabel():
    check_domain_spec("%{d}")
    check_domain_spec("foo.example.xn--zckzah")
    check_domain_spec("example.org.")
    with pytest.raises(ValueError):
        check_domain_spec("example.-org")


# RFC 7208 §7.4: sender strong-bad@email.example.com from 192.0.2.3 or 2001:db8::cb01
@pytest.mark.parametrize(("macro", "expected"), [
    ("%{s}", "strong-bad@email.example.com"),
    ("%{o}", "email.example.com"),
    ("%{d}", "email.example.com"),
    ("%{d4}", "email.example.com"),
    ("%{d3}", "email.example.com"),
    ("%{d2}", "example.com"),
    ("%{d1}", "com"),
    ("%{dr}", "com.example.email"),
    ("%{d2r}", "example.email"),
    ("%{l}", "strong-bad"),
    ("%{l-}", "strong.bad"),
    ("%{lr}", "strong-bad"),
    ("%{lr-}", "bad.strong"),
    ("%{l1r-}", "strong"),
    ("%{ir}.%{v}._spf.%{d2}", "3.2.0.192.in-addr._spf.example.com"),
    ("%{lr-}.lp._spf.%{d2}", "bad.strong.lp._spf.example.com"),
    ("%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", "bad.strong.lp.3.2.0.192.in-addr._spf.example.com"),
    ("%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", "3.2.0.192.in-addr.strong.lp._spf.example.com"),
    ("%{d2}.trusted-domains.example.net", "example.com.trusted-domains.example.net"),
    ("%%%_%-", "% %20"),
    ("%{L}", "strong-bad"),
])
def test_rfc_macro_examples(macro, expected):
    assert expand(parse_macro_string(macro), values("192.0.2.3")) == expected


def test_rfc_macro_example_ipv6():
    got = expand(parse_macro_string("%{ir}.%{v}._spf.%{d2}"), values("2001:db8::cb01"))
    assert got == "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com"


def test_upper_case_macros_are_url_escaped():
    v = values("192.0.2.3", local="~jack&jill=up")
    assert expand(parse_macro_string("%{L}"), v) == "~jack%26jill%3Dup"


def test_explanation_only_letters():
    tokens = parse_macro_string("%{c} is not %{ir}", explanation=True)
    assert expand(tokens, values("2001:db8::cb01")).startswith("2001:db8::cb01 is not 1.0.b.c")
    with pytest.raises(ValueError):
        parse_macro_string("%{c}")


def values(ip: str, local: str = "strong-bad") -> MacroValues:
    addr = ipaddress.ip_address(ip)
    return MacroValues(sender=f"{local}@email.example.com", local_part=local,
                       sender_domain="email.example.com", domain="email.example.com",
                       ip_dotted=dotted_ip(addr), ip_readable=str(addr),
                       ip_version="in-addr" if addr.version == 4 else "ip6", helo="mx.example.org")
