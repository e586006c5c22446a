"""Every fact the privacy probe publishes is documented, in both modes."""

from __future__ import annotations

from typing import Any

from cyberaudit.probes import fact_is_published
from cyberaudit.probes.privacy.analysis import analyse
from cyberaudit.probes.privacy.evidence import ObservedCookie, ObservedRequest, PageEvidence, StorageKey
from cyberaudit.probes.privacy.parties import Parties
from cyberaudit.probes.privacy.trackerdb import builtin_database
from cyberaudit.profile import Platform

from . import sitepages
from .world import run_privacy, website


def paths(tree: Any, prefix: str) -> set[str]:
    out = {prefix}
    if isinstance(tree, dict):
        for key, value in tree.items():
            out |= paths(value, f"{prefix}.{key}")
    elif isinstance(tree, list):
        for item in tree:
            out |= paths(item, f"{prefix}[]")
    return out


def undocumented(facts: dict[str, Any]) -> list[str]:
    published = {p for p in paths(facts, "privacy") if p != "privacy"}
    # a list's element path ("x[]") is documented by its fields; rules read "x[].field"
    return sorted(p for p in published if not p.endswith("[]") and not fact_is_published("privacy", p))


def test_static_facts_are_documented(world):
    out = run_privacy(website("https://sunny.test/", ["/", "/intake"]), world.network())
    assert undocumented(out.facts) == []


def test_browser_facts_are_documented():
    ev = PageEvidence("/", "https://a.test/", "https://a.test/", 200, sitepages.INTAKE,
                      requests=(ObservedRequest("https://static.hotjar.com/c/x.js", "script"),
                                ObservedRequest("https://bat.bing.com/a", "image", "net::ERR_NAME_NOT_RESOLVED"),
                                ObservedRequest("https://book.calendly.com/w.js", "script")),
                      cookies=(ObservedCookie("_fbp", "a.test"), ObservedCookie("fr", "facebook.com")),
                      storage=(StorageKey("https://a.test", "_hjTLDTest"),))
    parties = Parties.for_site(["a.test"], [Platform(name="Calendly", domains=["calendly.com"])])
    result = analyse([ev], builtin_database(), parties, "browser")
    facts = result.facts
    assert facts["cookies"] and facts["local_storage"] and facts["processors"]
    assert facts["pages"][0]["failed_requests"]
    assert undocumented(facts) == []
