"""Saved results of earlier scans, so each report can say what changed since last time."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from cyberaudit.diff import ResultDiff, diff_results
from cyberaudit.errors import InputError
from cyberaudit.outfiles import make_dirs, write_private
from cyberaudit.result import Result, load_result, load_result_head, parse_timestamp

HISTORY_DIRNAME = ".cyberaudit-history"
_NAME = re.compile(r"^result-(\d{8}T\d{6}Z)(?:-(\d+))?\.json$")


@dataclass(frozen=True)
class TrendPoint:
    generated_at: str
    score: float | None
    grade: str | None


@dataclass(frozen=True)
class HistoryEntry:
    """One saved result: its file and its place on the trend. The Result itself is read from the
    file when asked for, so a long history of a large profile is never held in memory at once."""

    path: Path
    point: TrendPoint

    @property
    def result(self) -> Result:
        """Read from the file on each use: a comparison made, the Result is let go."""
        return load_result(self.path)


@dataclass(frozen=True)
class HistoryContext:
    """What a report needs from history: the comparison with the previous result and the trend."""

    saved_to: Path | None
    previous: HistoryEntry | None
    changes: ResultDiff | None
    trend: tuple[TrendPoint, ...]
    skipped: tuple[str, ...] = ()  # damaged history files left out, with the reason


def default_history_dir(profile_path: str | Path) -> Path:
    return Path(profile_path).resolve().parent / HISTORY_DIRNAME


def _stamp(result: Result) -> str:
    return _stamp_of(result.generated_at)


def _stamp_of(generated_at: str) -> str:
    when = parse_timestamp(generated_at) or dt.datetime.now(dt.timezone.utc)
    return when.strftime("%Y%m%dT%H%M%SZ")


def save_result(result: Result, directory: str | Path) -> Path:
    """Write the result as result-<UTC time>.json; never overwrites an earlier file."""
    directory = Path(directory)
    try:
        make_dirs(directory)  # 0700: saved results are reports too
    except OSError as exc:
        raise InputError(f"cannot create history folder: {exc.strerror}", directory) from None
    stem = f"result-{_stamp(result)}"
    for n in range(1, 1000):
        path = directory / (f"{stem}.json" if n == 1 else f"{stem}-{n}.json")
        try:
            # exclusive: two scans finishing in the same second each keep their own file. Written
            # as it is encoded (a Result of thousands of targets is never held as one text); the
            # file is created before the first piece is made, so a clash costs no encoding.
            return write_private(path, result.json_chunks(), exclusive=True)
        except FileExistsError:
            continue
        except OSError as exc:
            raise InputError(f"cannot write history: {exc.strerror}", path) from None
    raise InputError("too many results saved in the same second", directory)


def load_history(directory: str | Path, *, profile_path: str | None = None,
                 skipped: list[str] | None = None) -> list[HistoryEntry]:
    """Saved results, oldest first; with `profile_path`, only those of that profile.

    A damaged file is left out (its reason appended to `skipped`): one bad file must not end history.
    """
    directory = Path(directory)
    if not directory.is_dir():
        return []
    found = []
    for path in directory.iterdir():
        m = _NAME.match(path.name)
        if not m:
            continue
        try:
            # only the head: a year of weekly results of a large profile is never read whole
            head = load_result_head(path, profile_path)
        except InputError as exc:
            _skip(exc, skipped)
            continue
        if head is None:
            continue  # another profile's
        # result-T.json, result-T-2.json, ...: saved in that order within the same second
        point = TrendPoint(head.generated_at, head.overall.score, head.overall.grade)
        found.append(((_stamp_of(head.generated_at), int(m.group(2) or 1)), HistoryEntry(path, point)))
    found.sort(key=lambda item: item[0])
    return [entry for _, entry in found]


def _skip(exc: InputError, skipped: list[str] | None) -> None:
    if skipped is not None:
        lines = exc.lines()  # a warning stays one line however many problems the file has
        skipped.append(lines[0] + (f" (and {len(lines) - 1} more)" if len(lines) > 1 else ""))


def trend_of(results: list[Result]) -> tuple[TrendPoint, ...]:
    return tuple(TrendPoint(r.generated_at, r.scores.overall.score, r.scores.overall.grade) for r in results)


def context_for(result: Result, earlier: list[HistoryEntry], skipped: list[str] | None = None) -> HistoryContext:
    """Compare a result with the latest earlier one (entries oldest first, not including `result`).

    Only the one compared with is read whole; if it is damaged past its head, the one before it is used.
    """
    earlier = list(earlier)
    changes = None
    while earlier and changes is None:
        try:
            changes = diff_results(earlier[-1].result, result)
        except InputError as exc:
            _skip(exc, skipped)
            earlier.pop()
    return HistoryContext(
        saved_to=None,
        previous=earlier[-1] if earlier else None,
        changes=changes,
        trend=tuple(e.point for e in earlier) + trend_of([result]),
    )


def record(result: Result, directory: str | Path) -> HistoryContext:
    """Compare with the saved results of the same profile, then save this one beside them."""
    skipped: list[str] = []
    earlier = load_history(directory, profile_path=result.profile.path, skipped=skipped)
    ctx = context_for(result, earlier, skipped)
    saved = save_result(result, directory)
    return HistoryContext(saved, ctx.previous, ctx.changes, ctx.trend, tuple(skipped))


def context_before(result: Result, directory: str | Path) -> HistoryContext:
    """History as it stood when `result` was made: only saved results of its profile older than it."""
    stamp = _stamp(result)
    skipped: list[str] = []
    earlier = [e for e in load_history(directory, profile_path=result.profile.path, skipped=skipped)
               if _stamp_of(e.point.generated_at) < stamp]
    ctx = context_for(result, earlier, skipped)
    return HistoryContext(ctx.saved_to, ctx.previous, ctx.changes, ctx.trend, tuple(skipped))
