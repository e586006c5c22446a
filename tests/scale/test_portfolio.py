"""Scans without a profile (URLs, domains, a targets file) and portfolios of client profiles."""

from __future__ import annotations

import csv
import json

import pytest

from cyberaudit.scan import NO_PROFILE
from tests.conftest import run_cli_subprocess
from tests.scale.conftest import write_profile


def test_a_url_on_the_command_line_is_scanned_without_a_profile(servers, tmp_path):
    https, _, ca, dns = servers
    url = f"https://s1.shards.example:{https}/"
    run = run_cli_subprocess("scan", url, "--resolve", f"s1.shards.example:{https}:127.0.0.1",
                             "--resolve", "s1.shards.example:80:127.0.0.9", "--nameserver", dns,
                             "--ca-bundle", str(ca), "-o", str(tmp_path / "r.json"), "-q", cwd=tmp_path)
    assert run.code in (0, 1), run.err
    result = json.loads((tmp_path / "r.json").read_text())
    kinds = {(t["kind"], t["id"]) for t in result["targets"]}
    assert ("website", url) in kinds and ("endpoint", f"s1.shards.example:{https}") in kinds
    practice = [f for f in result["findings"] if f["target_kind"] == "practice"]
    assert practice and all(f["status"] == "not_applicable" and f["message"] == NO_PROFILE for f in practice)
    # nothing about the practice was read: not even this machine's disk
    assert next(t for t in result["targets"] if t["kind"] == "practice")["probes"] == []
    website = [f for f in result["findings"] if f["target"] == url]
    assert {"pass", "fail"} <= {f["status"] for f in website}
    assert not (tmp_path / ".cyberaudit-history").exists()


def test_a_bare_domain_is_its_website_and_its_mail_domain(servers, tmp_path):
    https, _, ca, dns = servers
    targets = tmp_path / "targets.txt"
    targets.write_text("# clients to survey\nshards.example   # the practice\n", encoding="utf-8")
    run = run_cli_subprocess("scan", "--targets", str(targets), "--nameserver", dns,
                             "--resolve", "shards.example:443:127.0.0.1", "--connect-to",
                             f"shards.example:443:127.0.0.1:{https}", "--ca-bundle", str(ca),
                             "-o", str(tmp_path / "r.json"), "-q", cwd=tmp_path)
    assert run.code in (0, 1), run.err
    result = json.loads((tmp_path / "r.json").read_text())
    kinds = {(t["kind"], t["id"]) for t in result["targets"]}
    assert ("website", "https://shards.example/") in kinds and ("mail_domain", "shards.example") in kinds
    dmarc = next(f for f in result["findings"] if f["rule_id"] == "MAIL-DMARC-PRESENT")
    assert dmarc["status"] == "pass"


@pytest.mark.parametrize("line, problem", [("ftp://files.example/", "only http:// and https://"),
                                           ("not a domain", "neither a URL"),
                                           ("localhost", "neither a URL")])
def test_a_bad_line_in_a_targets_file_names_its_line(tmp_path, line, problem):
    targets = tmp_path / "t.txt"
    targets.write_text(f"# list\nexample.org\n{line}\n", encoding="utf-8")
    run = run_cli_subprocess("scan", "--targets", str(targets), "-o", str(tmp_path / "r.json"))
    assert run.code == 2
    assert f"{targets}:3: " in run.err and problem in run.err and "Traceback" not in run.err


@pytest.fixture
def portfolio(servers, tmp_path):
    https, plain, ca, dns = servers
    clients = tmp_path / "clients"
    (clients / "west").mkdir(parents=True)
    write_profile(clients / "lakeside.yaml", https, plain, sites=2, name="Lakeside Counseling", dns=dns)
    write_profile(clients / "west" / "harbor.yaml", https, plain, sites=1, name="Harbor Therapy")
    write_profile(clients / "pine.yaml", https, plain, sites=1, name="Pine & <Oak>")
    (clients / "broken.yaml").write_text("practice:\n  name: Broken\ntargets:\n  websitez: []\n", encoding="utf-8")
    return clients, ca


def _index(folder):
    return json.loads((folder / "index.json").read_text())["clients"]


def test_a_portfolio_writes_a_result_and_report_per_client_and_an_index(portfolio, tmp_path):
    clients, ca = portfolio
    out = tmp_path / "out"
    run = run_cli_subprocess("scan", "--profiles", str(clients), "--ca-bundle", str(ca), "-o", str(out),
                             "--no-history", "-q", "--workers", "2")
    assert run.code == 2, run.err  # one profile is invalid
    rows = {c["slug"]: c for c in _index(out)}
    assert set(rows) == {"broken", "harbor", "lakeside", "pine"}
    assert rows["broken"]["status"] == "invalid" and "broken.yaml:4" in rows["broken"]["error"]
    for slug in ("harbor", "lakeside", "pine"):
        assert rows[slug]["status"] == "scanned" and rows[slug]["grade"]
        result = json.loads((out / slug / "result.json").read_text())
        assert result["scores"]["overall"]["score"] == rows[slug]["score"]
        assert (out / slug / "report.html").is_file()
    lakeside = json.loads((out / "lakeside" / "result.json").read_text())
    assert rows["lakeside"]["critical"] == sum(f["status"] == "fail" and f["severity"] == "critical"
                                               for f in lakeside["findings"])
    html = (out / "index.html").read_text()
    assert "Pine &amp; &lt;Oak&gt;" in html and 'href="lakeside/report.html"' in html
    with open(out / "index.csv", newline="") as fh:
        assert {r["slug"] for r in csv.DictReader(fh)} == set(rows)
    again = run_cli_subprocess("scan", "--profiles", str(clients), "--ca-bundle", str(ca), "-o", str(out),
                               "--no-history", "-q", "--keep-going", "--workers", "1")
    assert again.code == 0, again.err
    assert {c["slug"]: c["score"] for c in _index(out)} == {s: r["score"] for s, r in rows.items()}


def test_portfolio_shards_merge_into_the_unsharded_index(portfolio, tmp_path):
    clients, ca = portfolio
    common = ("--profiles", str(clients), "--ca-bundle", str(ca), "--no-history", "-q", "--keep-going")
    assert run_cli_subprocess("scan", *common, "-o", str(tmp_path / "whole")).code == 0
    for i in (1, 2):
        assert run_cli_subprocess("scan", *common, "--shard", f"{i}/2", "-o", str(tmp_path / f"s{i}")).code == 0
    parts = [_index(tmp_path / f"s{i}") for i in (1, 2)]
    assert all(parts) and sum(map(len, parts)) == 4
    run = run_cli_subprocess("merge", str(tmp_path / "s2"), str(tmp_path / "s1"), "-o", str(tmp_path / "m"))
    assert run.code == 0, run.err
    keep = ("slug", "status", "grade", "score", "critical", "high", "problems")
    assert [{k: c[k] for k in keep} for c in _index(tmp_path / "m")] == \
        [{k: c[k] for k in keep} for c in _index(tmp_path / "whole")]
    assert (tmp_path / "m" / "lakeside" / "report.html").is_file()
    missing = run_cli_subprocess("merge", str(tmp_path / "s1"), "-o", str(tmp_path / "m2"))
    assert missing.code == 2 and "shard 2 of 2 missing" in missing.err
