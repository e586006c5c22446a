"""`cyberaudit init --interactive` on a real terminal: the questions, the file it writes, and its scan."""

from __future__ import annotations

import datetime as dt
import json
import os
import pty
import select
import signal
import sys
import time
from pathlib import Path

import yaml

from cyberaudit.profile import SAFEGUARD_KEYS, load_profile
from tests.conftest import REPO

CTRL_C = "\x03"
NOT_SURE = ""  # Enter: the default answer of every yes / no / not sure question


class Terminal:
    """`cyberaudit ARGS` on a pseudo-terminal: wait for a question, type an answer."""

    def __init__(self, *args: str) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child runs the CLI on the terminal's slave side
            os.environ["PYTHONPATH"] = str(REPO / "src")
            os.execv(sys.executable, [sys.executable, "-m", "cyberaudit", *args])
        self.transcript = ""
        self._seen = 0

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return True
        try:
            data = os.read(self.fd, 65536)
        except OSError:
            return False
        self.transcript += data.decode("utf-8", "replace").replace("\r\n", "\n")
        return bool(data)

    def expect(self, text: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.transcript[self._seen:]:
            if time.monotonic() > deadline or not self._read(1):
                raise AssertionError(f"never asked {text!r}; the terminal showed:\n{self.transcript[-3000:]}")
        self._seen = self.transcript.index(text, self._seen) + len(text)

    def answer(self, question: str, text: str) -> None:
        self.expect(question)
        self.expect(": ")  # the prompt has been written in full
        if text == CTRL_C:
            self._until_reading()
        os.write(self.fd, text.encode() + (b"" if text == CTRL_C else b"\r"))

    def _until_reading(self, timeout: float = 20) -> None:
        # A Ctrl-C that lands after the prompt is written but before the read starts is only acted on
        # once a line is typed (Python checks signals when the read returns): wait until the child sleeps.
        deadline = time.monotonic() + timeout
        stat = Path(f"/proc/{self.pid}/stat")
        while time.monotonic() < deadline:
            if stat.read_text().rsplit(")", 1)[1].split()[0] == "S":
                return
            time.sleep(0.05)

    def wait(self, timeout: float = 60) -> int:
        """The exit code; a child still running at the deadline is killed and the test fails."""
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                self._read(0.2)
                pid, status = os.waitpid(self.pid, os.WNOHANG)
                if pid == self.pid:
                    return os.waitstatus_to_exitcode(status)
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            raise AssertionError(f"still running after {timeout} s; the terminal showed:\n{self.transcript[-3000:]}")
        finally:
            os.close(self.fd)


SHOWN = None  # a line to wait for that is not a question


def _answer_all(term: Terminal, script: list[tuple[str, str | None]]) -> None:
    for question, text in script:
        if text is SHOWN:
            term.expect(question)
        else:
            term.answer(question, text)


NO_OTHER_SERVICES = [step for title in (
    "Storing and sharing files", "Online booking", "Online forms", "Payments", "Texts, chat and calls",
    "builds or hosts your website", "Other services") for step in ((title, SHOWN), ("Numbers from the list", ""))]


def test_not_sure_stays_unknown_and_the_scan_asks_for_it(cli, tmp_path):
    profile = tmp_path / "practice" / "cyberaudit.yaml"
    profile.parent.mkdir()
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "risk-2026.pdf").write_bytes(b"%PDF-1.4 risk analysis")
    reviewed = (dt.date.today() - dt.timedelta(days=40)).isoformat()
    term = Terminal("init", str(profile), "--interactive")
    term.expect("Nothing is checked or sent anywhere now")  # what will happen, before the first question
    _answer_all(term, [
        ("Practice name", "Harbor Therapy"), ("Jurisdiction", "US"), ("Website addresses", ""),
        ("E-mail domains", ""),
        ("Video calls with clients", SHOWN), ("Numbers from the list", "1"),  # 1: Zoom for Healthcare
        ("Does Zoom for Healthcare hold", "yes"), ("Have you signed a BAA", "not sure"),
        ("second step", NOT_SURE), ("end-to-end encrypted", "?"),
        ("Client records", SHOWN), ("Numbers from the list", ""),
        ("E-mail:", SHOWN), ("Numbers from the list", "gmail"),
        ("Is your account in fact on Google Workspace", "not sure"),
        ("Does Gmail hold", "y"), ("second step", "no"),
        *NO_OTHER_SERVICES,
        ("years do you keep clinical records", ""), ("session recordings", ""),
        ("Do you keep backups", "no"),
        ("Is this a computer you use for client work?", "not sure"),
        ("disks of the computers", NOT_SURE), ("screens lock", NOT_SURE), ("security updates", NOT_SURE),
        ("consent for online sessions", NOT_SURE),
        ("security risk analysis", "yes"), ("The document that shows it", str(tmp_path / "policies" / "nope.pdf")),
        ("There is no file", SHOWN), ("The document that shows it", str(tmp_path / "policies" / "risk-2026.pdf")),
        ("last reviewed or done", "2099-01-01"), ("is in the future", SHOWN), ("last reviewed or done", reviewed),
        *[(q, NOT_SURE) for q in ("lost, stolen or exposed", "training", "identity", "waiting room",
                                  "emergency plan", "secure networks", "technology fails")],
    ])
    assert term.wait() == 0, term.transcript[-2000:]

    text = profile.read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    zoom, gmail = raw["platforms"]
    assert zoom == {"name": "Zoom for Healthcare", "catalog": "zoom-healthcare", "holds_client_data": True,
                    "baa_signed": None, "mfa_enforced": None, "e2ee": None}
    # the catalogue's fact, not a guess: Google signs no BAA for free Gmail
    assert gmail["catalog"] == "gmail" and gmail["baa_signed"] is False and gmail["mfa_enforced"] is False
    assert raw["controls"]["backups"] == {"encrypted": None}  # "no backups" is not "unencrypted backups"
    assert raw["controls"]["devices"] == {"scan_this_machine": None, "disk_encrypted": None,
                                          "screen_lock": None, "auto_updates": None}
    assert list(raw["safeguards"]) == list(SAFEGUARD_KEYS)
    assert raw["safeguards"]["risk_analysis"] == {"in_place": True, "evidence": "../policies/risk-2026.pdf",
                                                  "reviewed": dt.date.fromisoformat(reviewed)}
    assert raw["safeguards"]["telehealth_consent"] == {"in_place": None}
    assert "mfa_enforced: null" in text and "scan_this_machine: null" in text

    loaded = load_profile(profile).profile  # the real loader, with the catalogue check
    assert loaded.platforms[0].catalog == "zoom-healthcare" and loaded.platforms[0].mfa_enforced is None
    assert loaded.controls.backups.encrypted is None

    result = tmp_path / "result.json"
    run = cli("scan", "-p", str(profile), "-o", str(result), "--no-history", "-q")
    assert run.code == 0, run.err
    findings = {(f["rule_id"], f["target"]): f for f in json.loads(result.read_text())["findings"]}
    for rule, target, key in (("MFA-PLATFORMS", "Zoom for Healthcare", "platforms[0].mfa_enforced"),
                              ("ENC-PLATFORM-BAA", "Zoom for Healthcare", "platforms[0].baa_signed"),
                              ("ENC-VIDEO-E2EE", "Zoom for Healthcare", "platforms[0].e2ee"),
                              ("RET-BACKUPS-ENCRYPTED", "practice", "controls.backups.encrypted"),
                              ("SAFE-TELEHEALTH-CONSENT", "practice", "safeguards.telehealth_consent")):
        finding = findings[(rule, target)]
        assert finding["status"] == "error", (rule, finding["status"])  # could not be checked, never fail
        assert "does not say" in finding["message"] and key in finding["message"], finding["message"]
    assert findings[("PLAT-BAA-AVAILABLE", "Gmail")]["status"] == "fail"
    assert findings[("MFA-PLATFORMS", "Gmail")]["status"] == "fail"
    assert findings[("SAFE-RISK-ANALYSIS", "practice")]["status"] == "pass"  # its document exists and is current


def test_catalogue_picks_plans_selectors_domains_and_this_computer(tmp_path):
    profile = tmp_path / "harbor.yaml"
    term = Terminal("init", str(profile), "--interactive")
    _answer_all(term, [
        ("Practice name", ""), ("Please type an answer", SHOWN), ("Practice name", "Harbor Therapy"),
        ("Jurisdiction", "UK"),
        ("Website addresses", "harbor.example"), ("Start each address with https://", SHOWN),
        ("Website addresses", "https://harbor.example/"), ("Pages of https://harbor.example/", "/ /intake"),
        ("E-mail domains", "harbor.example"), ("DKIM selectors of harbor.example", "google s2"),
        ("Numbers from the list", "99"), ("There is no number 99", SHOWN),
        ("Numbers from the list", "Zom"), ("Did you mean Zoom?", "yes"),
        ("Is your account in fact on Zoom for Healthcare", "yes"),  # the plan decides the BAA verdict
        ("Does Zoom for Healthcare hold", "y"), ("Have you signed a BAA", "y"), ("second step", "y"),
        ("end-to-end encrypted", "y"),
        ("Client records", SHOWN), ("Numbers from the list", "Owl Practice"),
        ("Does Owl Practice hold", "y"), ("Have you signed a BAA", "y"), ("second step", "y"),
        ("Web addresses its pages load from", "owl.example"),
        ("E-mail:", SHOWN), ("Numbers from the list", "1"),
        ("Does Google Workspace hold", "y"), ("Have you signed a BAA", "y"), ("second step", "y"),
        ("Storing and sharing files", SHOWN), ("Numbers from the list", "Harbor Files"),
        ("Does Harbor Files hold", "y"), ("Have you signed a BAA", "y"), ("second step", "n"),
        ("encryption at rest", "y"), ("Web addresses its pages load from", "files.harbor.example"),
        *NO_OTHER_SERVICES[2:],
        ("years do you keep clinical records", "seven"), ("number of years", SHOWN),
        ("years do you keep clinical records", "8"), ("session recordings", "0"),
        ("Do you keep backups", "y"), ("Are the backups encrypted", "yes"),
        ("last restore files from a backup", "last spring"), ("YYYY-MM-DD", SHOWN),
        ("last restore files from a backup", "2026-01-02"),
        ("Is this a computer you use for client work?", "no"),
        ("disks of the computers", "y"), ("screens lock", "maybe"), ("Please answer yes, no or not sure", SHOWN),
        ("screens lock", "y"), ("security updates", "n"),
        *[(q, "n") for q in ("consent for online sessions", "security risk analysis", "lost, stolen or exposed",
                             "training", "identity", "waiting room", "emergency plan", "secure networks",
                             "technology fails")],
    ])
    assert term.wait() == 0, term.transcript[-2000:]
    p = load_profile(profile).profile
    assert p.practice.name == "Harbor Therapy" and p.practice.jurisdiction == "UK"
    assert p.targets.websites[0].pages == ["/", "/intake"]
    assert p.targets.mail_domains[0].domain == "harbor.example"
    assert p.targets.mail_domains[0].dkim_selectors == ["google", "s2"]
    by_name = {x.name: x for x in p.platforms}
    assert list(by_name) == ["Zoom for Healthcare", "Owl Practice", "Google Workspace", "Harbor Files"]
    assert by_name["Zoom for Healthcare"].catalog == "zoom-healthcare" and by_name["Zoom for Healthcare"].e2ee
    assert by_name["Owl Practice"].domains == ["owl.example"]  # the catalogue does not say whether it signs a BAA
    assert by_name["Google Workspace"].domains == []  # the catalogue knows them
    files = by_name["Harbor Files"]
    assert files.catalog is None and files.kind == "storage" and files.encrypted_at_rest is True
    assert files.mfa_enforced is False and files.domains == ["files.harbor.example"]
    assert p.controls.retention.clinical_records_years == 8 and p.controls.retention.recordings_days == 0
    assert p.controls.backups.encrypted is True and str(p.controls.backups.last_restore_test) == "2026-01-02"
    assert "scan_this_machine: false" in profile.read_text()
    assert p.controls.devices.disk_encrypted is True and p.controls.devices.auto_updates is False
    assert all(getattr(p.safeguards, k).in_place is False for k in SAFEGUARD_KEYS)


def test_ctrl_c_stops_with_exit_130_and_writes_nothing(tmp_path):
    profile = tmp_path / "cyberaudit.yaml"
    term = Terminal("init", str(profile), "--interactive")
    _answer_all(term, [("Practice name", "Harbor Therapy"), ("Jurisdiction", "US"), ("Website addresses", CTRL_C)])
    assert term.wait() == 130, term.transcript[-2000:]
    assert "no profile was written" in term.transcript
    assert not Path(profile).exists()
