"""The engine: each (probe, target) once, dependencies first, bounded, deadlines that always end."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from cyberaudit.engine import Task, plan, run_tasks
from cyberaudit.errors import ProbeError
from cyberaudit.network import Network
from cyberaudit.probes.base import FactSpec, ProbeContext, ProbeOutput, ScanOptions
from cyberaudit.profile import Practice, Profile
from cyberaudit.targets import Target


@dataclass
class ScriptedProbe:
    """A probe whose behaviour the test chooses, to exercise the scheduler itself."""

    name: str
    behaviour: str = "ok"  # ok, raise, crash, hang
    requires: tuple[str, ...] = ()
    scopes: frozenset = frozenset({"website"})
    title: str = "scripted"
    facts: tuple = (FactSpec("x.value", "int", "a value"),)
    calls: list = field(default_factory=list)
    running: list = field(default_factory=list)
    peak: list = field(default_factory=lambda: [0])
    lock: threading.Lock = field(default_factory=threading.Lock)

    def run(self, target, ctx):
        with self.lock:
            self.calls.append(target.id)
            self.running.append(1)
            self.peak[0] = max(self.peak[0], len(self.running))
        try:
            if self.behaviour == "hang":
                time.sleep(30)
            if self.behaviour == "raise":
                raise ProbeError("server said no")
            if self.behaviour == "crash":
                raise ZeroDivisionError("division by zero")
            time.sleep(0.05)
            return ProbeOutput({"value": 1, "deps": sorted(ctx.deps)})
        finally:
            with self.lock:
                self.running.pop()


def context_factory():
    profile = Profile(practice=Practice(name="t"))
    network = Network()

    def make(task, deadline, deps):
        return ProbeContext(profile=profile, network=network, options=ScanOptions(), deadline=deadline,
                            deps=deps)
    return make


def sites(n):
    return [Target("website", f"https://s{i}.example/") for i in range(n)]


class R:
    def __init__(self, probe, scope="website"):
        self.probe, self.scope = probe, scope


def test_each_probe_runs_once_per_target_however_many_rules_read_it():
    probe = ScriptedProbe("x")
    targets = sites(3)
    tasks = plan([R("x"), R("x"), R("x")], targets, probes={"x": probe})
    assert len(tasks) == 3
    results = run_tasks(tasks, context_factory(), probes={"x": probe})
    assert sorted(probe.calls) == sorted(t.id for t in targets)
    assert all(r.run.status == "ok" for r in results.values())


def test_dependencies_run_first_and_are_handed_over():
    base, dependent = ScriptedProbe("base"), ScriptedProbe("dep", requires=("base",))
    probes = {"base": base, "dep": dependent}
    tasks = plan([R("dep")], sites(1), probes=probes)
    assert [t.probe for t in tasks] == ["base", "dep"]
    results = run_tasks(tasks, context_factory(), probes=probes)
    assert results[("dep", "website", "https://s0.example/")].output.facts["deps"] == ["base"]


def test_outputs_handed_over_as_tasks_end_are_not_kept_but_dependents_still_get_theirs():
    base, dependent = ScriptedProbe("base"), ScriptedProbe("dep", requires=("base",))
    probes = {"base": base, "dep": dependent}
    handed: list = []
    results = run_tasks(plan([R("dep")], sites(3), probes=probes), context_factory(), probes=probes,
                        on_result=lambda task, result: handed.append((task.key, result)))
    assert sorted(k for k, _ in handed) == sorted(results)  # every task, once
    assert all(r.output is not None and r.run.status == "ok" for _, r in handed)
    assert all(r.output.facts["deps"] == ["base"] for k, r in handed if k[0] == "dep")
    assert all(r.output is None and r.run.status == "ok" for r in results.values())


def test_a_failed_dependency_fails_the_dependent_with_the_reason():
    probes = {"base": ScriptedProbe("base", "raise"), "dep": ScriptedProbe("dep", requires=("base",))}
    results = run_tasks(plan([R("dep")], sites(1), probes=probes), context_factory(), probes=probes)
    dep = results[("dep", "website", "https://s0.example/")]
    assert dep.output is None and "server said no" in dep.run.error


def test_concurrency_is_bounded():
    probe = ScriptedProbe("x")
    run_tasks(plan([R("x")], sites(12), probes={"x": probe}), context_factory(), concurrency=3,
              probes={"x": probe})
    assert len(probe.calls) == 12
    assert probe.peak[0] <= 3


def test_raising_crashing_and_hanging_probes_become_errors_and_the_scan_goes_on():
    probes = {"ok": ScriptedProbe("ok"), "bad": ScriptedProbe("bad", "raise"),
              "bug": ScriptedProbe("bug", "crash"), "slow": ScriptedProbe("slow", "hang")}
    tasks = plan([R(n) for n in probes], sites(1), probes=probes)
    start = time.monotonic()
    results = run_tasks(tasks, context_factory(), timeout=0.5, probes=probes)
    elapsed = time.monotonic() - start
    by_probe = {k[0]: v for k, v in results.items()}
    assert by_probe["ok"].run.status == "ok"
    assert by_probe["bad"].run.status == "error" and by_probe["bad"].run.error == "server said no"
    assert by_probe["bug"].run.status == "error" and "ZeroDivisionError" in by_probe["bug"].run.error
    assert by_probe["slow"].run.status == "timeout" and by_probe["slow"].output is None
    assert elapsed < 10  # the hanging probe (30 s) was abandoned at its deadline plus grace


def test_overall_time_limit_ends_the_scan():
    probe = ScriptedProbe("slow", "hang")
    tasks = plan([R("slow")], sites(4), probes={"slow": probe})
    start = time.monotonic()
    results = run_tasks(tasks, context_factory(), timeout=60, max_time=0.5, concurrency=2,
                        probes={"slow": probe})
    assert time.monotonic() - start < 5
    assert len(results) == 4
    assert all(r.run.status == "timeout" and "overall time limit" in r.run.error for r in results.values())


def test_probes_only_run_on_targets_in_their_scope():
    probe = ScriptedProbe("x")
    tasks = plan([R("x", "website")], [Target("website", "https://a/"), Target("endpoint", "a:443")],
                 probes={"x": probe})
    assert [t.target.kind for t in tasks] == ["website"]
    assert isinstance(tasks[0], Task)
