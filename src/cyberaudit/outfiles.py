"""Writing results, reports and history: private to the user who ran the scan unless asked otherwise.

A report names the practice, its staff's addresses and its weaknesses. Files are written with mode
0600 and the folders cyberaudit creates for them with 0700, whatever the umask; folders that
already exist keep their mode. CYBERAUDIT_FILE_MODE (octal, such as 0640) widens the file mode on
purpose, for a folder shared with a team.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterable
from pathlib import Path

from cyberaudit.errors import InputError

ENV_FILE_MODE = "CYBERAUDIT_FILE_MODE"
FILE_MODE = 0o600
DIR_MODE = 0o700


def file_mode() -> int:
    """The mode for files written: 0600, or CYBERAUDIT_FILE_MODE when it is set."""
    text = os.environ.get(ENV_FILE_MODE, "").strip()
    if not text:
        return FILE_MODE
    try:
        mode = int(text, 8)
    except ValueError:
        raise InputError(f"{ENV_FILE_MODE}={text!r} is not an octal file mode such as 0600 or 0640") from None
    if not 0 <= mode <= 0o777 or not mode & 0o600 == 0o600:
        raise InputError(f"{ENV_FILE_MODE}={text!r}: the owner must be able to read and write (0600 to 0777)")
    return mode


def make_dirs(folder: str | Path) -> Path:
    """Create `folder` and any missing parents with mode 0700; existing folders are left as they are."""
    folder = Path(folder)
    missing = []
    current = folder
    while not current.exists() and current != current.parent:
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        try:
            path.mkdir(mode=DIR_MODE)
        except FileExistsError:
            continue
        os.chmod(path, DIR_MODE)  # mkdir's mode is cut by the umask; 0700 is what was meant
    if not folder.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder))
    return folder


def write_private(path: str | Path, data: str | bytes | Iterable[str], *, exclusive: bool = False) -> Path:
    """Write `data` (text as UTF-8; or text in pieces) to `path` with the private file mode, replacing any earlier content.

    An existing file gets the private mode too. With `exclusive`, an existing file raises
    FileExistsError instead. OSError is left to the caller, which knows what the file was for.
    """
    path = Path(path)
    mode = file_mode()
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags, mode)
    try:
        if hasattr(os, "fchmod"):
            # someone else's file we may write to: its mode is theirs to set
            with contextlib.suppress(PermissionError):
                os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            fd = -1
            if isinstance(data, (str, bytes)):
                fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            else:  # a large Result is written as it is encoded, never held whole
                for piece in data:
                    fh.write(piece.encode("utf-8"))
    finally:
        if fd != -1:
            os.close(fd)
    return path
