"""Walking a folder for file ages and sizes: os.scandir, no symlinks followed, no file ever opened."""

from __future__ import annotations

import fnmatch
import heapq
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

KEEP_OLDEST = 20
_SAMPLE_ERRORS = 20


@dataclass(frozen=True)
class OldFile:
    """One of the oldest files: its path relative to the walked folder and its age."""

    path: str
    age_days: float


@dataclass
class WalkResult:
    """What a walk found. `complete` is false when the deadline stopped it."""

    files: int = 0
    bytes: int = 0
    over_max_age: int = 0
    oldest: list[OldFile] = field(default_factory=list)
    permission_errors: int = 0
    error_paths: list[str] = field(default_factory=list)
    symlinks_skipped: int = 0
    complete: bool = True


def _matcher(patterns: list[str]) -> Callable[[str, str], bool]:
    if not patterns:
        return lambda _name, _rel: True
    lowered = [p.lower() for p in patterns]

    def match(name: str, rel: str) -> bool:
        # a pattern with a slash is matched against the relative path, else against the name;
        # case-insensitive, as on the macOS and Windows disks practices use
        return any(fnmatch.fnmatchcase(rel.lower() if "/" in p else name.lower(), p) for p in lowered)
    return match


def walk_folder(root: Path, patterns: list[str], max_age_days: float | None, now: float | None = None,
                deadline: float | None = None,
                scandir: Callable[[str], Iterator[os.DirEntry[str]]] = os.scandir) -> WalkResult:
    """Count matching files under `root` by age; symlinks are never followed (and not counted).

    `scandir` is the directory lister (os.scandir); it is a parameter so the permission-error path
    can be exercised where the test runs as root, which no file mode stops.
    """
    now = time.time() if now is None else now
    limit = None if max_age_days is None else max_age_days * 86400.0
    matches = _matcher(patterns)
    result = WalkResult()
    heap: list[tuple[float, str]] = []  # (-mtime, rel): the newest of the kept oldest on top
    stack: list[tuple[str, str]] = [(str(root), "")]
    seen = 0
    while stack:
        path, rel = stack.pop()
        try:
            it = scandir(path)
        except PermissionError:
            _note_error(result, rel or ".")
            continue
        except (FileNotFoundError, NotADirectoryError):
            continue  # removed or replaced while walking
        except OSError:
            _note_error(result, rel or ".")
            continue
        with it:
            while True:
                try:
                    entry = next(it)
                except StopIteration:
                    break
                except PermissionError:
                    _note_error(result, rel or ".")
                    break
                except OSError:
                    _note_error(result, rel or ".")
                    break
                seen += 1
                if deadline is not None and seen % 1000 == 0 and time.monotonic() > deadline:
                    result.complete = False
                    break
                child_rel = f"{rel}/{entry.name}" if rel else entry.name
                try:
                    if entry.is_symlink():
                        result.symlinks_skipped += 1
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        stack.append((entry.path, child_rel))
                        continue
                    if not entry.is_file(follow_symlinks=False) or not matches(entry.name, child_rel):
                        continue
                    st = entry.stat(follow_symlinks=False)
                except PermissionError:
                    _note_error(result, child_rel)
                    continue
                except FileNotFoundError:
                    continue
                except OSError:
                    _note_error(result, child_rel)
                    continue
                result.files += 1
                result.bytes += st.st_size
                age = now - st.st_mtime
                if limit is not None and age > limit:
                    result.over_max_age += 1
                item = (-st.st_mtime, child_rel)
                if len(heap) < KEEP_OLDEST:
                    heapq.heappush(heap, item)
                elif item > heap[0]:
                    heapq.heapreplace(heap, item)
        if not result.complete:
            break
    result.oldest = [OldFile(rel_path, round(max(0.0, now + neg) / 86400.0, 1))
                     for neg, rel_path in sorted(heap, reverse=True)]
    return result


def _note_error(result: WalkResult, rel: str) -> None:
    result.permission_errors += 1
    if len(result.error_paths) < _SAMPLE_ERRORS:
        result.error_paths.append(rel)
