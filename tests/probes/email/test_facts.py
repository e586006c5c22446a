"""The facts users and rules read: what each scenario's tree says, and that every fact is documented."""

from __future__ import annotations

from typing import Any

from cyberaudit.probes import fact_is_published


def _leaf_paths(tree: Any, prefix: str) -> set[str]:
    if isinstance(tree, dict):
        out: set[str] = set()
        for key, value in tree.items():
            out |= _leaf_paths(value, f"{prefix}.{key}")
        return out
    if isinstance(tree, list):
        out = {prefix}
        for item in tree:
            if isinstance(item, dict):
                for key, value in item.items():
                    out |= _leaf_paths(value, f"{prefix}[].{key}")
        return out
    return {prefix}


def test_every_published_fact_is_documented(run_probe):
    paths: set[str] = set()
    for domain, kw in [("good.test", {"selectors": ("practice",), "senders": ("198.51.100.25",)}),
                       ("lookups11.test", {}), ("stsmx.test", {}), ("extrua.test", {}),
                       ("dkimrevoked.test", {"selectors": ("old",)})]:
        paths |= _leaf_paths(run_probe(domain, **kw).facts, "email")
    # nested SPF terms repeat the fields of terms[]
    paths = {p.replace("terms[].children[].", "terms[].").replace("children[].", "") for p in paths}
    undocumented = sorted(p for p in paths if not fact_is_published("email", p))
    assert undocumented == []


def test_spf_tree_counts_lookups_and_voids(run_probe):
    spf = run_probe("lookups11.test").facts["spf"]
    assert spf["lookups"] == 11 and spf["status"] == "permerror"
    node, depth = spf["terms"][0], 1
    while node["children"] and node["children"][0]["kind"] == "include":
        node, depth = node["children"][0], depth + 1
    assert depth == 11 and node["running"] == 11
    void = run_probe("void3.test").facts["spf"]
    assert void["void_lookups"] == 3 and void["lookups"] == 3 and void["valid"] is False
    loop = run_probe("loop.test").facts["spf"]
    assert loop["loops"] and "loop.test" in loop["loops"][0]


def test_spf_all_qualifier_and_senders(run_probe):
    assert run_probe("plusall.test").facts["spf"]["all_qualifier"] == "+"
    spf = run_probe("good.test", senders=("198.51.100.25", "203.0.113.9")).facts["spf"]
    assert spf["all_qualifier"] == "-"
    assert [(s["ip"], s["result"]) for s in spf["senders"]] == [("198.51.100.25", "pass"),
                                                                ("203.0.113.9", "fail")]
    assert "_spf.good.test" in spf["senders"][0]["explanation"]


def test_dmarc_inherited_from_the_organizational_domain(run_probe):
    dmarc = run_probe("mail.orgonly.test").facts["dmarc"]
    assert dmarc["found_at"] == "_dmarc.orgonly.test" and dmarc["inherited"] is True
    assert dmarc["policy"] == "reject" and dmarc["effective_policy"] == "quarantine"


def test_two_records_are_no_record(run_probe):
    dmarc = run_probe("twodmarc.test").facts["dmarc"]
    assert (dmarc["present"], dmarc["record_count"], dmarc["policy"]) == (False, 2, None)
    sts = run_probe("ststwo.test").facts["mta_sts"]
    assert sts["record_present"] is True and sts["record_valid"] is False


def test_dmarc_invalid_p_with_rua_reads_as_none(run_probe):
    dmarc = run_probe("badp.test").facts["dmarc"]
    assert dmarc["present"] is True and dmarc["policy"] == "none"
    assert any("read as p=none" in p for p in dmarc["problems"])


def test_dmarc_external_report_authorisation(run_probe):
    good = run_probe("good.test").facts["dmarc"]["rua_destinations"]
    assert [(d["domain"], d["external"], d["accepted"]) for d in good] == [
        ("good.test", False, True), ("reports.test", True, True)]
    bad = run_probe("extrua.test").facts["dmarc"]["rua_destinations"]
    assert bad[0]["accepted"] is False and "extrua.test._report._dmarc.elsewhere.test" in bad[0]["problem"]


def test_dkim_key_sizes_and_revocation(run_probe):
    keys = {k["selector"]: k for k in run_probe("good.test", selectors=("practice",)).facts["dkim"]["keys"]}
    assert (keys["google"]["key_type"], keys["google"]["key_bits"]) == ("rsa", 2048)
    assert (keys["practice"]["key_type"], keys["practice"]["source"]) == ("ed25519", "profile")
    assert run_probe("dkimrevoked.test", selectors=("old",)).facts["dkim"]["keys"][0]["status"] == "revoked"
    weak = run_probe("dkimweak.test", selectors=("weak",)).facts["dkim"]["keys"][0]
    assert (weak["status"], weak["key_bits"]) == ("key", 512)


def test_mta_sts_scenarios(run_probe):
    testing = run_probe("ststesting.test").facts["mta_sts"]
    assert testing["policy"]["valid"] is True and testing["policy"]["mode"] == "testing"
    redirect = run_probe("stsredirect.test").facts["mta_sts"]["policy"]
    assert redirect["redirected"] is True and redirect["http_status"] == 301 and redirect["valid"] is False
    html = run_probe("ststype.test").facts["mta_sts"]["policy"]
    assert html["mode"] == "enforce" and html["valid"] is False
    assert html["problems"] == ["the policy is served as text/html, not text/plain"]
    mx = run_probe("stsmx.test").facts["mta_sts"]
    assert mx["mx_covered"] is False and mx["uncovered_mx"] == ["mx.deep.stsmx.test"]


def test_mx_and_null_mx(run_probe):
    assert run_probe("good.test").facts["mx"]["hosts"] == [
        {"host": "mx1.good.test", "preference": 10}, {"host": "mx2.good.test", "preference": 20}]
    null = run_probe("stsnull.test").facts["mx"]
    assert null == {"present": False, "null": True, "hosts": []}


def test_each_name_is_asked_once(run_probe, dns_server):
    before = len(dns_server.queries)
    run_probe("good.test", senders=("198.51.100.25",))
    asked = dns_server.queries[before:]
    assert len(asked) == len(set(asked))


def test_caa_is_found_by_climbing_the_tree(run_probe):
    caa = run_probe("mail.orgonly.test").facts["caa"]
    assert caa["found_at"] == "orgonly.test" and caa["issuers"] == ["ca.example"]
    assert run_probe("nodmarc.test").facts["caa"] == {"present": False, "found_at": None, "records": [],
                                                      "issuers": [], "restricts_issuance": False}


def test_tls_rpt_problems(run_probe):
    bad = run_probe("rptbad.test").facts["tls_rpt"]
    assert bad["present"] is True and bad["valid"] is False and "ftp://" in bad["problems"][0]
    two = run_probe("rpttwo.test").facts["tls_rpt"]
    assert len(two["records"]) == 2 and two["valid"] is False
