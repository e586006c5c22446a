"""The `device` probe: this computer's disk encryption, screen lock and automatic updates.

Read-only and without elevated rights: it reads /proc and /sys, runs lsblk, fdesetup, manage-bde,
reg, gsettings or apt-config with a short timeout, and never changes a setting. When the OS cannot
tell, the declared answer from the profile is used and the fact says so; when neither says, the
fact is null with the reason, so the rule reads `error`. Unless the profile says whether this is a
practice computer, it is read only when someone runs the scan on a terminal outside CI; the facts
name the computer that was read.
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import socket
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cyberaudit.errors import ProbeError
from cyberaudit.probes.base import FactSpec, ProbeContext, ProbeOutput
from cyberaudit.probes.device.state import (
    Reading,
    combine,
    linux_mount_reading,
    mount_for,
    parse_apt_config,
    parse_bitlocker_volume_json,
    parse_defaults_bool,
    parse_fdesetup,
    parse_gsettings,
    parse_lsblk,
    parse_manage_bde,
    parse_proc_mounts,
    parse_reg_query,
    parse_shell_bitlocker,
    parse_sysadminctl_screenlock,
    reg_key_not_found,
    windows_auto_updates,
)
from cyberaudit.probes.device.state import (
    windows_screen_lock as windows_lock_from_registry,
)
from cyberaudit.targets import Target, TargetKind

COMMAND_TIMEOUT = 5.0


@dataclass(frozen=True)
class CommandResult:
    """A finished command; `error` says why it could not run (not found, timeout)."""

    returncode: int
    stdout: str
    stderr: str
    error: str | None = None


Runner = Callable[[list[str], float], CommandResult]


def run_command(argv: list[str], timeout: float) -> CommandResult:
    """Run a read-only command without a shell, in the C locale, with a timeout."""
    exe = shutil.which(argv[0])
    if exe is None:
        return CommandResult(127, "", "", f"{argv[0]} is not installed")
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    try:
        done = subprocess.run([exe, *argv[1:]], capture_output=True, text=True, timeout=timeout, env=env,
                              stdin=subprocess.DEVNULL, check=False, errors="replace")
    except subprocess.TimeoutExpired:
        return CommandResult(-1, "", "", f"{argv[0]} timed out after {timeout:g} s")
    except OSError as exc:
        return CommandResult(126, "", "", f"{argv[0]} could not run: {exc.strerror}")
    return CommandResult(done.returncode, done.stdout, done.stderr)


_PARTS = (("disk", "the disk is encrypted", "disk_encrypted"),
          ("screen_lock", "the screen locks automatically", "screen_lock"),
          ("auto_updates", "updates install automatically", "auto_updates"))


def _specs() -> tuple[FactSpec, ...]:
    out = [FactSpec("device.os", "str", "This machine's operating system: linux, darwin or windows."),
           FactSpec("device.scan_this_machine", "bool", "Whether this machine's own state was read "
                                                        "(controls.devices.scan_this_machine, or the "
                                                        "scan runs on a terminal outside CI)."),
           FactSpec("device.unattended", "bool", "Nobody said whether this is a practice computer and the "
                                                 "scan runs unattended (CI, or no terminal), so it was not read."),
           FactSpec("device.reason", "str", "Why this machine was or was not read."),
           FactSpec("device.hostname", "str?", "The name of the computer that was read (null: none was)."),
           FactSpec("device.computer", "str?", "The computer that was read, with its operating system and "
                                               "version (null: none was).")]
    for key, what, _ in _PARTS:
        value = "encrypted" if key == "disk" else "enabled"
        out += [FactSpec(f"device.{key}.{value}", "bool?", f"Whether {what} (null: nobody could tell)."),
                FactSpec(f"device.{key}.source", "str?", "'this machine' or 'declared' (the profile)."),
                FactSpec(f"device.{key}.method", "str?", "How this machine was read (lsblk, sysfs, fdesetup, "
                                                         "manage-bde, registry, gsettings, ...)."),
                FactSpec(f"device.{key}.detail", "str", "What the OS said, or why it could not tell.")]
    return tuple(out)


def linux_disk(run: Runner, mounts_text: str, sys_root: Path = Path("/sys")) -> Reading:
    """Linux: the file systems holding / and /home, through lsblk or /sys."""
    mounts = parse_proc_mounts(mounts_text)
    lsblk = None
    res = run(["lsblk", "-J", "-o", "NAME,TYPE,FSTYPE,MOUNTPOINTS"], COMMAND_TIMEOUT)
    if res.error is None and res.returncode != 0:  # util-linux before 2.37 has MOUNTPOINT only
        res = run(["lsblk", "-J", "-o", "NAME,TYPE,FSTYPE,MOUNTPOINT"], COMMAND_TIMEOUT)
    if res.error is None and res.returncode == 0:
        try:
            lsblk = parse_lsblk(res.stdout)
        except (ValueError, AttributeError):
            lsblk = None
    paths = ["/"]
    home = mount_for("/home", mounts)
    if home is not None and home.mountpoint == "/home":
        paths.append("/home")
    return combine([linux_mount_reading(p, mount_for(p, mounts), lsblk, sys_root) for p in paths], "/")


def darwin_disk(run: Runner) -> Reading:
    res = run(["fdesetup", "status"], COMMAND_TIMEOUT)
    if res.error:
        return Reading(None, res.error, "fdesetup")
    return parse_fdesetup(res.stdout + res.stderr)


_PS = ["powershell", "-NoProfile", "-NonInteractive", "-Command"]


def _why_not(res: CommandResult, what: str) -> str:
    """Why a command gave no usable answer: it timed out, is missing, was refused, or failed."""
    if res.error:
        return f"{what}: {res.error}"
    said = " ".join((res.stderr or res.stdout).split())[:160]
    if re.search(r"access (is )?denied|administrat|elevat", said, re.IGNORECASE):
        return f"{what}: access denied (needs administrator rights)"
    return f"{what} exited with code {res.returncode}" + (f": {said}" if said else "")


def windows_disk(run: Runner) -> Reading:
    reasons = []
    shell = "the shell BitLockerProtection property"
    res = run([*_PS, "(New-Object -ComObject Shell.Application).NameSpace('C:').Self."
                     "ExtendedProperty('System.Volume.BitLockerProtection')"], COMMAND_TIMEOUT)
    if res.error is None and res.returncode == 0:
        reading = parse_shell_bitlocker(res.stdout)
        if reading.value is not None:
            return reading
        reasons.append(reading.detail)
    else:
        reasons.append(_why_not(res, shell))
    res = run(["manage-bde", "-status", "C:"], COMMAND_TIMEOUT)
    if res.error is None:
        reading = parse_manage_bde(res.stdout + res.stderr)
        if reading.value is not None:
            return reading
        reasons.append(reading.detail)
    else:
        reasons.append(_why_not(res, "manage-bde"))
    res = run([*_PS, "Get-BitLockerVolume -MountPoint C: | Select-Object MountPoint,VolumeStatus,"
                     "ProtectionStatus | ConvertTo-Json"], COMMAND_TIMEOUT)
    if res.error is None and res.returncode == 0 and res.stdout.strip():
        try:
            reading = parse_bitlocker_volume_json(res.stdout)
        except ValueError:
            reading = Reading(None, "Get-BitLockerVolume printed no JSON", "Get-BitLockerVolume")
        if reading.value is not None:
            return reading
        reasons.append(reading.detail)
    elif res.error is None and res.returncode == 0:
        reasons.append("Get-BitLockerVolume printed nothing")
    else:
        reasons.append(_why_not(res, "Get-BitLockerVolume"))
    return Reading(None, "; ".join(reasons), "bitlocker")


def linux_screen_lock(run: Runner, env: dict[str, str]) -> Reading:
    if not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        return Reading(None, "no graphical session on this machine", "gsettings")
    lock = run(["gsettings", "get", "org.gnome.desktop.screensaver", "lock-enabled"], COMMAND_TIMEOUT)
    if lock.error or lock.returncode != 0:
        return Reading(None, lock.error or "GNOME screen-lock settings are not available", "gsettings")
    idle = run(["gsettings", "get", "org.gnome.desktop.session", "idle-delay"], COMMAND_TIMEOUT)
    return parse_gsettings(lock.stdout, idle.stdout if idle.returncode == 0 else "")


def linux_auto_updates(run: Runner) -> Reading:
    if shutil.which("apt-config"):
        res = run(["apt-config", "dump"], COMMAND_TIMEOUT)
        if res.error is None and res.returncode == 0:
            installed = shutil.which("unattended-upgrade") is not None or Path(
                "/usr/bin/unattended-upgrade").exists()
            return parse_apt_config(res.stdout, installed)
    if shutil.which("systemctl") and (shutil.which("dnf") or shutil.which("dnf5")):
        for timer in ("dnf-automatic-install.timer", "dnf-automatic.timer", "dnf5-automatic.timer"):
            res = run(["systemctl", "is-enabled", timer], COMMAND_TIMEOUT)
            if res.error is None and res.stdout.strip() == "enabled":
                return Reading(True, f"{timer} is enabled", "systemctl")
        return Reading(False, "no dnf-automatic timer is enabled", "systemctl")
    return Reading(None, "neither apt nor dnf automatic updates can be read on this system", "packages")


def darwin_screen_lock(run: Runner) -> Reading:
    res = run(["sysadminctl", "-screenLock", "status"], COMMAND_TIMEOUT)
    if res.error:
        return Reading(None, res.error, "sysadminctl")
    return parse_sysadminctl_screenlock(res.stdout + res.stderr)


def darwin_auto_updates(run: Runner) -> Reading:
    res = run(["defaults", "read", "/Library/Preferences/com.apple.SoftwareUpdate",
               "AutomaticallyInstallMacOSUpdates"], COMMAND_TIMEOUT)
    if res.error:
        return Reading(None, res.error, "defaults")
    return parse_defaults_bool(res.stdout if res.returncode == 0 else "", "AutomaticallyInstallMacOSUpdates")


def _reg(run: Runner, key: str) -> tuple[dict[str, str] | None, str | None]:
    """`reg query KEY`: (values, None) when read, (None, None) when the key does not exist, and
    (None, reason) when it could not be read (timeout, no reg, access denied, anything else)."""
    res = run(["reg", "query", key], COMMAND_TIMEOUT)
    if res.error is None and res.returncode == 0:
        return parse_reg_query(res.stdout), None
    if res.error is None and reg_key_not_found(res.returncode, res.stdout + res.stderr):
        return None, None
    return None, _why_not(res, f"reg query {key}")


def windows_lock(run: Runner) -> Reading:
    desktop, desktop_error = _reg(run, r"HKCU\Control Panel\Desktop")
    policy, policy_error = _reg(run, r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System")
    reading = windows_lock_from_registry(desktop or {}, policy or {})
    errors = [e for e in (desktop_error, policy_error) if e]
    if reading.value is None and errors:
        return Reading(None, f"the screen-lock settings could not be read: {'; '.join(errors)}", reading.method)
    return reading


def windows_updates(run: Runner) -> Reading:
    policy, error = _reg(run, r"HKLM\SOFTWARE\Policies\Microsoft\Windows\WindowsUpdate\AU")
    if error:
        return Reading(None, f"the Windows Update policy could not be read: {error}", "registry")
    return windows_auto_updates(policy)


def read_this_machine(system: str, run: Runner = run_command) -> dict[str, Reading]:
    """Disk, screen-lock and update readings for this machine's OS ('Linux', 'Darwin', 'Windows')."""
    if system == "Linux":
        try:
            mounts_text = Path("/proc/self/mounts").read_text()
        except OSError as exc:
            disk = Reading(None, f"cannot read /proc/self/mounts: {exc.strerror}", "mounts")
        else:
            disk = linux_disk(run, mounts_text)
        return {"disk": disk, "screen_lock": linux_screen_lock(run, dict(os.environ)),
                "auto_updates": linux_auto_updates(run)}
    if system == "Darwin":
        return {"disk": darwin_disk(run), "screen_lock": darwin_screen_lock(run),
                "auto_updates": darwin_auto_updates(run)}
    if system == "Windows":
        return {"disk": windows_disk(run), "screen_lock": windows_lock(run),
                "auto_updates": windows_updates(run)}
    unknown = Reading(None, f"{system or 'this operating system'} is not supported", "platform")
    return {"disk": unknown, "screen_lock": unknown, "auto_updates": unknown}


def runs_interactively(env: Mapping[str, str] | None = None) -> bool:
    """Whether someone sits at this computer: stdin and stdout are a terminal and `CI` is not set."""
    env = os.environ if env is None else env
    if env.get("CI"):
        return False
    try:
        return os.isatty(0) and os.isatty(1)
    except OSError:
        return False


@dataclass(frozen=True)
class MachineChoice:
    """Whether the scan reads this computer, and why (said in the facts and the report)."""

    read: bool
    unattended: bool
    reason: str


def choose_machine(setting: bool | None, interactive: bool, ci: bool) -> MachineChoice:
    """`scan_this_machine` when set; unset, this computer is read only on a terminal outside CI."""
    key = "controls.devices.scan_this_machine"
    if setting is True:
        return MachineChoice(True, False, f"{key} is true")
    if setting is False:
        return MachineChoice(False, False, f"{key} is false: the declared answers are used")
    if interactive:
        return MachineChoice(True, False, f"{key} is not set and the scan runs on a terminal here; set it to "
                                          "false if this is not a computer used for client work")
    where = "in CI (the CI variable is set)" if ci else "without a terminal (for example from a script or CI)"
    return MachineChoice(False, True, f"the scan runs {where} and {key} is not set, so this computer was not "
                                      f"read: it may not be one the practice uses. Set {key}: true on a "
                                      "computer used for client work, or declare the answers")


def describe_computer(system: str) -> str:
    """This computer's name and operating system, e.g. 'desk-3 (Debian GNU/Linux 12, Linux 6.1.0)'."""
    name = socket.gethostname() or "this computer"
    release = platform.release()
    pretty = ""
    if system == "Linux":
        try:
            pretty = platform.freedesktop_os_release().get("PRETTY_NAME", "")
        except OSError:
            pretty = ""
    elif system == "Darwin":
        pretty = f"macOS {platform.mac_ver()[0]}".strip()
    elif system == "Windows":
        pretty = f"Windows {platform.win32_ver()[0]}".strip()
    kernel = f"{system} {release}".strip()
    return f"{name} ({', '.join(p for p in (pretty, kernel) if p) or 'unknown system'})"


def decide(reading: Reading | None, declared: bool | None, what: str, key: str,
           scanned: bool) -> tuple[dict[str, Any], str | None]:
    """Merge this machine's reading with the declared answer; returns the facts and an error reason."""
    if reading is not None and reading.value is not None:
        detail = reading.detail
        if declared is not None and declared != reading.value:
            detail += f" (the profile declares {str(declared).lower()}; this machine's own state is used)"
        return {"value": reading.value, "source": "this machine", "method": reading.method, "detail": detail}, None
    why = reading.detail if reading is not None else "the profile says not to read this machine"
    if declared is not None:
        note = f"declared in the profile ({why})" if scanned else "declared in the profile"
        return {"value": declared, "source": "declared", "method": None, "detail": note}, None
    hint = f"add controls.devices.{key}: true or false"
    reason = (f"this machine could not tell whether {what} ({why}), and the profile does not say: {hint}"
              if scanned else f"the profile does not say whether {what}: {hint}")
    return {"value": None, "source": None, "method": reading.method if reading else None, "detail": why}, reason


class DeviceProbe:
    """This machine's (or the declared) disk encryption, screen lock and automatic updates."""

    name = "device"
    title = "This computer's encryption, screen lock and updates"
    scopes: frozenset[TargetKind] = frozenset({"practice"})
    requires: tuple[str, ...] = ()
    facts = _specs()

    def __init__(self, reader: Callable[[str, Runner], dict[str, Reading]] = read_this_machine,
                 interactive: Callable[[], bool] = runs_interactively) -> None:
        self._reader = reader
        self._interactive = interactive

    def run(self, target: Target, ctx: ProbeContext) -> ProbeOutput:
        if target.kind != "practice":
            raise ProbeError(f"the device probe does not apply to {target.kind} targets")
        devices = ctx.profile.controls.devices
        system = platform.system()
        choice = choose_machine(devices.scan_this_machine, self._interactive(), bool(os.environ.get("CI")))
        scanned = choice.read
        def run(argv: list[str], timeout: float) -> CommandResult:
            # no command may outlive the probe's deadline
            return run_command(argv, max(0.5, min(timeout, ctx.remaining())))

        readings = self._reader(system, run) if scanned else {}
        out = ProbeOutput()
        out.facts = {"os": system.lower(), "scan_this_machine": scanned, "unattended": choice.unattended,
                     "reason": choice.reason, "hostname": socket.gethostname() if scanned else None,
                     "computer": describe_computer(system) if scanned else None}
        for key, what, declared_key in _PARTS:
            value_name = "encrypted" if key == "disk" else "enabled"
            declared = getattr(devices, declared_key)
            facts, reason = decide(readings.get(key), declared, what, declared_key, scanned)
            out.facts[key] = {value_name: facts.pop("value"), **facts}
            if reason and not (choice.unattended and declared is None):
                # unattended with nothing declared, the rule is not_applicable (applies_if), not an error
                out.errors[f"device.{key}.{value_name}"] = reason
        return out


PROBE = DeviceProbe()
