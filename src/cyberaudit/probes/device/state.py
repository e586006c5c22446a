"""Parsers for what operating systems say about disk encryption, screen lock and updates.

Pure functions over command output or file text, so each is tested on captured outputs of every
OS. Each returns a Reading: a definite True/False, or None with the reason it cannot tell.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Reading:
    """An answer from the OS: `value` None means it could not tell, and `detail` says why."""

    value: bool | None
    detail: str
    method: str


# file systems that sit on no local disk of their own, so the disk beneath cannot be judged from here
_NO_LOCAL_DISK = {"overlay", "aufs", "tmpfs", "ramfs", "9p", "virtiofs", "nfs", "nfs4", "cifs", "smb3",
                  "fuse", "squashfs", "rootfs"}


@dataclass(frozen=True)
class Mount:
    source: str
    mountpoint: str
    fstype: str


def _unescape(field: str) -> str:
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def parse_proc_mounts(text: str) -> list[Mount]:
    """/proc/self/mounts (fstab format, octal escapes) → mounts in order."""
    out = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 3:
            out.append(Mount(_unescape(parts[0]), _unescape(parts[1]), parts[2]))
    return out


def mount_for(path: str, mounts: list[Mount]) -> Mount | None:
    """The mount holding `path`: the longest matching mount point, the last mounted on a tie."""
    best: Mount | None = None
    for m in mounts:
        mp = m.mountpoint
        holds = mp == "/" or path == mp or path.startswith(mp.rstrip("/") + "/")
        if holds and (best is None or len(mp) >= len(best.mountpoint)):
            best = m
    return best


def parse_lsblk(text: str) -> dict[str, tuple[bool, list[str]]]:
    """`lsblk -J -o NAME,TYPE,FSTYPE,MOUNTPOINT(S)` → {mount point: (encrypted, device chain)}.

    lsblk nests holders under the devices they sit on (disk → part → crypt → lvm); a mount point is
    on an encrypted disk when a `crypt` device or a crypto_LUKS container is on its chain.
    """
    data = json.loads(text)
    found: dict[str, tuple[bool, list[str]]] = {}

    def visit(node: dict, chain: list[str], encrypted: bool) -> None:
        name = str(node.get("name", "?"))
        here = encrypted or node.get("type") == "crypt" or node.get("fstype") == "crypto_LUKS"
        chain = [*chain, f"{name} ({node.get('type')})"]
        points = node.get("mountpoints")
        if points is None:
            points = [node.get("mountpoint")]
        for mp in points:
            if mp and mp not in found:
                found[mp] = (here, chain)
        for child in node.get("children") or []:
            visit(child, chain, here)

    for dev in data.get("blockdevices", []):
        visit(dev, [], False)
    return found


def dm_chain_encrypted(device: str, sys_root: Path = Path("/sys")) -> Reading:
    """Whether a block device is, or sits on, a dm-crypt mapping, from /sys/block/*/dm/uuid."""
    name = Path(device).name
    seen: set[str] = set()

    def walk(dev: str) -> bool | None:
        if dev in seen:
            return False
        seen.add(dev)
        block = sys_root / "class" / "block" / dev
        if not block.exists():
            return None
        uuid_file = block / "dm" / "uuid"
        if uuid_file.exists():
            try:
                uuid = uuid_file.read_text().strip()
            except OSError:
                return None
            if uuid.startswith("CRYPT-"):
                return True
        slaves = block / "slaves"
        results = [walk(s.name) for s in slaves.iterdir()] if slaves.is_dir() else []
        if any(r is True for r in results):
            return True
        if any(r is None for r in results):
            return None
        return False

    value = walk(name)
    if value is None:
        return Reading(None, f"{device} is not listed under {sys_root}/class/block", "sysfs")
    return Reading(value, f"{device} {'sits on a dm-crypt (LUKS) mapping' if value else 'has no dm-crypt layer'}",
                   "sysfs")


def linux_mount_reading(path: str, mount: Mount | None, lsblk: dict[str, tuple[bool, list[str]]] | None,
                        sys_root: Path = Path("/sys")) -> Reading:
    """Whether the file system holding `path` is on an encrypted disk."""
    if mount is None:
        return Reading(None, f"no mount holds {path}", "mounts")
    fstype = mount.fstype
    if fstype == "ecryptfs":
        return Reading(True, f"{path} is on eCryptfs (encrypted home)", "mounts")
    if fstype in _NO_LOCAL_DISK or fstype.startswith("fuse"):
        return Reading(None, f"{path} is on a {fstype} file system ({mount.source}), not a local disk this "
                             f"machine can inspect (a container or a network share?)", "mounts")
    if fstype == "zfs":
        return Reading(None, f"{path} is on ZFS ({mount.source}); ZFS native encryption is not read", "mounts")
    if lsblk is not None and mount.mountpoint in lsblk:
        enc, chain = lsblk[mount.mountpoint]
        verdict = "encrypted (LUKS/dm-crypt)" if enc else "not encrypted"
        return Reading(enc, f"{path}: {' → '.join(chain)}: {verdict}", "lsblk")
    if mount.source.startswith("/dev/"):
        reading = dm_chain_encrypted(mount.source, sys_root)
        return Reading(reading.value, f"{path}: {reading.detail}", reading.method)
    return Reading(None, f"{path} is on {mount.source} ({fstype}), which is not a block device", "mounts")


def combine(readings: list[Reading], what: str) -> Reading:
    """All encrypted → True; any definitely not → False; else unknown with the reasons."""
    details = "; ".join(r.detail for r in readings)
    methods = ",".join(sorted({r.method for r in readings}))
    if any(r.value is False for r in readings):
        return Reading(False, details, methods)
    if readings and all(r.value is True for r in readings):
        return Reading(True, details, methods)
    return Reading(None, details or f"nothing said about {what}", methods)


def parse_fdesetup(text: str) -> Reading:
    """macOS `fdesetup status`."""
    t = text.strip()
    if re.search(r"FileVault is On\.", t):
        if "Encryption in progress" in t:
            return Reading(False, "FileVault is being turned on (encryption in progress)", "fdesetup")
        if "Decryption in progress" in t:
            return Reading(False, "FileVault is being turned off (decryption in progress)", "fdesetup")
        return Reading(True, "FileVault is On", "fdesetup")
    if re.search(r"FileVault is Off\.", t):
        if "Deferred enablement" in t:
            return Reading(False, "FileVault is Off (turning on is deferred to the next sign-out)", "fdesetup")
        return Reading(False, "FileVault is Off", "fdesetup")
    return Reading(None, f"unrecognised fdesetup output: {t[:120]!r}", "fdesetup")


def _field(text: str, label: str) -> str | None:
    m = re.search(rf"^\s*{re.escape(label)}:\s*(.+?)\s*$", text, re.MULTILINE)
    return m.group(1) if m else None


def parse_manage_bde(text: str) -> Reading:
    """Windows `manage-bde -status C:` (English output)."""
    if re.search(r"access .*denied|administrator|elevat", text, re.IGNORECASE) and "Conversion Status" not in text:
        return Reading(None, "manage-bde needs administrator rights", "manage-bde")
    conversion = _field(text, "Conversion Status")
    protection = _field(text, "Protection Status")
    if conversion is None:
        return Reading(None, "manage-bde printed no Conversion Status", "manage-bde")
    # "Used Space Only Encrypted" is the default on new devices: written data is encrypted, free space
    # never held any
    if conversion in ("Fully Encrypted", "Used Space Only Encrypted"):
        if protection and protection.startswith("Protection Off"):
            return Reading(False, "BitLocker is suspended (Protection Off): the key is stored in the clear",
                           "manage-bde")
        return Reading(True, f"BitLocker: {conversion}, {protection or 'protection status not shown'}",
                       "manage-bde")
    return Reading(False, f"BitLocker: {conversion}", "manage-bde")


_VOLUME_STATUS = {0: "FullyDecrypted", 1: "FullyEncrypted", 2: "EncryptionInProgress",
                  3: "DecryptionInProgress", 4: "EncryptionPaused", 5: "DecryptionPaused"}
_PROTECTION = {0: "Off", 1: "On", 2: "Unknown"}


def parse_bitlocker_volume_json(text: str) -> Reading:
    """PowerShell `Get-BitLockerVolume -MountPoint C: | Select-Object ... | ConvertTo-Json`."""
    data = json.loads(text)
    if isinstance(data, list):
        data = data[0] if data else {}
    status = data.get("VolumeStatus")
    protection = data.get("ProtectionStatus")
    status = _VOLUME_STATUS.get(status, status) if isinstance(status, int) else status
    protection = _PROTECTION.get(protection, protection) if isinstance(protection, int) else protection
    if status == "FullyEncrypted" and protection == "On":
        return Reading(True, "BitLocker: FullyEncrypted, protection On", "Get-BitLockerVolume")
    if status == "FullyEncrypted" and protection == "Off":
        return Reading(False, "BitLocker is suspended (protection Off)", "Get-BitLockerVolume")
    if status in _VOLUME_STATUS.values():
        return Reading(False, f"BitLocker: {status}, protection {protection}", "Get-BitLockerVolume")
    return Reading(None, f"unrecognised BitLocker status {status!r}", "Get-BitLockerVolume")


# Windows shell property System.Volume.BitLockerProtection, readable without administrator rights
_SHELL_BITLOCKER = {1: (True, "BitLocker on"), 6: (True, "BitLocker on (locked)"),
                    2: (False, "BitLocker off"), 3: (False, "BitLocker encrypting"),
                    4: (False, "BitLocker decrypting"), 5: (False, "BitLocker suspended"),
                    0: (False, "BitLocker not available on this volume"),
                    8: (False, "BitLocker waiting for activation")}


def parse_shell_bitlocker(text: str) -> Reading:
    """The number printed for the shell property System.Volume.BitLockerProtection of C:."""
    t = text.strip()
    if not t.isdigit() or int(t) not in _SHELL_BITLOCKER:
        return Reading(None, f"unrecognised BitLockerProtection value {t[:40]!r}", "shell")
    value, detail = _SHELL_BITLOCKER[int(t)]
    return Reading(value, detail, "shell")


def parse_reg_query(text: str) -> dict[str, str]:
    """`reg query KEY` output → {value name: data}."""
    out = {}
    for line in text.splitlines():
        m = re.match(r"^\s+(\S.*?)\s+(REG_[A-Z_]+)\s*(.*)$", line)
        if m:
            out[m.group(1)] = m.group(3).strip()
    return out


def reg_key_not_found(returncode: int, text: str) -> bool:
    """Whether `reg query` failed only because the key does not exist (exit code 1 and its message).

    Any other failure (access denied, a localized message this does not know) is not "no key".
    """
    return returncode == 1 and "unable to find the specified registry key" in text.lower()


def _reg_int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value, 16) if value.lower().startswith("0x") else int(value)
    except ValueError:
        return None


def windows_screen_lock(desktop: dict[str, str], policy: dict[str, str]) -> Reading:
    """Screen lock from HKCU\\Control Panel\\Desktop and the machine inactivity-limit policy."""
    limit = _reg_int(policy.get("InactivityTimeoutSecs"))
    if limit:
        return Reading(True, f"machine inactivity limit locks after {limit} s", "registry")
    active, secure = desktop.get("ScreenSaveActive"), desktop.get("ScreenSaverIsSecure")
    timeout = desktop.get("ScreenSaveTimeOut")
    if active == "1" and secure == "1":
        return Reading(True, f"screen saver with password after {timeout or '?'} s", "registry")
    if active == "0" or secure == "0":
        return Reading(False, "the screen saver does not ask for the password" if active == "1"
                       else "the screen saver is off", "registry")
    return Reading(None, "no screen-lock setting in the registry", "registry")


def windows_auto_updates(au_policy: dict[str, str] | None) -> Reading:
    """Windows Update from HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU.

    None means `reg query` said the key does not exist, never that it could not be read.
    """
    if au_policy is None:
        return Reading(True, "no policy changes Windows Update, which installs updates automatically by default",
                       "registry")
    if _reg_int(au_policy.get("NoAutoUpdate")) == 1:
        return Reading(False, "policy NoAutoUpdate=1 turns automatic updates off", "registry")
    option = _reg_int(au_policy.get("AUOptions"))
    if option in (2, 3):
        return Reading(False, f"policy AUOptions={option}: updates are only offered, not installed", "registry")
    return Reading(True, f"Windows Update policy AUOptions={option if option is not None else 'default'}",
                   "registry")


def parse_sysadminctl_screenlock(text: str) -> Reading:
    """macOS `sysadminctl -screenLock status` (printed on stderr)."""
    if re.search(r"screenLock is off", text):
        return Reading(False, "screen lock is off", "sysadminctl")
    m = re.search(r"screenLock delay is (immediate|\d+ seconds)", text)
    if m:
        return Reading(True, f"screen lock after {m.group(1)}", "sysadminctl")
    return Reading(None, f"unrecognised sysadminctl output: {text.strip()[:120]!r}", "sysadminctl")


def parse_defaults_bool(text: str, key: str) -> Reading:
    """macOS `defaults read DOMAIN KEY` printing 1 or 0."""
    t = text.strip()
    if t in ("1", "true"):
        return Reading(True, f"{key} = 1", "defaults")
    if t in ("0", "false"):
        return Reading(False, f"{key} = 0", "defaults")
    return Reading(None, f"{key} is not set", "defaults")


def parse_gsettings(lock_enabled: str, idle_delay: str) -> Reading:
    """GNOME `gsettings get org.gnome.desktop.screensaver lock-enabled` and session idle-delay."""
    lock = lock_enabled.strip()
    m = re.search(r"(\d+)\s*$", idle_delay.strip())
    delay = int(m.group(1)) if m else None
    if lock == "false":
        return Reading(False, "GNOME screen lock is disabled", "gsettings")
    if lock == "true":
        if delay == 0:
            return Reading(False, "GNOME never blanks the screen (idle-delay 0), so it never locks", "gsettings")
        return Reading(True, f"GNOME locks the screen after {delay if delay is not None else '?'} s idle",
                       "gsettings")
    return Reading(None, f"unrecognised gsettings output {lock[:60]!r}", "gsettings")


def parse_apt_config(text: str, unattended_installed: bool) -> Reading:
    """`apt-config dump`: APT::Periodic::Unattended-Upgrade with unattended-upgrades installed."""
    m = re.search(r'^APT::Periodic::Unattended-Upgrade\s+"([^"]*)";', text, re.MULTILINE)
    value = m.group(1) if m else None
    if not unattended_installed:
        return Reading(False, "the unattended-upgrades package is not installed", "apt-config")
    if value is None or value in ("0", ""):
        return Reading(False, "APT::Periodic::Unattended-Upgrade is not enabled", "apt-config")
    return Reading(True, f'APT::Periodic::Unattended-Upgrade "{value}"', "apt-config")
