"""`scan --profiles DIR`: every client of a consultant's portfolio in one run, with an index."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from rich.console import Console

from cyberaudit.errors import CyberauditError, InputError
from cyberaudit.gate import check_gate
from cyberaudit.outfiles import make_dirs, write_private
from cyberaudit.portfolio import (
    ClientSummary,
    client_slugs,
    find_profiles,
    index_csv,
    index_json,
    portfolio_shard,
    summarize,
)
from cyberaudit.render import FORMATS, RenderOptions, format_for, write_report
from cyberaudit.result import Result, result_from_dict
from cyberaudit.scan import ScanRequest, run_scan
from cyberaudit.shards import shard_of
from cyberaudit.workers import process_context, usable_cpus

EXIT_OK, EXIT_GATE, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


@dataclass(frozen=True)
class PortfolioRun:
    roots: tuple[Path, ...]
    output_dir: Path
    formats: tuple[str, ...]  # report formats per client besides result.json (default: html)
    request: ScanRequest  # network and probe settings shared by every client
    workers: int | None
    render_options: RenderOptions
    keep_going: bool
    quiet: bool
    use_history: bool
    history_dir: Path | None  # None: beside each profile; else one sub-folder per client in it
    fail_under: float | None
    fail_on: str | None
    allow_errors: bool


def _scan_client(request: ScanRequest) -> tuple[str, str]:
    # Runs in a worker process: only text crosses back, and each client's Result is freed there.
    try:
        return "ok", run_scan(request).to_json()
    except InputError as exc:
        return "invalid", str(exc)
    except CyberauditError as exc:
        return "failed", str(exc)


def _results(run: PortfolioRun, profiles: list[Path]) -> Iterator[tuple[int, str, str]]:
    requests = [replace(run.request, profile_path=p) for p in profiles]
    workers = max(1, min(run.workers or usable_cpus(), len(profiles)))
    if workers == 1:
        for i, req in enumerate(requests):
            yield (i, *_scan_client(req))
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=process_context()) as pool:
        pending: dict[Future[tuple[str, str]], int] = {pool.submit(_scan_client, r): i
                                                       for i, r in enumerate(requests)}
        from concurrent.futures import as_completed

        for fut in as_completed(pending):
            try:
                yield (pending[fut], *fut.result())
            except Exception as exc:  # noqa: BLE001 - a dead worker is that client's failure
                yield pending[fut], "failed", f"{type(exc).__name__}: {exc}"


def scan_portfolio(run: PortfolioRun, err: Console) -> int:
    """Scan every profile, write each client's result and reports as it finishes, then the index."""
    profiles = find_profiles(run.roots)
    slugs = all_slugs = client_slugs(profiles)
    shard = run.request.shard
    if shard is not None:
        # A portfolio is sharded by client: each client's result stays whole on one machine.
        keep = [i for i, s in enumerate(slugs) if shard_of("client", s, shard.count) == shard.index]
        profiles, slugs = [profiles[i] for i in keep], [slugs[i] for i in keep]
        run = replace(run, request=replace(run.request, shard=None))
    out = run.output_dir
    if out.exists() and not out.is_dir():
        raise InputError("with --profiles, -o names a folder for the reports", out)
    make_dirs(out)
    formats = [format_for("", f) for f in (run.formats or ("html",))]  # an unknown name is an InputError
    summaries: dict[int, ClientSummary] = {}
    for i, status, payload in _results(run, profiles):
        slug, profile = slugs[i], profiles[i]
        if status != "ok":
            summaries[i] = ClientSummary(slug=slug, profile=str(profile), practice="", status=status,  # type: ignore[arg-type]
                                         error=payload)
            if not run.quiet:
                err.print(f"{slug}: {'invalid profile' if status == 'invalid' else 'scan failed'}: {payload}",
                          markup=False, highlight=False, soft_wrap=True)
            continue
        summaries[i] = _write_client(run, slug, profile, result_from_dict(json.loads(payload)), formats, err)
    clients = [summaries[i] for i in range(len(profiles))]
    write_index(out, clients, run.render_options.title, portfolio_shard(shard, all_slugs) if shard else None)
    if not run.quiet:
        err.print(f"wrote the index of {len(clients)} clients: {(out / 'index.html').resolve()}",
                  markup=False, highlight=False, soft_wrap=True)
    if any(c.status == "failed" for c in clients):
        return EXIT_INTERNAL
    if any(c.status == "invalid" for c in clients) and not run.keep_going:
        return EXIT_INPUT
    if any(c.gate_passed is False for c in clients):
        return EXIT_GATE
    return EXIT_OK


def _write_client(run: PortfolioRun, slug: str, profile: Path, result: Result, formats: list,  # type: ignore[type-arg]
                  err: Console) -> ClientSummary:
    folder = run.output_dir / slug
    options, change = run.render_options, None
    if run.use_history:
        from cyberaudit.history import default_history_dir, record

        try:
            ctx = record(result, run.history_dir / slug if run.history_dir else default_history_dir(profile))
        except InputError as exc:
            err.print(f"{slug}: warning: history not used: {exc}", markup=False, highlight=False, soft_wrap=True)
        else:
            options = replace(options, changes=ctx.changes, trend=ctx.trend)
            change = ctx.changes.score.delta if ctx.changes is not None else None
    write_report(result, folder / "result.json", FORMATS["json"], options)
    report = None
    for fmt in formats:
        name = "report" + fmt.extensions[0]
        write_report(result, folder / name, fmt, options)
        report = report or f"{slug}/{name}"
    gate = None
    if run.fail_under is not None or run.fail_on is not None:
        gate = check_gate(result, fail_under=run.fail_under, fail_on=run.fail_on,
                          allow_errors=run.allow_errors).passed
    return summarize(result, slug, profile, change, report, f"{slug}/result.json", gate)


def write_index(out: Path, clients: list[ClientSummary], title: str | None,
                shard: dict | None = None) -> None:  # type: ignore[type-arg]
    """index.html, index.csv and index.json of a portfolio in `out`."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    from cyberaudit.resources import templates_dir

    env = Environment(loader=FileSystemLoader(str(templates_dir())), autoescape=select_autoescape(default=True))
    html = env.get_template("portfolio-index.html.j2").render(
        title=title or "Client portfolio", clients=clients,
        generated=dt.datetime.now(dt.timezone.utc).strftime("%d %B %Y, %H:%M UTC"),
        invalid=sum(c.status != "scanned" for c in clients))
    # the index names clients and their problems: private like the reports it links to
    write_private(out / "index.html", html)
    write_private(out / "index.csv", index_csv(clients))
    write_private(out / "index.json", index_json(clients, shard))
