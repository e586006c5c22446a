"""Plain-text renderings of an SPF check and an SPF tree, for the `cyberaudit spf` command."""

from __future__ import annotations

from cyberaudit.spf.analysis import SpfAnalysis, SpfNode
from cyberaudit.spf.check import MAX_LOOKUPS, MAX_VOID_LOOKUPS, SpfResult

MEANINGS = {
    "pass": "the server is authorised to send this domain's mail",
    "fail": "the domain says this server must not send its mail",
    "softfail": "the domain says this server is probably not allowed (mail is usually accepted but marked)",
    "neutral": "the domain makes no statement about this server",
    "none": "no SPF policy applies: the domain publishes none, or the name is not a domain SPF can look up",
    "permerror": "the domain's SPF policy is broken and cannot be used until it is fixed",
    "temperror": "a DNS problem stopped the check; trying again later may work",
}


def result_text(result: SpfResult) -> str:
    """The verdict, what it means, the explanation and the lookups used."""
    lines = [
        f"SPF {result.result} for {result.ip} sending as {result.sender} (domain {result.domain})",
        f"  meaning:     {MEANINGS[result.result]}",
        f"  explanation: {result.explanation}",
    ]
    if result.mechanism:
        lines.append(f"  matched:     {result.mechanism} (record of {result.matched_in})")
    if result.record:
        lines.append(f"  record:      {result.record}")
    lines.append(f"  lookups:     {result.lookups} of {MAX_LOOKUPS} DNS-mechanism lookups, "
                 f"{result.void_lookups} of {MAX_VOID_LOOKUPS} void lookups")
    return "\n".join(lines) + "\n"


def analysis_text(analysis: SpfAnalysis) -> str:
    """The record tree with each term's lookup cost and the running count out of 10."""
    lines = [f"SPF record of {analysis.domain}: {analysis.status}"]
    if analysis.record:
        lines.append(f"  {analysis.record}")
    elif analysis.records_found > 1:
        lines += [f"  {r}" for r in analysis.records]
    for node in analysis.terms:
        _node_lines(node, 2, lines)
    lines.append(f"  DNS-mechanism lookups: {analysis.lookups} of {analysis.lookup_limit}; "
                 f"void lookups: {analysis.void_lookups} of {analysis.void_lookup_limit}")
    lines.append(f"  default for other servers: {analysis.all_meaning}")
    lines += [f"  error: {e}" for e in analysis.errors]
    lines += [f"  warning: {w}" for w in analysis.warnings]
    return "\n".join(lines) + "\n"


def _node_lines(node: SpfNode, indent: int, lines: list[str]) -> None:
    count = f"[{node.running:>2}/{MAX_LOOKUPS}]" if node.lookups else "       "
    extra = [x for x in (node.note, f"ERROR: {node.error}" if node.error else None) if x]
    lines.append(f"{' ' * indent}{count} {node.text}" + (f"  ({'; '.join(extra)})" if extra else ""))
    for child in node.children:
        _node_lines(child, indent + 4, lines)
