"""Running the shards of one scan in worker processes on this machine, then merging them.

The same path as shards on separate machines (`--shard` and `merge`), so both give the Result an
unsharded scan gives. Inside each worker, probe threads still do the waiting on the network; the
processes are there because parsing pages, certificates and HTML is CPU work that one Python
process can only do on one core.
"""

from __future__ import annotations

import multiprocessing
import os
import queue as queue_mod
import threading
from dataclasses import replace
from typing import Any

from cyberaudit.engine import Observer, Task, TaskResult
from cyberaudit.errors import CyberauditError, InputError
from cyberaudit.merge import merge_results
from cyberaudit.politeness import SharedLimits
from cyberaudit.profile import build_targets
from cyberaudit.result import ProbeRun, Result
from cyberaudit.scan import ScanRequest, load_request_profile, prepare_scan, run_scan
from cyberaudit.shards import Shard
from cyberaudit.targets import Target

# Below this many targets per extra process, a second process costs more than it saves: the
# scan is waiting on the network, not on the CPU.
TARGETS_PER_WORKER = 25


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity mask where the OS has one)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def process_context() -> multiprocessing.context.BaseContext:
    """fork starts children at once with everything imported, but only a process with no other
    thread may fork safely (a lock held by another thread would stay locked in the child)."""
    fork = "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
    return multiprocessing.get_context("fork" if fork else "spawn")


def default_workers(targets: int, cpus: int | None = None) -> int:
    """The CPUs this process may use, but no more than one worker per TARGETS_PER_WORKER targets."""
    return max(1, min(cpus or usable_cpus(), -(-targets // TARGETS_PER_WORKER)))


class _QueueObserver:
    """Forwards a worker's progress to the parent process."""

    def __init__(self, q: Any, index: int) -> None:
        self._q, self._index = q, index

    def started(self, total: int) -> None:
        self._q.put(("started", self._index, total))

    def task_done(self, task: Task, result: TaskResult, done: int, total: int) -> None:
        run = result.run
        self._q.put(("task", self._index, task.probe, task.target.kind, task.target.id,
                     (run.probe, run.status, run.duration_ms, run.error)))

    def finished(self) -> None:
        pass


def _worker(request: ScanRequest, index: int, q: Any) -> None:
    try:
        result = run_scan(request, observer=_QueueObserver(q, index))
        q.put(("result", index, result))  # pickled: a Result made here needs no schema check
    except InputError as exc:
        q.put(("input_error", index, str(exc)))
    except CyberauditError as exc:
        q.put(("error", index, str(exc)))
    except BaseException as exc:  # noqa: BLE001 - the parent must hear of every ending
        q.put(("crash", index, f"{type(exc).__name__}: {exc}"))


def run_in_workers(request: ScanRequest, workers: int | None, observer: Observer | None = None) -> Result:
    """Scan `request` as `workers` shards in child processes and merge them; 1 worker scans here.

    None: `default_workers` for the profile's targets (the profile is read once for both).
    """
    loaded = load_request_profile(request)
    if workers is None:
        workers = default_workers(len(build_targets(loaded)))
    if workers <= 1:
        return run_scan(request, observer=observer, loaded=loaded)
    ctx = process_context()
    if ctx.get_start_method() == "fork":
        prepare_scan(request, loaded)
    q = ctx.Queue()
    # one scan, one set of limits: the workers share the per-IP slots and the connection rate
    shared = replace(request, network=replace(request.network, shared_limits=SharedLimits(ctx)))
    procs = [ctx.Process(target=_worker, args=(replace(shared, shard=Shard(i, workers)), i, q), daemon=True)
             for i in range(1, workers + 1)]
    for p in procs:
        p.start()
    results: dict[int, Result] = {}
    totals: dict[int, int] = {}
    done = 0
    failure: tuple[str, str] | None = None
    try:
        while len(results) < workers and failure is None:
            try:
                msg = q.get(timeout=0.5)
            except queue_mod.Empty:
                dead = [i for i, p in enumerate(procs, 1) if not p.is_alive() and i not in results]
                if dead and q.empty():
                    failure = ("crash", f"worker {dead[0]} ended without a result (exit code "
                                        f"{procs[dead[0] - 1].exitcode})")
                continue
            kind, index = msg[0], msg[1]
            if kind == "started":
                totals[index] = msg[2]
                if len(totals) == workers and observer is not None:
                    observer.started(sum(totals.values()))
            elif kind == "task":
                done += 1
                if observer is not None and len(totals) == workers:
                    probe, tkind, tid, run = msg[2], msg[3], msg[4], msg[5]
                    observer.task_done(Task(probe, Target(tkind, tid)), TaskResult(None, ProbeRun(*run)),
                                       done, sum(totals.values()))
            elif kind == "result":
                results[index] = msg[2]
            else:
                failure = (kind, msg[2])
    finally:
        for p in procs:
            if p.is_alive() and len(results) < workers:
                p.terminate()  # a failed worker, or Ctrl-C: the others' work is of no use now
            p.join(timeout=5)
        if observer is not None and len(totals) == workers:
            observer.finished()
    if failure is not None:
        kind, text = failure
        if kind == "input_error":
            raise InputError(text)
        raise CyberauditError(f"a scan worker failed: {text}")
    return merge_results([results[i] for i in range(1, workers + 1)])
