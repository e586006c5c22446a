"""This machine's disk encryption, screen lock and updates: parsers on captured outputs, one real run."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from cyberaudit.probes.device.probe import (
    PROBE,
    CommandResult,
    decide,
    run_command,
    windows_disk,
    windows_lock,
    windows_updates,
)
from cyberaudit.probes.device.state import (
    Reading,
    combine,
    dm_chain_encrypted,
    linux_mount_reading,
    mount_for,
    parse_apt_config,
    parse_bitlocker_volume_json,
    parse_fdesetup,
    parse_gsettings,
    parse_lsblk,
    parse_manage_bde,
    parse_proc_mounts,
    parse_reg_query,
    parse_shell_bitlocker,
    parse_sysadminctl_screenlock,
    windows_auto_updates,
    windows_screen_lock,
)
from tests.probes.controls_helpers import context, finding, practice, profile, status

DATA = Path(__file__).resolve().parents[2] / "data" / "device"


def text(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def linux(mounts_file: str, lsblk_file: str | None, sys_root: Path = Path("/nonexistent")) -> Reading:
    mounts = parse_proc_mounts(text(mounts_file))
    lsblk = parse_lsblk(text(lsblk_file)) if lsblk_file else None
    paths = ["/"] + (["/home"] if mount_for("/home", mounts).mountpoint == "/home" else [])
    return combine([linux_mount_reading(p, mount_for(p, mounts), lsblk, sys_root) for p in paths], "/")


def test_lsblk_luks_under_lvm():
    found = parse_lsblk(text("linux_lsblk_luks_lvm.json"))
    enc, chain = found["/"]
    assert enc is True and chain[-1] == "vgubuntu-root (lvm)" and "nvme0n1p3_crypt (crypt)" in chain
    assert found["/boot"][0] is False
    assert linux("linux_mounts_luks.txt", "linux_lsblk_luks_lvm.json").value is True


def test_lsblk_btrfs_subvolumes_and_an_unencrypted_data_disk():
    found = parse_lsblk(text("linux_lsblk_fedora_btrfs.json"))
    assert found["/"][0] and found["/home"][0] and not found["/srv/data"][0]
    reading = linux("linux_mounts_fedora_btrfs.txt", "linux_lsblk_fedora_btrfs.json")
    assert reading.value is True and "/home" in reading.detail


def test_old_lsblk_unencrypted_root_and_home():
    reading = linux("linux_mounts_plain.txt", "linux_lsblk_old_unencrypted.json")
    assert reading.value is False and "vda1" in reading.detail


def test_encrypted_root_but_plain_home_is_not_encrypted():
    reading = linux("linux_mounts_luks_root_plain_home.txt", "linux_lsblk_luks_root_plain_home.json")
    assert reading.value is False and "/home" in reading.detail


def test_container_overlay_root_is_unknown_with_reason():
    reading = linux("linux_mounts_container.txt", "linux_lsblk_old_unencrypted.json")
    assert reading.value is None and "overlay" in reading.detail


def test_proc_mounts_escapes_and_longest_mount():
    mounts = parse_proc_mounts(text("linux_mounts_luks.txt"))
    assert mount_for("/media/therapist/USB STICK/x", mounts).fstype == "vfat"
    assert mount_for("/home", mounts).mountpoint == "/"


def test_sysfs_dm_crypt_chain(tmp_path):
    block = tmp_path / "class" / "block"
    (block / "dm-0" / "dm").mkdir(parents=True)
    (block / "dm-0" / "dm" / "uuid").write_text("CRYPT-LUKS2-3f6c2a9e1d4b4c8a9e570b2d1c6f8a41-nvme0n1p3_crypt\n")
    (block / "dm-1" / "dm").mkdir(parents=True)
    (block / "dm-1" / "dm" / "uuid").write_text("LVM-Xc3k0b0w2Yt9fUq1xqg8Yy4h2T5lq0tqj4d8kJq0\n")
    (block / "dm-1" / "slaves" / "dm-0").mkdir(parents=True)
    (block / "sda1").mkdir()
    assert dm_chain_encrypted("/dev/dm-1", tmp_path).value is True
    assert dm_chain_encrypted("/dev/sda1", tmp_path).value is False
    assert dm_chain_encrypted("/dev/nvme9", tmp_path).value is None
    # no lsblk: the mount's device is followed through /sys
    mounts = parse_proc_mounts("/dev/dm-1 / ext4 rw 0 0\n")
    assert linux_mount_reading("/", mount_for("/", mounts), None, tmp_path).value is True


@pytest.mark.parametrize("name, value", [("macos_fdesetup_on.txt", True), ("macos_fdesetup_off.txt", False),
                                         ("macos_fdesetup_encrypting.txt", False),
                                         ("macos_fdesetup_deferred.txt", False)])
def test_fdesetup(name, value):
    assert parse_fdesetup(text(name)).value is value
    assert parse_fdesetup("fdesetup: command failed\n").value is None


@pytest.mark.parametrize("name, value", [("windows_manage_bde_on.txt", True), ("windows_manage_bde_off.txt", False),
                                         ("windows_manage_bde_suspended.txt", False),
                                         ("windows_manage_bde_used_space_only.txt", True),
                                         ("windows_manage_bde_used_space_only_suspended.txt", False),
                                         ("windows_manage_bde_denied.txt", None)])
def test_manage_bde(name, value):
    reading = parse_manage_bde(text(name))
    assert reading.value is value
    if value is None:
        assert "administrator" in reading.detail


def test_powershell_and_shell_bitlocker():
    assert parse_bitlocker_volume_json(text("windows_get_bitlockervolume.json")).value is True
    assert parse_bitlocker_volume_json(text("windows_get_bitlockervolume_encrypting.json")).value is False
    assert parse_shell_bitlocker(text("windows_shell_bitlockerprotection_on.txt")).value is True
    assert parse_shell_bitlocker(text("windows_shell_bitlockerprotection_off.txt")).value is False
    assert parse_shell_bitlocker("").value is None


def test_windows_registry_screen_lock_and_updates():
    secure = parse_reg_query(text("windows_reg_desktop_secure.txt"))
    assert secure["ScreenSaveTimeOut"] == "600"
    assert windows_screen_lock(secure, {}).value is True
    assert windows_screen_lock(parse_reg_query(text("windows_reg_desktop_insecure.txt")), {}).value is False
    policy = parse_reg_query(text("windows_reg_policy_inactivity.txt"))
    assert windows_screen_lock({}, policy).value is True and "900 s" in windows_screen_lock({}, policy).detail
    assert windows_screen_lock({}, {}).value is None
    assert windows_auto_updates(parse_reg_query(text("windows_reg_au_noautoupdate.txt"))).value is False
    assert windows_auto_updates(parse_reg_query(text("windows_reg_au_auto.txt"))).value is True
    assert windows_auto_updates(None).value is True


def captured(returncode: int, stdout: str = "", stderr: str = ""):
    """A runner answering every command with one captured result."""
    return lambda argv, timeout: CommandResult(returncode, stdout, stderr)


def sleeper(argv, timeout):
    """A runner whose commands really run and time out: each is a sleeping Python."""
    return run_command([sys.executable, "-c", "import time; time.sleep(30)"], 0.2)


def missing(argv, timeout):
    return run_command(["cyberaudit-no-such-command-" + argv[0]], timeout)


def test_windows_updates_default_only_when_reg_says_the_key_does_not_exist():
    assert windows_updates(captured(0, text("windows_reg_au_auto.txt"))).value is True
    assert windows_updates(captured(0, text("windows_reg_au_noautoupdate.txt"))).value is False
    # reg's "key not found" (exit code 1, on stderr): no policy, so the Windows default applies
    absent = windows_updates(captured(1, "", text("windows_reg_key_not_found.txt")))
    assert absent.value is True and "by default" in absent.detail
    # anything else is unknown, with the reason
    denied = windows_updates(captured(1, "", text("windows_reg_access_denied.txt")))
    assert denied.value is None and "access denied" in denied.detail
    assert windows_updates(captured(1, "", "ERREUR : Le système n'a pas trouvé la clé\r\n")).value is None
    assert windows_updates(captured(5, "", text("windows_reg_key_not_found.txt"))).value is None
    timed_out = windows_updates(sleeper)
    assert timed_out.value is None and "timed out" in timed_out.detail
    gone = windows_updates(missing)
    assert gone.value is None and "not installed" in gone.detail


def test_windows_screen_lock_unreadable_registry_says_why():
    reading = windows_lock(sleeper)
    assert reading.value is None and "timed out" in reading.detail
    assert windows_lock(captured(0, text("windows_reg_desktop_secure.txt"))).value is True


def test_windows_disk_reason_says_what_happened():
    timed_out = windows_disk(sleeper)
    assert timed_out.value is None
    assert timed_out.detail.count("timed out") == 3 and "administrator" not in timed_out.detail
    gone = windows_disk(missing)
    assert gone.value is None and "not installed" in gone.detail and "administrator" not in gone.detail
    denied = windows_disk(captured(1, "", text("windows_manage_bde_denied.txt")))
    assert denied.value is None and "administrator" in denied.detail
    on = windows_disk(lambda argv, t: CommandResult(0, text("windows_manage_bde_used_space_only.txt"), "")
                      if argv[0] == "manage-bde" else CommandResult(1, "", "Access is denied."))
    assert on.value is True and "Used Space Only Encrypted" in on.detail


def test_macos_screen_lock_and_linux_settings():
    assert parse_sysadminctl_screenlock(text("macos_sysadminctl_immediate.txt")).value is True
    assert parse_sysadminctl_screenlock(text("macos_sysadminctl_300.txt")).value is True
    assert parse_sysadminctl_screenlock(text("macos_sysadminctl_off.txt")).value is False
    assert parse_gsettings("true\n", "uint32 300\n").value is True
    assert parse_gsettings("true\n", "uint32 0\n").value is False
    assert parse_gsettings("false\n", "uint32 300\n").value is False
    assert parse_apt_config(text("linux_apt_config_dump.txt"), True).value is True
    assert parse_apt_config(text("linux_apt_config_dump_off.txt"), True).value is False
    assert parse_apt_config(text("linux_apt_config_dump.txt"), False).value is False


def test_declared_answer_fills_in_and_says_so():
    facts, reason = decide(Reading(None, "overlay root", "mounts"), True, "the disk is encrypted",
                           "disk_encrypted", scanned=True)
    assert facts["value"] is True and facts["source"] == "declared" and "overlay root" in facts["detail"]
    assert reason is None
    facts, reason = decide(Reading(False, "FileVault is Off", "fdesetup"), True, "x", "disk_encrypted", True)
    assert facts["value"] is False and facts["source"] == "this machine" and "declares true" in facts["detail"]
    facts, reason = decide(Reading(None, "overlay root", "mounts"), None, "the disk is encrypted",
                           "disk_encrypted", scanned=True)
    assert facts["value"] is None and "controls.devices.disk_encrypted" in reason


def run(devices):
    prof = profile({"controls": {"devices": devices}})
    return PROBE.run(practice(prof), context(prof)), practice(prof)


def test_not_this_machine_uses_only_declared_answers():
    out, t = run({"scan_this_machine": False, "disk_encrypted": True, "screen_lock": False})
    assert out.facts["disk"] == {"encrypted": True, "source": "declared", "method": None,
                                 "detail": "declared in the profile"}
    assert status("ENC-DISK", out, t) == "pass"
    assert status("ENC-SCREEN-LOCK", out, t) == "fail"
    f = finding("ENC-AUTO-UPDATES", out, t)
    assert f.status == "error" and "controls.devices.auto_updates" in f.message


def test_real_run_on_this_machine_is_definite_or_an_explicit_unknown():
    out, t = run({"scan_this_machine": True})
    for key, value_name in (("disk", "encrypted"), ("screen_lock", "enabled"), ("auto_updates", "enabled")):
        fact = out.facts[key]
        assert fact["detail"], key
        if fact[value_name] is None:
            assert out.errors[f"device.{key}.{value_name}"], key
        else:
            assert fact["source"] == "this machine" and fact["method"], key
    disk = finding("ENC-DISK", out, t)
    assert disk.status == {True: "pass", False: "fail", None: "error"}[out.facts["disk"]["encrypted"]]
