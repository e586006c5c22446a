"""Each target's probe outputs gathered as they end, evaluated once its last probe is done, then kept compact.

A scan of thousands of targets would otherwise hold every probe's facts until the end; here only the
targets still being probed are held whole, and a finished one keeps its facts as compressed JSON.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from cyberaudit.compact import frozen
from cyberaudit.engine import Task, TaskResult
from cyberaudit.evaluate import TargetFacts
from cyberaudit.packed import PackedFindings
from cyberaudit.result import Finding, ProbeRun, TargetResult
from cyberaudit.targets import Target

Evaluate = Callable[[Target, TargetFacts], list[Finding]]


@dataclass
class _Pending:
    left: int  # tasks of this target not ended yet
    ended: dict[int, tuple[str, TaskResult]] = field(default_factory=dict)  # plan position → probe, result


@dataclass(frozen=True)
class Collected:
    """Targets and findings in the profile's order, as an unsharded scan lists them."""

    targets: tuple[TargetResult, ...]
    findings: PackedFindings


class TargetCollector:
    """Takes the engine's results (`add`), evaluates each target when its tasks are all done."""

    def __init__(self, targets: list[Target], tasks: list[Task], evaluate: Evaluate,
                 unavailable: frozenset[str]) -> None:
        self._targets = targets
        self._evaluate = evaluate
        self._unavailable = unavailable
        self._position = {task.key: i for i, task in enumerate(tasks)}
        self._pending: dict[tuple[str, str], _Pending] = {}
        for task in tasks:
            key = (task.target.kind, task.target.id)
            self._pending.setdefault(key, _Pending(0)).left += 1
        self._findings = PackedFindings()  # its table of shared texts packs every target's block
        self._done: dict[tuple[str, str], tuple[TargetResult, tuple[bytes, int]]] = {}

    def add(self, task: Task, result: TaskResult) -> None:
        """One task ended: keep what its output says; evaluate the target if it was its last."""
        key = (task.target.kind, task.target.id)
        pending = self._pending.get(key)
        if pending is None or key in self._done:
            return
        output = result.output
        # only facts and errors are kept: artifacts (page bodies) are the engine's, for dependent probes
        kept = TaskResult(None if output is None else type(output)(output.facts, output.errors), result.run)
        pending.ended[self._position[task.key]] = (task.probe, kept)
        pending.left -= 1
        if pending.left <= 0:
            self._finish(task.target, pending)

    def _finish(self, target: Target, pending: _Pending) -> None:
        facts: dict[str, object] = {}
        errors: dict[str, str] = {}
        probe_errors: dict[str, str] = {}
        runs: list[ProbeRun] = []
        for _, (probe, res) in sorted(pending.ended.items()):
            runs.append(res.run)
            if res.output is None:
                probe_errors[probe] = res.run.error or "the probe gave no answer"
            else:
                facts[probe] = res.output.facts
                errors.update(res.output.errors)
        key = (target.kind, target.id)
        findings = self._evaluate(target, TargetFacts(facts, errors, probe_errors, self._unavailable))
        self._done[key] = (TargetResult(target.id, target.kind, target.line, frozen(facts), errors, tuple(runs)),
                           self._findings.pack(findings))
        self._pending.pop(key, None)

    def collect(self) -> Collected:
        """Every target, in order; a target no task ran on is evaluated here, on no facts."""
        targets: list[TargetResult] = []
        for target in self._targets:
            key = (target.kind, target.id)
            if key not in self._done:
                self._finish(target, self._pending.get(key) or _Pending(0))
            t, block = self._done[key]
            targets.append(t)
            self._findings.append_block(*block)
        return Collected(tuple(targets), self._findings)
