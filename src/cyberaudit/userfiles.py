"""Reading files the user named (profiles, packs, exports, lists, logos) with one clear error each.

Every read is bounded: the file must be a regular file (not a device such as /dev/zero, a FIFO that
may never be written to, or a socket) and no larger than the limit for its kind, checked before
reading and again while reading (a file can grow, and /proc files report size 0).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

from cyberaudit.errors import InputError

MB = 1024 * 1024
MAX_YAML_BYTES = 4 * MB  # profiles, packs, platform catalogues: the built-in ones are under 40 kB
MAX_RESULT_BYTES = 256 * MB  # a Result is about 45 kB per website: 5,000 websites, some 230 MB
MAX_LIST_BYTES = 64 * MB  # tracker lists: the largest public hosts lists are around 30 MB
DEFAULT_MAX_BYTES = MAX_YAML_BYTES


def size_text(size: int) -> str:
    """Bytes in plain words: 512 bytes, 3.5 kB, 300 MB."""
    if size < 1024:
        return f"{size} bytes"
    if size < MB:
        return f"{size / 1024:.1f} kB".replace(".0 kB", " kB")
    return f"{size / MB:.1f} MB".replace(".0 MB", " MB")


def read_user_bytes(path: str | Path, what: str, max_bytes: int | None = DEFAULT_MAX_BYTES) -> bytes:
    """The file's bytes; a missing, unreadable, special or oversized file is an InputError naming it."""
    return b"".join(read_user_chunks(path, what, max_bytes, chunk_size=None))


def read_user_chunks(path: str | Path, what: str, max_bytes: int | None = DEFAULT_MAX_BYTES, *,
                     chunk_size: int | None = 1024 * 1024) -> Iterator[bytes]:
    """The file's bytes in pieces (all at once with no `chunk_size`), bounded as read_user_bytes is."""
    path = Path(path)
    limit = DEFAULT_MAX_BYTES if max_bytes is None else max_bytes
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise InputError(f"{what} is a folder, expected a file", path)
        if not stat.S_ISREG(info.st_mode):
            # opening a FIFO blocks until someone writes; a device such as /dev/zero never ends
            raise InputError(f"{what} is not a regular file (a device, pipe or socket): give a file", path)
        if info.st_size > limit:
            raise InputError(f"{what} is {size_text(info.st_size)}, larger than the {size_text(limit)} limit "
                             f"for this kind of file", path)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            total = 0
            while data := fh.read(limit + 1 - total if chunk_size is None else min(chunk_size, limit + 1 - total)):
                total += len(data)
                if total > limit:
                    raise InputError(f"{what} is larger than the {size_text(limit)} limit for this kind of file",
                                     path)
                yield data
    except FileNotFoundError:
        raise InputError(f"{what} not found", path) from None
    except IsADirectoryError:
        raise InputError(f"{what} is a folder, expected a file", path) from None
    except OSError as exc:
        raise InputError(f"cannot read the {what}: {exc.strerror or exc}", path) from None
