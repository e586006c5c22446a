"""Walk speed and memory of the retention probe's folder walk on 100,000 files.

Run: PYTHONPATH=src python benchmarks/retention_walk.py [--files N] [--dirs D]
Creates N empty files spread over D nested folders in a temporary directory (a tenth of them dated
two years back), walks the tree twice (cold-ish, then warm cache) and prints files/second and the
peak Python memory of the walk (tracemalloc), then removes the tree.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import tempfile
import time
import tracemalloc
from pathlib import Path

from cyberaudit.probes.retention.folder_walk import walk_folder


def build(root: Path, files: int, dirs: int) -> None:
    old = time.time() - 730 * 86400
    per_dir = max(1, files // dirs)
    made = 0
    for d in range(dirs):
        folder = root / f"client-{d // 10:03d}" / f"year-{d % 10}"
        folder.mkdir(parents=True, exist_ok=True)
        for i in range(per_dir):
            if made >= files:
                return
            path = folder / f"note-{i:05d}.txt"
            path.touch()
            if made % 10 == 0:
                os.utime(path, (old, old))
            made += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--dirs", type=int, default=1_000)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="cyberaudit-walk-"))
    try:
        t0 = time.perf_counter()
        build(root, args.files, args.dirs)
        print(f"created {args.files} files in {args.dirs} folders in {time.perf_counter() - t0:.1f} s")
        for label in ("first walk", "second walk"):
            tracemalloc.start()
            t0 = time.perf_counter()
            result = walk_folder(root, ["*.txt"], 365)
            elapsed = time.perf_counter() - t0
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            assert result.files == args.files and result.over_max_age == args.files // 10, result
            print(f"{label}: {result.files} files in {elapsed:.2f} s = {result.files / elapsed:,.0f} files/s "
                  f"(under tracemalloc), peak traced memory {peak / 1024:.0f} KiB")
        t0 = time.perf_counter()
        walk_folder(root, ["*.txt"], 365)
        elapsed = time.perf_counter() - t0
        print(f"untraced walk: {args.files / elapsed:,.0f} files/s; "
              f"process max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
