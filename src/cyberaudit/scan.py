"""One scan, end to end: profile + packs → plan → probes → facts → findings → scores → Result."""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from cyberaudit import __version__
from cyberaudit.collect import TargetCollector
from cyberaudit.dnsclient import parse_nameserver
from cyberaudit.engine import Observer, Task, plan, run_tasks
from cyberaudit.errors import InputError
from cyberaudit.evaluate import TargetFacts, check_unused_target_patterns, evaluate_rule, resolve_settings
from cyberaudit.network import Network, NetworkSettings
from cyberaudit.packs import Rule, RuleSet, load_rule_set
from cyberaudit.probes import PROBE_MODULES, available_probes
from cyberaudit.probes.base import ProbeContext, ProbeOutput, ScanOptions
from cyberaudit.profile import LoadedProfile, Website, build_targets, load_profile
from cyberaudit.reach import find_unreachable
from cyberaudit.result import SCHEMA_VERSION, Finding, PackInfo, ProfileInfo, Result, RuleInfo
from cyberaudit.scoring import score_result
from cyberaudit.shards import Shard, run_key
from cyberaudit.targets import Target


@dataclass(frozen=True)
class ScanRequest:
    """Everything a scan needs; the CLI fills it from arguments and CYBERAUDIT_* variables."""

    profile_path: Path
    packs: tuple[str, ...] = ()
    network: NetworkSettings = field(default_factory=NetworkSettings)
    options: ScanOptions = field(default_factory=ScanOptions)
    concurrency: int = 8
    timeout: float = 60.0
    max_time: float | None = 900.0
    today: dt.date | None = None  # for waiver expiry; defaults to the local date
    shard: Shard | None = None  # scan only this shard's targets (see shards.py)
    profile_text: str | None = None  # the profile itself, when it has no file (see adhoc.py)
    adhoc: bool = False  # targets from the command line: no practice is described


NO_PROFILE = ("This scan was given addresses, not a practice profile, so the practice's own "
              "safeguards could not be asked about. Run `cyberaudit init` to describe the practice.")


def load_rules_for(loaded: LoadedProfile, extra: tuple[str, ...] = ()) -> RuleSet:
    """Built-in packs, the profile's `rules.packs` (relative to the profile) and --pack paths."""
    profile_packs = [str(loaded.resolve_path(p)) for p in loaded.profile.rules.packs]
    return load_rule_set([*profile_packs, *extra])


def network_settings_for(loaded: LoadedProfile, base: NetworkSettings) -> NetworkSettings:
    """The CLI's network settings completed with the profile's tls and dns sections."""
    prof = loaded.profile
    ca_bundle = base.ca_bundle
    if ca_bundle is None and prof.tls.ca_bundle:
        ca_bundle = loaded.resolve_path(prof.tls.ca_bundle)
        if not ca_bundle.is_file():
            line, col = loaded.doc.where(("tls", "ca_bundle"))
            raise InputError(f"tls.ca_bundle: file not found: {ca_bundle}", loaded.path, line, col)
    nameservers = base.nameservers
    if not nameservers and prof.dns.nameservers:
        try:
            nameservers = tuple(parse_nameserver(n) for n in prof.dns.nameservers)
        except ValueError:
            line, col = loaded.doc.where(("dns", "nameservers"))
            raise InputError("dns.nameservers: expected ADDRESS or ADDRESS:PORT", loaded.path, line, col) from None
    return NetworkSettings(**{**base.__dict__, "ca_bundle": ca_bundle, "nameservers": nameservers})


def _register_addresses(network: Network, targets: list[Target]) -> None:
    for t in targets:
        spec = t.spec
        address = getattr(spec, "address", None)
        if not address:
            continue
        if isinstance(spec, Website):
            for host, port in spec.address_bindings():
                network.add_address(host, port, address)
        else:
            network.add_address(spec.host, spec.port, address)


def prepare_probes(names: set[str], network: Network) -> None:
    """Let each probe the scan will run load what all its runs need, before the first one starts.

    A failure here is no verdict: the probe meets it again in its runs and reports it there.
    """
    probes = available_probes()
    for name in sorted(names):
        prepare = getattr(probes.get(name), "prepare", None)
        if prepare is not None:
            with contextlib.suppress(Exception):
                prepare(network)


def load_request_profile(request: ScanRequest) -> LoadedProfile:
    """The profile the scan reads (its file, or the text made from command-line targets)."""
    return load_profile(request.profile_path, request.profile_text)


def prepare_scan(request: ScanRequest, loaded: LoadedProfile) -> None:
    """Load once what every worker of the scan needs (probe code, rule packs, the probes' data), so
    workers forked afterwards start with it instead of each loading it again."""
    load_rules_for(loaded, request.packs)
    network = Network(network_settings_for(loaded, request.network))
    try:
        prepare_probes(set(available_probes()), network)
    finally:
        network.close()


def run_scan(request: ScanRequest, observer: Observer | None = None,
             loaded: LoadedProfile | None = None) -> Result:
    """Run one scan and return its Result; invalid input raises InputError before any probe runs.

    `loaded`: the request's profile, when the caller has already loaded it.
    """
    started = time.monotonic()
    generated_at = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    loaded = loaded or load_request_profile(request)
    rules = load_rules_for(loaded, request.packs)
    settings = resolve_settings(loaded, rules)
    targets = build_targets(loaded)
    check_unused_target_patterns(loaded, targets)
    shard_info = None
    if request.shard is not None:
        # Each shard records the whole run's target order, so `merge` can check that every shard
        # is there and rebuild exactly what one unsharded scan gives.
        shard_info = {"index": request.shard.index, "count": request.shard.count,
                      "run": run_key(loaded.digest, [p.digest for p in rules.packs], targets, request.shard.count),
                      "targets": [[t.kind, t.id] for t in targets]}
        targets = [t for t in targets if request.shard.holds(t)]
    network = Network(network_settings_for(loaded, request.network))
    network.ca_bundle_path()  # a bad --ca-bundle is an input error before probes start
    _register_addresses(network, targets)

    # Without a profile there is no practice to ask about: its probes (this machine's disk, declared
    # answers) must not run at all.
    tasks = plan(settings.enabled, [t for t in targets if not (request.adhoc and t.kind == "practice")])
    prepare_probes({t.probe for t in tasks}, network)

    def make_context(task: Task, deadline: float, deps: dict[str, ProbeOutput]) -> ProbeContext:
        return ProbeContext(profile=loaded.profile, network=network, options=request.options,
                            deadline=deadline, deps=deps, profile_dir=loaded.base_dir)

    today = request.today or dt.date.today()
    rules_by_kind: dict[str, list[Rule]] = {}
    for rule in sorted(settings.enabled, key=lambda r: r.id):
        rules_by_kind.setdefault(rule.scope, []).append(rule)

    def evaluate_target(target: Target, tf: TargetFacts) -> list[Finding]:
        findings = []
        for rule in rules_by_kind.get(target.kind, ()):
            finding = evaluate_rule(rule, target, tf, settings.params[rule.id], settings.waivers, today)
            if request.adhoc and target.kind == "practice":
                finding = replace(finding, status="not_applicable", message=NO_PROFILE, details=(),
                                  evidence={})
            findings.append(finding)
        return findings

    # each target is evaluated as soon as its last probe ends, and only its compact form is kept
    unavailable = frozenset(set(PROBE_MODULES) - set(available_probes()))
    collector = TargetCollector(targets, tasks, evaluate_target, unavailable)
    try:
        run_tasks(tasks, make_context, concurrency=max(1, request.concurrency), timeout=request.timeout,
                  max_time=request.max_time, observer=observer, on_result=collector.add)
    finally:
        network.close()
    probes_done = time.monotonic()
    collected = collector.collect()
    target_results, findings = collected.targets, collected.findings

    # a target nothing could reach is said once and not scored (not F 0.0); coverage still counts it
    unreached = frozenset(tid for u in find_unreachable(target_results) for tid in u.targets)
    scores = score_result(findings, unreached)
    used = sorted(findings.rule_ids())
    rule_infos = {rid: _rule_info(rules, rid, settings.params[rid]) for rid in used}
    finished = time.monotonic()
    return Result(
        schema_version=SCHEMA_VERSION,
        tool={"name": "cyberaudit", "version": __version__},
        generated_at=generated_at.isoformat().replace("+00:00", "Z"),
        profile=ProfileInfo(str(loaded.path), loaded.digest, loaded.profile.practice.name,
                            loaded.profile.practice.jurisdiction),
        packs=tuple(PackInfo(p.name, p.version, p.digest, p.path if not p.builtin else f"builtin:{p.name}",
                             p.builtin, len(p.rules)) for p in rules.packs),
        rules=rule_infos,
        targets=target_results,
        findings=findings,
        scores=scores,
        timings={"total_ms": int((finished - started) * 1000),
                 "probes_ms": int((probes_done - started) * 1000),
                 "probe_runs": len(tasks)},
        options={"concurrency": request.concurrency, "timeout": request.timeout,
                 "max_time": request.max_time, "browser": request.options.browser,
                 "redact": request.options.redact,
                 "disabled_rules": sorted(set(rules.rules) - {r.id for r in settings.enabled}),
                 **({"shard": shard_info} if shard_info else {})},
    )


def _rule_info(rules: RuleSet, rid: str, params: dict[str, object]) -> RuleInfo:
    r = rules.rules[rid]
    m = r.model
    return RuleInfo(id=m.id, title=m.title, summary=m.summary, category=m.category, severity=m.severity,
                    scope=m.scope, probe=m.probe, rationale=m.rationale, remediation=m.remediation,
                    references=tuple(m.references), effort=m.effort, pack=r.pack, params=dict(params))
