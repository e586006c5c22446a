"""User-supplied tracker lists: Disconnect services.json, plain domain lists, adblock lists."""

from __future__ import annotations

import json

import pytest

from cyberaudit.errors import InputError
from cyberaudit.probes.privacy.lists import load_tracker_list
from cyberaudit.profile import TrackerList

DISCONNECT = {
    "license": "CC BY-NC-SA 4.0",
    "categories": {
        "Advertising": [{"Adco": {"https://adco.example/": ["adco.example", "adco-cdn.example"]}}],
        "Analytics": [{"Statsco": {"https://stats.example/": ["stats.example"], "performance": "true"}}],
        "Content": [{"Videoco": {"https://video.example/": ["video.example"]}}],
    },
}


def test_disconnect_services_json(tmp_path):
    path = tmp_path / "services.json"
    path.write_text(json.dumps(DISCONNECT, indent=2))
    db = load_tracker_list(TrackerList(file="services.json", format="disconnect", name="Disconnect",
                                       version="2026-10-01"), tmp_path)
    entry, domain = db.match_host("pixel.adco-cdn.example")
    assert (entry.company, entry.category, entry.source, domain) == ("Adco", "advertising", "Disconnect",
                                                                     "adco-cdn.example")
    assert db.match_host("stats.example")[0].category == "analytics"
    assert db.match_host("video.example")[0].tracks is False
    (info,) = db.lists
    assert (info.name, info.version, info.licence, info.domains) == ("Disconnect", "2026-10-01",
                                                                     "CC BY-NC-SA 4.0", 4)


def test_disconnect_bad_json_names_the_line(tmp_path):
    path = tmp_path / "services.json"
    path.write_text('{\n  "categories": {\n    "Advertising": [\n  }\n}\n')
    with pytest.raises(InputError) as info:
        load_tracker_list(TrackerList(file=str(path), format="disconnect"))
    assert info.value.line == 4 and "invalid JSON" in info.value.message


def test_disconnect_bad_domain_names_its_line(tmp_path):
    path = tmp_path / "services.json"
    data = {"categories": {"Social": [{"Bad": {"https://bad.example/": ["ok.example", "bad domain"]}}]}}
    path.write_text(json.dumps(data, indent=2))
    with pytest.raises(InputError) as info:
        load_tracker_list(TrackerList(file=str(path), format="disconnect"))
    assert info.value.line == 8 and "bad domain" in info.value.message


def test_domain_list_with_comments_and_hosts_lines(tmp_path):
    path = tmp_path / "list.txt"
    path.write_text("# comment\ntrack.example\n0.0.0.0 ads.example  # hosts style\n\n*.pixel.example\n")
    db = load_tracker_list(TrackerList(file=str(path), format="domains", licence="MIT"))
    assert db.domains == {"track.example", "ads.example", "pixel.example"}
    assert db.lists[0].name == "list.txt" and db.lists[0].licence == "MIT"
    assert db.match_host("a.track.example")[0].category == "unclassified"


def test_adblock_list_reads_domain_rules_and_header(tmp_path):
    path = tmp_path / "easy.txt"
    path.write_text("[Adblock Plus 2.0]\n! Title: Test Privacy List\n! Version: 202611260000\n"
                    "! License: GPL-3.0\n||tracker.example^\n||beacon.example^$third-party\n"
                    "##.cookie-banner\n/ads/*\n||cdn.example/path.js\n||allowed.example^\n@@||allowed.example^\n")
    db = load_tracker_list(TrackerList(file=str(path), format="adblock"))
    assert db.domains == {"tracker.example", "beacon.example"}
    (info,) = db.lists
    assert (info.name, info.version, info.licence) == ("Test Privacy List", "202611260000", "GPL-3.0")


def test_adblock_profile_values_override_the_header(tmp_path):
    path = tmp_path / "easy.txt"
    path.write_text("! Title: Header name\n||tracker.example^\n")
    db = load_tracker_list(TrackerList(file=str(path), format="adblock", name="Mine", version="3"))
    assert (db.lists[0].name, db.lists[0].version) == ("Mine", "3")


@pytest.mark.parametrize("fmt, text, line, message", [
    ("domains", "good.example\nbad..example\n", 2, "not a domain name"),
    ("adblock", "||good.example^\n||bad domain^\n", 2, "not a domain name"),
    ("domains", "# nothing\n", None, "holds no domains"),
    ("adblock", "##.banner\n", None, "no ||domain^ rules"),
])
def test_list_errors(tmp_path, fmt, text, line, message):
    path = tmp_path / "l.txt"
    path.write_text(text)
    with pytest.raises(InputError) as info:
        load_tracker_list(TrackerList(file=str(path), format=fmt))
    assert info.value.file == str(path) and info.value.line == line and message in info.value.message


def test_missing_and_binary_files(tmp_path):
    with pytest.raises(InputError, match="tracker list not found"):
        load_tracker_list(TrackerList(file="nope.txt", format="domains"), tmp_path)
    path = tmp_path / "bin.txt"
    path.write_bytes(b"ok.example\n\xff\xfe\x00")
    with pytest.raises(InputError, match=r"bin\.txt:2: tracker list is not UTF-8"):
        load_tracker_list(TrackerList(file=str(path), format="domains"))
