"""SPF (RFC 7208): record parsing, check_host() evaluation and the static lookup-tree analysis."""

from cyberaudit.spf.analysis import SpfAnalysis, SpfNode, analyze_spf
from cyberaudit.spf.check import MAX_LOOKUPS, MAX_VOID_LOOKUPS, RESULTS, SpfResult, check_host
from cyberaudit.spf.record import SpfRecord, SpfSyntaxError, Term, is_spf_record, parse_spf

__all__ = [
    "MAX_LOOKUPS", "MAX_VOID_LOOKUPS", "RESULTS", "SpfAnalysis", "SpfNode", "SpfRecord", "SpfResult",
    "SpfSyntaxError", "Term", "analyze_spf", "check_host", "is_spf_record", "parse_spf",
]
