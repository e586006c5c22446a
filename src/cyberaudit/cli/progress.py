"""Progress display for scans: a rich bar on a terminal, plain lines otherwise."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from cyberaudit.engine import Task, TaskResult


class RichObserver:
    def __init__(self, console: Console) -> None:
        self._progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                  TimeElapsedColumn(), console=console, transient=True)
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
    """One line a finished probe run, for logs and CI (no colours, no cursor movement)."""

    def __init__(self, console: Console) -> None:
        self._console = console

    def started(self, total: int) -> None:
        self._console.print(f"scanning: {total} probe runs", markup=False, highlight=False)

    def task_done(self, task: Task, result: TaskResult, done: int, total: int) -> None:
        status = result.run.status
        extra = f": {result.run.error}" if result.run.error else ""
        self._console.print(f"[{done}/{total}] {task.probe} {task.target.id} {status} "
                            f"({result.run.duration_ms} ms){extra}", markup=False, highlight=False)

    def finished(self) -> None:
        pass
