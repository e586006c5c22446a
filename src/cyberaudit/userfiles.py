"""Reading files the user named (profiles, packs, exports, lists, logos) with one clear error each."""

from __future__ import annotations

from pathlib import Path

from cyberaudit.errors import InputError


def read_user_bytes(path: str | Path, what: str, max_bytes: int | None = None) -> bytes:
    """The file's bytes; a missing, unreadable, oversized file or a folder is an InputError naming it."""
    path = Path(path)
    try:
        if max_bytes is not None:
            size = path.stat().st_size
            if size > max_bytes:
                raise InputError(f"{what} is {size} bytes, larger than the {max_bytes} byte limit", path)
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{what} not found", path) from None
    except IsADirectoryError:
        raise InputError(f"{what} is a folder, expected a file", path) from None
    except OSError as exc:
        raise InputError(f"cannot read the {what}: {exc.strerror}", path) from None
