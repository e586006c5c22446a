"""FactSpecs for SPF results, so that a probe publishing SpfAnalysis.to_dict() or
SpfResult.to_dict() under a prefix documents every fact it gives the rules."""

from __future__ import annotations

from cyberaudit.probes.base import FactSpec

_NODE = (
    ("text", "str", "the term as written, e.g. include:_spf.example.net"),
    ("kind", "str", "all, include, a, mx, ptr, ip4, ip6, exists, redirect, exp, modifier, or invalid "
                    "for a term with a syntax error"),
    ("qualifier", "str?", "+, -, ~ or ? for mechanisms; null for modifiers"),
    ("domain", "str?", "the name the term looks up (null for ip4, ip6, all)"),
    ("lookups", "int", "DNS-mechanism lookups the term itself costs (0 or 1)"),
    ("running", "int", "DNS-mechanism lookups counted so far in the whole tree, this term included, "
                       "out of 10"),
    ("void", "bool", "the term's lookup found no such name or no records (a void lookup)"),
    ("error", "str?", "what is wrong with this term (syntax, loop, missing include target, limit)"),
    ("note", "str?", "a plain remark: mail hosts found, why a target is not resolved, ..."),
    ("record", "str?", "for include and redirect: the SPF record found at the target"),
    ("children", "list", "for include and redirect: the target record's terms, each with these same facts"),
)


def analysis_fact_specs(prefix: str) -> tuple[FactSpec, ...]:
    """The facts of SpfAnalysis.to_dict() published under `prefix` (e.g. "email.spf")."""
    top = (
        ("domain", "str", "the domain whose SPF record was read"),
        ("status", "str", "none (no record), ok, permerror (broken: several records, syntax, limits, "
                          "loop) or temperror (a DNS lookup failed)"),
        ("present", "bool", "at least one v=spf1 record is published"),
        ("valid", "bool", "exactly one record, valid syntax throughout, at most 10 DNS-mechanism lookups "
                          "and 2 void lookups, no include loop"),
        ("strict", "bool", "servers not listed get fail (-all) or softfail (~all)"),
        ("record", "str?", "the v=spf1 record, null when absent or when several were found"),
        ("records_found", "int", "how many v=spf1 records the domain publishes (more than one is an error)"),
        ("records", "list", "every v=spf1 record found"),
        ("terms", "list", "the record's terms in order, as a tree through include and redirect"),
        ("lookups", "int", "DNS-mechanism lookups (include, a, mx, ptr, exists, redirect) in the whole tree"),
        ("lookup_limit", "int", "the RFC 7208 limit on DNS-mechanism lookups: 10"),
        ("void_lookups", "int", "lookups in the tree that found no such name or no records"),
        ("void_lookup_limit", "int", "the RFC 7208 limit on void lookups: 2"),
        ("loops", "list", "include or redirect loops, each as 'a.example → b.example → a.example'"),
        ("all_qualifier", "str?", "the qualifier of the record's all (or its redirect target's): "
                                  "- fail, ~ softfail, ? neutral, + pass; null without all"),
        ("all_meaning", "str", "what the all qualifier means for servers not listed, in plain words"),
        ("syntax_ok", "bool", "every record in the tree parses"),
        ("errors", "list", "every problem found, in plain words"),
        ("warnings", "list", "advice that does not make the record invalid (e.g. ptr is deprecated)"),
    )
    return tuple(FactSpec(f"{prefix}.{p}", t, d) for p, t, d in top) + \
        tuple(FactSpec(f"{prefix}.terms[].{p}", t, d) for p, t, d in _NODE)


def result_fact_specs(prefix: str) -> tuple[FactSpec, ...]:
    """The facts of SpfResult.to_dict() published under `prefix` (e.g. "email.spf.senders[]")."""
    fields = (
        ("result", "str", "pass, fail, softfail, neutral, none, permerror or temperror (RFC 7208 §2.6)"),
        ("explanation", "str", "the domain's own explanation for a fail, or a plain description"),
        ("explanation_source", "str", "exp (published by the domain) or default"),
        ("domain", "str", "the domain whose policy was checked"),
        ("ip", "str", "the sending IP address checked"),
        ("sender", "str", "the envelope sender used"),
        ("helo", "str", "the HELO name used"),
        ("mechanism", "str?", "the term that decided, e.g. include:_spf.example.net or -all"),
        ("matched_in", "str?", "the domain whose record holds that term"),
        ("record", "str?", "the checked domain's SPF record"),
        ("lookups", "int", "DNS-mechanism lookups used, out of 10"),
        ("lookup_limit", "int", "the RFC 7208 limit on DNS-mechanism lookups: 10"),
        ("void_lookups", "int", "void lookups met, out of 2"),
        ("void_lookup_limit", "int", "the RFC 7208 limit on void lookups: 2"),
        ("problem", "str?", "why the result is none, permerror or temperror"),
        ("queries", "list", "the DNS questions asked, in order, with their outcome"),
    )
    return tuple(FactSpec(f"{prefix}.{p}", t, d) for p, t, d in fields)
