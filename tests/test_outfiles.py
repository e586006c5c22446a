"""Results, reports and history are private by default: files 0600, the folders created for them 0700."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from cyberaudit.outfiles import ENV_FILE_MODE, make_dirs, write_private

FORMATS = ("r.json", "r.html", "r.md", "r.sarif", "r.csv", "r.junit.xml")
PROFILE = """
practice:
  name: Lakeside Counseling
  jurisdiction: US
platforms:
  - name: Zoom for Healthcare
    kind: video
    holds_client_data: true
    baa_signed: true
    mfa_enforced: true
controls:
  retention:
    clinical_records_years: 7
"""


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The most permissive umask: modes must not depend on the user's."""
    old = os.umask(0)
    yield
    os.umask(old)


def test_scan_writes_reports_and_history_private(cli, write, tmp_path: Path, open_umask: None) -> None:
    profile = write("clinic/cyberaudit.yaml", PROFILE)
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    os.chmod(shared, 0o755)
    out = shared / "q3" / "reports"
    run = cli("scan", "-p", str(profile), "-q", *[a for n in FORMATS for a in ("-o", str(out / n))])
    assert run.code in (0, 1), run.err
    for name in FORMATS:
        assert mode(out / name) == 0o600, name
    # the folders it created are private; the one that was there keeps its mode
    assert mode(out) == 0o700 and mode(out.parent) == 0o700
    assert mode(shared) == 0o755
    history = profile.parent / ".cyberaudit-history"
    saved = list(history.iterdir())
    assert mode(history) == 0o700 and saved and all(mode(p) == 0o600 for p in saved)

    # re-rendering a saved result, over a report someone made readable to all
    again = out / "again.html"
    again.write_text("old")
    os.chmod(again, 0o644)
    run = cli("report", str(saved[0]), "-o", str(again), "-o", str(tmp_path / "new" / "r.md"))
    assert run.code == 0, run.err
    assert mode(again) == 0o600 and "Lakeside Counseling" in again.read_text()
    assert mode(tmp_path / "new" / "r.md") == 0o600 and mode(tmp_path / "new") == 0o700


def test_file_mode_can_be_widened_on_purpose(cli, write, tmp_path: Path, monkeypatch, open_umask: None) -> None:
    profile = write("cyberaudit.yaml", PROFILE)
    monkeypatch.setenv(ENV_FILE_MODE, "0640")
    run = cli("scan", "-p", str(profile), "-q", "--no-history", "-o", str(tmp_path / "r.json"))
    assert run.code in (0, 1), run.err
    assert mode(tmp_path / "r.json") == 0o640


@pytest.mark.parametrize("value", ["rw", "0200", "01777"])
def test_a_bad_file_mode_is_one_line_before_the_scan(cli, write, tmp_path: Path, monkeypatch, value: str) -> None:
    profile = write("cyberaudit.yaml", PROFILE)
    monkeypatch.setenv(ENV_FILE_MODE, value)
    run = cli("scan", "-p", str(profile), "-q", "--no-history", "-o", str(tmp_path / "r.json"))
    assert run.code == 2
    assert ENV_FILE_MODE in run.err and len(run.err.strip().splitlines()) == 1
    assert not (tmp_path / "r.json").exists()


def test_write_private_replaces_content_and_exclusive_never_overwrites(tmp_path: Path, open_umask: None) -> None:
    folder = make_dirs(tmp_path / "a" / "b")
    assert mode(tmp_path / "a") == 0o700 and mode(folder) == 0o700
    path = write_private(folder / "f.txt", "long first content")
    write_private(path, b"short")
    assert path.read_bytes() == b"short" and mode(path) == 0o600
    with pytest.raises(FileExistsError):
        write_private(path, "x", exclusive=True)
    assert path.read_bytes() == b"short"
