"""Progress display for scans: a rich bar on a terminal, plain lines otherwise."""

from __future__ import annotations

import time

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from cyberaudit.engine import Task, TaskResult


class RichObserver:
    def __init__(self, console: Console) -> None:
        self._progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                  TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                                  console=console, transient=True)
        self._task_id = None

    def started(self, total: int) -> None:
        self._progress.start()
        self._task_id = self._progress.add_task("scanning", total=total)

    def task_done(self, task: Task, result: TaskResult, done: int, total: int) -> None:
        assert self._task_id is not None
        self._progress.update(self._task_id, completed=done,
                              description=f"{task.probe} {task.target.id}"[:60])

    def finished(self) -> None:
        self._progress.stop()


class PlainObserver:
    """For logs and CI (no colours, no cursor movement): a line for each probe run that did not
    finish well, and a progress line at most every `every` seconds."""

    def __init__(self, console: Console, every: float = 10.0) -> None:
        self._console = console
        self._every = every
        self._started = self._last = time.monotonic()

    def started(self, total: int) -> None:
        self._started = self._last = time.monotonic()
        self._console.print(f"scanning: {total} probe runs", markup=False, highlight=False)

    def task_done(self, task: Task, result: TaskResult, done: int, total: int) -> None:
        run = result.run
        now = time.monotonic()
        if run.status != "ok":
            extra = f": {run.error}" if run.error else ""
            self._console.print(f"[{done}/{total}] {task.probe} {task.target.id} {run.status} "
                                f"({run.duration_ms} ms){extra}", markup=False, highlight=False, soft_wrap=True)
        elif done == total or now - self._last >= self._every:
            elapsed = now - self._started
            eta = f", about {elapsed / done * (total - done):.0f} s left" if done < total else ""
            self._console.print(f"[{done}/{total}] {elapsed:.0f} s{eta}", markup=False, highlight=False)
        else:
            return
        self._last = now

    def finished(self) -> None:
        pass
