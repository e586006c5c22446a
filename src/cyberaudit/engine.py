"""Plan each (probe, target) pair once and run the pairs on a bounded pool with deadlines.

Probe threads are daemon threads: a probe stuck past its deadline is abandoned (its rules read
`error`) and can never keep the scan, or the process, from finishing.
"""

from __future__ import annotations

import queue
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Protocol

from cyberaudit.errors import CyberauditError, ProbeError
from cyberaudit.packs import Rule
from cyberaudit.probes import available_probes
from cyberaudit.probes.base import Probe, ProbeContext, ProbeOutput
from cyberaudit.result import ProbeRun
from cyberaudit.targets import Target
from cyberaudit.urlsafe import safe_facts, safe_text

GRACE_SECONDS = 2.0
# Probes that talk to servers: what a server sent may carry its secrets (tokens in URLs)
NETWORK_SCOPES = frozenset({"website", "endpoint", "mail_domain"})


@dataclass(frozen=True)
class Task:
    probe: str
    target: Target

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.probe, self.target.kind, self.target.id)


@dataclass(frozen=True)
class TaskResult:
    output: ProbeOutput | None
    run: ProbeRun


class Observer(Protocol):
    """Progress reporting; the CLI supplies one, the core never imports rich."""

    def started(self, total: int) -> None: ...

    def task_done(self, task: Task, result: TaskResult, done: int, total: int) -> None: ...

    def finished(self) -> None: ...


class NullObserver:
    def started(self, total: int) -> None:
        pass

    def task_done(self, task: Task, result: TaskResult, done: int, total: int) -> None:
        pass

    def finished(self) -> None:
        pass


def plan(rules: Iterable[Rule], targets: Iterable[Target],
         probes: Mapping[str, Probe] | None = None) -> list[Task]:
    """Every (probe, target) pair some enabled rule needs, plus the probes those depend on, once each."""
    probes = available_probes() if probes is None else probes
    targets = list(targets)
    wanted: set[tuple[str, str]] = {(r.probe, r.scope) for r in rules}
    tasks: dict[tuple[str, str, str], Task] = {}

    def add(name: str, target: Target) -> None:
        probe = probes.get(name)
        if probe is None or target.kind not in probe.scopes:
            return
        task = Task(name, target)
        if task.key in tasks:
            return
        for dep in probe.requires:
            add(dep, target)
        tasks[task.key] = task

    for target in targets:
        for name, scope in sorted(wanted):
            if scope == target.kind:
                add(name, target)
    return list(tasks.values())


ContextFactory = Callable[[Task, float, dict[str, ProbeOutput]], ProbeContext]


def run_tasks(tasks: list[Task], make_context: ContextFactory, *, concurrency: int = 8,
              timeout: float = 60.0, max_time: float | None = None,
              observer: Observer | None = None,
              probes: Mapping[str, Probe] | None = None,
              on_result: Callable[[Task, TaskResult], None] | None = None,
              ) -> dict[tuple[str, str, str], TaskResult]:
    """Run the tasks, each once, dependencies first; every task ends with a TaskResult.

    With `on_result`, each result is handed to it as the task ends, and an output is kept only until
    the tasks reading it have started: the returned results then carry runs, not outputs.
    """
    observer = observer or NullObserver()
    probes = available_probes() if probes is None else probes
    results: dict[tuple[str, str, str], TaskResult] = {}
    done_q: queue.Queue[tuple[tuple[str, str, str], TaskResult]] = queue.Queue()
    running: dict[tuple[str, str, str], tuple[Task, float, float]] = {}  # key → task, start, hard stop
    total = len(tasks)
    started_at = time.monotonic()
    scan_deadline = started_at + max_time if max_time else None
    # Tasks wait on the planned tasks they need; a finished task releases its waiters. Kept as
    # counts and lists, so a plan of many thousands of tasks is scheduled in linear time.
    planned = {t.key for t in tasks}
    ready: deque[Task] = deque()
    waiters: dict[tuple[str, str, str], list[Task]] = {}
    blocked: dict[tuple[str, str, str], int] = {}
    for task in tasks:
        needs = [k for k in _dep_keys(task, probes) if k in planned]
        if needs:
            blocked[task.key] = len(needs)
            for k in needs:
                waiters.setdefault(k, []).append(task)
        else:
            ready.append(task)
    observer.started(total)

    # Artifacts (page bodies) are for dependent probes only: dropped once the last one has started,
    # so memory does not grow with the number of targets
    readers = {k: len(v) for k, v in waiters.items()}

    def without_artifacts(result: TaskResult) -> TaskResult:
        if on_result is not None:  # the caller has the output: keep the run only
            return result if result.output is None else TaskResult(None, result.run)
        if result.output is None or not result.output.artifacts:
            return result
        return TaskResult(replace(result.output, artifacts={}), result.run)

    def finish(task: Task, result: TaskResult) -> None:
        results[task.key] = result if readers.get(task.key) else without_artifacts(result)
        if on_result is not None:
            on_result(task, result)
        observer.task_done(task, result, len(results), total)
        for waiter in waiters.pop(task.key, ()):
            blocked[waiter.key] -= 1
            if not blocked[waiter.key]:
                del blocked[waiter.key]
                # next, ahead of other targets' first probes: a target's outputs (page bodies
                # among them) are held only until its dependents have run, not until the scan's end
                ready.appendleft(waiter)

    def worker(task: Task, ctx: ProbeContext, start: float) -> TaskResult:
        probe = probes[task.probe]
        network = bool(NETWORK_SCOPES & set(probe.scopes))
        clean = safe_text if network else str
        try:
            output = probe.run(task.target, ctx)
            if not isinstance(output, ProbeOutput):
                raise TypeError(f"probe {task.probe} returned {type(output).__name__}, not ProbeOutput")
            run = ProbeRun(task.probe, "ok", _ms(start))
            if network and not getattr(probe, "redacts_urls", False):
                # every address a server named enters the Result here, query values replaced
                output = ProbeOutput(safe_facts(output.facts), safe_facts(output.errors), output.artifacts)
        except ProbeError as exc:
            output, run = None, ProbeRun(task.probe, "error", _ms(start), clean(str(exc)))
        except CyberauditError as exc:
            output, run = None, ProbeRun(task.probe, "error", _ms(start), clean(str(exc)))
        except Exception as exc:  # a probe bug must not end the scan: its rules read `error`
            tb = traceback.extract_tb(exc.__traceback__)
            where = f" at {tb[-1].filename.rsplit('/', 1)[-1]}:{tb[-1].lineno}" if tb else ""
            output, run = None, ProbeRun(task.probe, "error", _ms(start),
                                         clean(f"internal error in the {task.probe} probe: "
                                               f"{type(exc).__name__}: {exc}{where}"))
        return TaskResult(output, run)

    # Probe threads are reused: starting a thread per task, and waiting for it to start, cost more
    # than many probes. A thread stuck past its deadline is left behind and a new one takes its place.
    work_q: queue.SimpleQueue[tuple[Task, ProbeContext, float] | None] = queue.SimpleQueue()
    pool_lock = threading.Lock()
    idle = 0
    threads = 0

    def pool_thread() -> None:
        nonlocal idle
        while (item := work_q.get()) is not None:
            result = worker(*item)
            with pool_lock:
                idle += 1
            done_q.put((item[0].key, result))

    def dispatch(task: Task, ctx: ProbeContext, start: float) -> None:
        nonlocal idle, threads
        with pool_lock:
            reuse = idle > 0
            idle -= reuse
        work_q.put((task, ctx, start))
        if not reuse:
            threads += 1
            threading.Thread(target=pool_thread, daemon=True, name=f"probe-{threads}").start()

    try:
        while ready or running or blocked:
            now = time.monotonic()
            if scan_deadline is not None and now >= scan_deadline:
                for task, start, _ in running.values():
                    finish(task, TaskResult(None, ProbeRun(task.probe, "timeout", _ms(start),
                                                           f"the scan's overall time limit ({max_time:g}s) "
                                                           f"was reached")))
                running.clear()
                left = [t for t in tasks if t.key not in results]
                for task in left:
                    finish(task, TaskResult(None, ProbeRun(task.probe, "timeout", 0,
                                                           f"not started: the scan's overall time limit "
                                                           f"({max_time:g}s) was reached")))
                ready.clear()
                blocked.clear()
                break
            while ready and len(running) < concurrency:
                task = ready.popleft()
                if task.key in results:
                    continue
                deps = probes[task.probe].requires
                dep_keys = _dep_keys(task, probes)
                failed = [results[k] for k in dep_keys if k in results and results[k].output is None]
                if failed:
                    reason = "; ".join(f"{r.run.probe}: {r.run.error}" for r in failed)
                    finish(task, TaskResult(None, ProbeRun(task.probe, "error", 0,
                                                           f"needs the {', '.join(deps)} probe, which could not "
                                                           f"run ({reason})")))
                    continue
                deps_out = {k[0]: results[k].output for k in dep_keys if k in results}
                for k in dep_keys:
                    if k in readers:
                        readers[k] -= 1
                        if not readers[k] and k in results:
                            results[k] = without_artifacts(results[k])
                start = time.monotonic()
                deadline = start + timeout
                if scan_deadline is not None:
                    deadline = min(deadline, scan_deadline)
                ctx = make_context(task, deadline, deps_out)  # type: ignore[arg-type]
                running[task.key] = (task, start, deadline + GRACE_SECONDS)
                dispatch(task, ctx, start)
            if not running:
                if ready:  # finished without starting anything new (every ready task failed a dependency)
                    continue
                # only tasks that wait on each other remain
                for task in [t for t in tasks if t.key in blocked]:
                    finish(task, TaskResult(None, ProbeRun(task.probe, "error", 0, "dependency not planned")))
                blocked.clear()
                break
            wait_until = min(stop for _, _, stop in running.values())
            if scan_deadline is not None:
                wait_until = min(wait_until, scan_deadline)
            try:
                key, result = done_q.get(timeout=max(0.01, wait_until - time.monotonic()))
            except queue.Empty:
                now = time.monotonic()
                for key, (task, start, stop) in list(running.items()):
                    if now >= stop:
                        del running[key]
                        finish(task, TaskResult(None, ProbeRun(task.probe, "timeout", _ms(start),
                                                               f"the {task.probe} probe did not finish within "
                                                               f"{timeout:g}s")))
                continue
            if key in running:
                task, _, _ = running.pop(key)
                finish(task, result)
    finally:
        # idle probe threads end; one still inside a probe ends when that probe returns
        for _ in range(threads):
            work_q.put(None)
    observer.finished()
    return results


def _dep_keys(task: Task, probes: Mapping[str, Probe]) -> list[tuple[str, str, str]]:
    return [(d, task.target.kind, task.target.id) for d in probes[task.probe].requires]


def _ms(start: float) -> int:
    return int((time.monotonic() - start) * 1000)
