"""The command line: arguments in, one core call, exceptions out as exit codes.

Exit codes: 0 scan done and gate passed (or no gate); 1 gate failed; 2 invalid input;
3 internal error (a crash log is written); 128 + the signal's number when stopped by SIGINT (130),
SIGTERM (143) or SIGHUP (129), after every child process has been ended.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import signal
import sys
import threading
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cyberaudit import __version__
from cyberaudit.cli.helptext import HELP_OPTIONS, SCAN_EPILOG, PlainApp, PlainGroup
from cyberaudit.errors import CyberauditError, InputError

if TYPE_CHECKING:
    from rich.console import Console

# `--help` and every command's start import only typer: rich, pydantic, the probes and the renderers
# are imported inside the commands that use them (tests/cli/test_startup_imports.py keeps it so).

EXIT_OK, EXIT_GATE, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3
app = PlainApp(
    name="cyberaudit",
    help="Privacy and security compliance scanner for therapy practices.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    cls=PlainGroup,
    context_settings=HELP_OPTIONS,
)
rules_app = PlainApp(help="List, show and validate rules.", no_args_is_help=True, cls=PlainGroup)
app.add_typer(rules_app, name="rules")


def _stdout() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def _stderr() -> Console:
    from rich.console import Console

    # soft_wrap: without a terminal, each message stays on one line in CI logs
    return Console(stderr=True, highlight=False, soft_wrap=True)


class Severity(str, Enum):
    critical = "critical"
    high = "high"
    medium = "medium"
    low = "low"
    info = "info"


class DiffFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


class SchemaKind(str, Enum):
    profile = "profile"
    pack = "pack"
    platforms = "platforms"
    result = "result"


ProfileOpt = Annotated[Path, typer.Option("--profile", "-p", envvar="CYBERAUDIT_PROFILE", metavar="FILE",
                                          help="The practice profile.", show_default=True)]
TitleOpt = Annotated[str | None, typer.Option("--title", envvar="CYBERAUDIT_TITLE", metavar="TEXT",
                                              help="Report title (HTML, PDF, Markdown).")]
OrganizationOpt = Annotated[str | None, typer.Option("--organization", envvar="CYBERAUDIT_ORGANIZATION", metavar="NAME",
                                                     help="Who prepared the report, shown on the cover.")]
LogoOpt = Annotated[Path | None, typer.Option("--logo", envvar="CYBERAUDIT_LOGO", metavar="FILE",
                                              help="PNG, JPEG or SVG logo embedded in the report.")]
TemplateDirOpt = Annotated[Path | None, typer.Option(
    "--template-dir", envvar="CYBERAUDIT_TEMPLATE_DIR", metavar="FOLDER",
    help="Folder of templates that override the built-in ones of the same name.")]
RedactCookiesOpt = Annotated[bool, typer.Option("--redact-cookies", envvar="CYBERAUDIT_REDACT_COOKIES",
                                                help="With --redact: also replace cookie names.")]
HistoryOpt = Annotated[Path | None, typer.Option(
    "--history", envvar="CYBERAUDIT_HISTORY", metavar="FOLDER",
    help="Folder of saved results [default: .cyberaudit-history beside the profile].")]
NoHistoryOpt = Annotated[bool, typer.Option("--no-history", envvar="CYBERAUDIT_NO_HISTORY",
                                            help="Neither save this result nor compare with earlier ones.")]
AppendixOpt = Annotated[bool, typer.Option(
    "--appendix", envvar="CYBERAUDIT_APPENDIX",
    help="PDF: add the technical appendix (every fact each finding read). HTML always has it, folded.")]


class SarifLevel(str, Enum):
    error = "error"
    warning = "warning"
    note = "note"
    none = "none"


SarifErrorsOpt = Annotated[SarifLevel, typer.Option(
    "--sarif-errors-level", envvar="CYBERAUDIT_SARIF_ERRORS_LEVEL",
    help="SARIF level of checks that could not be made (error, warning, note or none).")]


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"cyberaudit {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.", is_eager=True,
                                          callback=_print_version)] = False,
) -> None:
    """Privacy and security compliance scanner for therapy practices."""


@app.command(epilog=SCAN_EPILOG)
def scan(
    addresses: Annotated[list[str] | None, typer.Argument(
        metavar="[URL|DOMAIN]", show_default=False,
        help="Scan these instead of a profile: https:// URLs are websites, a bare domain is its "
             "website and its mail domain.")] = None,
    profile: ProfileOpt = Path("cyberaudit.yaml"),
    output: Annotated[list[str] | None, typer.Option(
        "--output", "-o", envvar="CYBERAUDIT_OUTPUT", metavar="FILE",
        help="Write a report; the format comes from the extension (repeatable; in the environment "
             "variable, separate files with spaces).")] = None,
    fmt: Annotated[str | None, typer.Option("--format", metavar="FORMAT", help="Format for every -o file, "
                                               "overriding the extension (html, pdf, markdown, json, csv, "
                                               "junit, sarif).")] = None,
    pack: Annotated[list[str] | None, typer.Option("--pack", envvar="CYBERAUDIT_PACK", metavar="PATH",
                                                      help="Extra rule pack file or folder (repeatable; in "
                                                           "the environment variable, separated by spaces).")] = None,
    fail_under: Annotated[float | None, typer.Option(
        "--fail-under", envvar="CYBERAUDIT_FAIL_UNDER", min=0, max=100, metavar="SCORE",
        help="Exit 1 when the overall score is below this.")] = None,
    fail_on: Annotated[Severity | None, typer.Option(
        "--fail-on", envvar="CYBERAUDIT_FAIL_ON", metavar="SEVERITY",
        help="Exit 1 when a finding of this severity or above fails (critical, high, medium, low, info).")] = None,
    allow_errors: Annotated[bool, typer.Option(
        "--allow-errors", envvar="CYBERAUDIT_ALLOW_ERRORS",
        help="Do not count checks that could not be made as failures in the gate.")] = False,
    resolve: Annotated[list[str] | None, typer.Option(
        "--resolve", envvar="CYBERAUDIT_RESOLVE", metavar="HOST:PORT:ADDR",
        help="Connect to ADDR for HOST:PORT, as curl --resolve (repeatable).")] = None,
    connect_to: Annotated[list[str] | None, typer.Option(
        "--connect-to", envvar="CYBERAUDIT_CONNECT_TO", metavar="HOST:PORT:ADDR:PORT2",
        help="Connect to ADDR:PORT2 for HOST:PORT, as curl --connect-to (repeatable).")] = None,
    ca_bundle: Annotated[Path | None, typer.Option(
        "--ca-bundle", envvar="CYBERAUDIT_CA_BUNDLE", metavar="FILE", help="Extra trusted CA certificates (PEM).")] = None,
    nameserver: Annotated[list[str] | None, typer.Option(
        "--nameserver", envvar="CYBERAUDIT_NAMESERVER", metavar="ADDR[:PORT]",
        help="DNS resolver to ask (repeatable).")] = None,
    timeout: Annotated[float, typer.Option(
        "--timeout", envvar="CYBERAUDIT_TIMEOUT", min=1, metavar="SECONDS",
        help="Seconds each probe may take on one target, every connection, read and page included; "
             "its checks not done by then read error. A website's privacy checks start after its web "
             "checks: at most 2 x (this + 2 s) for one website, 124 s with the defaults.")] = 60.0,
    connect_timeout: Annotated[float, typer.Option(
        "--connect-timeout", envvar="CYBERAUDIT_CONNECT_TIMEOUT", min=0.1, metavar="SECONDS",
        help="Seconds to connect; each read may wait twice as long, and one whole response, however "
             "slowly it arrives, four times as long (20 s with the default 5).")] = 5.0,
    dns_timeout: Annotated[float, typer.Option("--dns-timeout", envvar="CYBERAUDIT_DNS_TIMEOUT", min=0.1, metavar="SECONDS",
                                               help="Seconds for each DNS query.")] = 3.0,
    dns_retries: Annotated[int, typer.Option("--dns-retries", envvar="CYBERAUDIT_DNS_RETRIES", min=0, metavar="N",
                                             help="Extra DNS attempts after a timeout.")] = 1,
    max_time: Annotated[float, typer.Option("--max-time", envvar="CYBERAUDIT_MAX_TIME", min=1, metavar="SECONDS",
                                            help="Seconds the whole scan may take; checks not done "
                                                 "by then read error.")] = 900.0,
    concurrency: Annotated[int, typer.Option("--concurrency", envvar="CYBERAUDIT_CONCURRENCY", min=1, metavar="N",
                                             max=64, help="Probes running at once.")] = 8,
    browser: Annotated[bool, typer.Option("--browser", envvar="CYBERAUDIT_BROWSER",
                                          help="Render pages in headless Chromium to find injected "
                                               "trackers.")] = False,
    accept_consent: Annotated[bool, typer.Option(
        "--accept-consent", envvar="CYBERAUDIT_ACCEPT_CONSENT",
        help="With --browser: also record what loads after accepting a consent banner.")] = False,
    reject_consent: Annotated[bool, typer.Option(
        "--reject-consent", envvar="CYBERAUDIT_REJECT_CONSENT",
        help="With --browser: click the consent banner's Reject and record what still loads.")] = False,
    redact: Annotated[bool, typer.Option("--redact", envvar="CYBERAUDIT_REDACT",
                                         help="Replace e-mail addresses and file paths by short hashes.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", envvar="CYBERAUDIT_QUIET",
                                        help="No progress or summary; only errors and the gate.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Also list passed checks.")] = False,
    title: TitleOpt = None,
    organization: OrganizationOpt = None,
    logo: LogoOpt = None,
    template_dir: TemplateDirOpt = None,
    redact_cookies: RedactCookiesOpt = False,
    history: HistoryOpt = None,
    no_history: NoHistoryOpt = False,
    appendix: AppendixOpt = False,
    sarif_errors_level: SarifErrorsOpt = SarifLevel.warning,
    shard: Annotated[str | None, typer.Option(
        "--shard", envvar="CYBERAUDIT_SHARD", metavar="INDEX/COUNT",
        help="Scan only this shard of the targets (1/4 … 4/4; `auto` reads Kubernetes' "
             "JOB_COMPLETION_INDEX) and write a partial result for `cyberaudit merge`.")] = None,
    shard_count: Annotated[int | None, typer.Option(
        "--shard-count", envvar="CYBERAUDIT_SHARD_COUNT", min=1, metavar="N",
        help="With --shard auto: the number of shards (default: JOB_COMPLETIONS).")] = None,
    targets_file: Annotated[Path | None, typer.Option(
        "--targets", envvar="CYBERAUDIT_TARGETS", metavar="FILE",
        help="Scan the URLs and domains in FILE (one a line, # comments) instead of a profile.")] = None,
    profiles: Annotated[list[Path] | None, typer.Option(
        "--profiles", envvar="CYBERAUDIT_PROFILES", metavar="DIR",
        help="Scan every client: each *.yaml profile below DIR (repeatable); -o names the output "
             "folder for one result and report per client and an index.")] = None,
    keep_going: Annotated[bool, typer.Option(
        "--keep-going", help="With --profiles: an invalid profile is listed on the index but does not "
                             "make the exit code 2.")] = False,
    per_ip: Annotated[int, typer.Option(
        "--per-ip", envvar="CYBERAUDIT_PER_IP", min=0, metavar="N",
        help="At most N connections opening or awaiting an answer at once per IP address, across "
             "the scan (0: no limit).")] = 4,
    rate: Annotated[float | None, typer.Option(
        "--rate", envvar="CYBERAUDIT_RATE", min=0.1, metavar="N",
        help="At most N new connections a second across the scan.")] = None,
    workers: Annotated[int | None, typer.Option(
        "--workers", envvar="CYBERAUDIT_WORKERS", min=1, max=256, metavar="N",
        help="Worker processes on this machine (default: the CPUs, at most one per 25 targets).")] = None,
) -> None:
    """Scan the practice described by the profile (or the addresses given) and report where it stands."""
    from cyberaudit.gate import check_gate
    from cyberaudit.network import NetworkSettings, parse_connect_to, parse_resolve
    from cyberaudit.probes.base import ScanOptions
    from cyberaudit.render import check_writable, format_for
    from cyberaudit.scan import ScanRequest
    from cyberaudit.shards import parse_shard
    from cyberaudit.workers import run_in_workers

    profile_text = None
    if addresses or targets_file:
        from cyberaudit.adhoc import ADHOC_NAME, adhoc_profile, classify, read_targets_file

        items = [classify(a) for a in addresses or []]
        items += read_targets_file(targets_file) if targets_file else []
        profile_text, profile = adhoc_profile(items), Path(ADHOC_NAME)
        if history is None:
            no_history = True  # no profile folder to keep a history beside
    outputs = [] if profiles else [(check_writable(p), format_for(p, fmt)) for p in map(Path, output or [])]
    render_options = _render_options(title, organization, logo, template_dir, redact, redact_cookies,
                                     appendix, sarif_errors_level)
    if any(f.name == "pdf" for _, f in outputs):
        from cyberaudit.render.pdf import find_chromium

        find_chromium()  # no browser for the PDF: say so now, not after a long scan
    resolve_map = dict(parse_resolve(r) for r in _split_env_list(resolve))
    connect_map = dict(parse_connect_to(c) for c in _split_env_list(connect_to))
    nameservers = tuple(_parse_ns(n) for n in _split_env_list(nameserver))
    if ca_bundle is not None and not ca_bundle.is_file():
        raise InputError("--ca-bundle: file not found", ca_bundle)
    if accept_consent and reject_consent:
        raise InputError("--accept-consent and --reject-consent cannot be used together")
    options = ScanOptions(browser=browser, browser_accept_consent=accept_consent,
                          browser_reject_consent=reject_consent, redact=redact,
                          probe_timeout=timeout)
    if browser:
        _check_browser()
    request = ScanRequest(
        profile_path=profile, packs=tuple(str(p) for p in (pack or [])),
        network=NetworkSettings(resolve=resolve_map, connect_to=connect_map, ca_bundle=ca_bundle,
                                nameservers=nameservers, connect_timeout=connect_timeout,
                                read_timeout=2 * connect_timeout, response_timeout=4 * connect_timeout,
                                dns_timeout=dns_timeout, dns_retries=dns_retries, per_ip=per_ip,
                                rate=rate),
        options=options, concurrency=concurrency, timeout=timeout, max_time=max_time,
        shard=parse_shard(shard, shard_count) if shard else None,
        profile_text=profile_text, adhoc=profile_text is not None)
    if profiles:
        from cyberaudit.cli.portfolio import PortfolioRun, scan_portfolio

        code = scan_portfolio(PortfolioRun(
            roots=tuple(profiles), output_dir=Path(output[0]) if output else Path("cyberaudit-reports"),
            formats=tuple(f for f in (fmt,) if f), request=request, workers=workers,
            render_options=render_options, keep_going=keep_going, quiet=quiet,
            use_history=not no_history, history_dir=history,
            fail_under=fail_under, fail_on=fail_on.value if fail_on else None, allow_errors=allow_errors),
            _stderr())
        raise typer.Exit(code)
    if request.shard is not None:
        if workers not in (None, 1):
            raise InputError("--workers and --shard: a shard is scanned by one process; run more shards instead")
        n_workers: int | None = 1
    else:
        n_workers = workers  # None: as many as the targets and CPUs make worth it
    # made when there is something to say: a quiet scan that has nothing to report imports no rich
    err = functools.cache(_stderr)
    observer = None if quiet else _progress_observer(err())
    result = run_in_workers(request, n_workers, observer=observer)
    changes = None
    if request.shard is not None:
        no_history = True  # a partial result is no scan of the practice to compare with
    if not no_history:
        from dataclasses import replace

        from cyberaudit.history import default_history_dir, record

        try:
            ctx = record(result, history or default_history_dir(profile))
        except InputError as exc:
            # the scan itself succeeded: report it, and say why there is no comparison this time
            err().print(f"warning: history not used: {exc}", markup=False, highlight=False, soft_wrap=True)
        else:
            render_options = replace(render_options, changes=ctx.changes, trend=ctx.trend)
            changes = ctx.changes
            for problem in ctx.skipped:
                err().print(f"warning: history file skipped: {problem}", markup=False, highlight=False,
                          soft_wrap=True)
    written = _write_outputs(result, outputs, render_options)
    gate = check_gate(result, fail_under=fail_under, fail_on=fail_on.value if fail_on else None,
                      allow_errors=allow_errors)
    if not quiet:
        from cyberaudit.render.terminal import print_next_step, print_summary

        out = _stdout()
        print_summary(result, out, verbose=verbose)
        if changes is not None:
            _print_changes(changes, out)
        for reason in gate.reasons:
            err().print(f"gate failed: {reason}", markup=False, highlight=False)
        if gate.passed and (fail_under is not None or fail_on is not None):
            err().print("gate passed", markup=False)
        print_next_step(result, out, written)  # last, so the paths are on screen when the command ends
    else:
        for reason in gate.reasons:
            err().print(f"gate failed: {reason}", markup=False, highlight=False)
    if not gate.passed:
        raise typer.Exit(EXIT_GATE)


def _split_env_list(values: list[str] | None) -> list[str]:
    # CYBERAUDIT_RESOLVE="a:443:127.0.0.1 b:443:127.0.0.1" arrives as one string: split on spaces
    out: list[str] = []
    for v in values or []:
        out += [part for part in v.replace(",", " ").split() if part]
    return out


def _parse_ns(text: str) -> tuple[str, int]:
    from cyberaudit.dnsclient import parse_nameserver

    try:
        return parse_nameserver(text)
    except ValueError as exc:
        raise InputError(f"--nameserver: {exc}") from None


def _check_browser() -> None:
    try:
        from cyberaudit.probes.privacy.probe import check_browser_available
    except ImportError:
        raise InputError("--browser needs the privacy probe, which is not part of this installation") from None
    check_browser_available()


def _render_options(title, organization, logo, template_dir, redact, redact_cookies,  # type: ignore[no-untyped-def]
                    appendix=False, sarif_errors_level=None):
    from cyberaudit.render import RenderOptions

    if redact_cookies and not redact:
        raise InputError("--redact-cookies works together with --redact")
    level = sarif_errors_level.value if sarif_errors_level is not None else "warning"
    options = RenderOptions(title=title, organization=organization, logo=logo, template_dir=template_dir,
                            redact=redact, redact_cookies=redact_cookies, appendix=appendix,
                            sarif_errors_level=level)
    options.validate()  # a bad logo or template folder is reported before a long scan, not after
    return options


def _print_changes(changes, out: Console) -> None:  # type: ignore[no-untyped-def]
    from cyberaudit.scoring import display_score

    s = changes.score
    score = (f"score {display_score(s.old_score)} -> {display_score(s.new_score)} ({s.delta:+.1f})"
             if s.delta is not None
             else "score not comparable")
    out.print(f"Since the scan of {changes.old_generated_at}: {score}; {len(changes.new_failures)} new "
              f"problem(s), {len(changes.fixed)} fixed, {len(changes.still_failing)} still failing, "
              f"{len(changes.expiring_waivers)} waiver(s) expiring within 30 days.", markup=False, highlight=False,
              soft_wrap=True)


def _write_outputs(result, outputs, options) -> list[tuple[str, Path]]:  # type: ignore[no-untyped-def]
    """Write every -o report; the summary lists them at its end (their absolute paths)."""
    from cyberaudit.render import write_report

    return [(fmt.name, write_report(result, path, fmt, options).resolve()) for path, fmt in outputs]


def _progress_observer(err: Console):  # type: ignore[no-untyped-def]
    from cyberaudit.cli.progress import PlainObserver, RichObserver

    return RichObserver(err) if err.is_terminal else PlainObserver(err)


@app.command()
def report(
    result_file: Annotated[Path, typer.Argument(help="A saved result (JSON).", metavar="RESULT.json")],
    output: Annotated[list[Path], typer.Option("--output", "-o", metavar="FILE", help="Report file (repeatable).")],
    fmt: Annotated[str | None, typer.Option("--format", metavar="FORMAT", help="Format, overriding the extension.")] = None,
    title: TitleOpt = None,
    organization: OrganizationOpt = None,
    logo: LogoOpt = None,
    template_dir: TemplateDirOpt = None,
    redact: Annotated[bool, typer.Option("--redact", envvar="CYBERAUDIT_REDACT",
                                         help="Replace e-mail addresses and file paths by short hashes.")] = False,
    redact_cookies: RedactCookiesOpt = False,
    history: HistoryOpt = None,
    no_history: NoHistoryOpt = False,
    appendix: AppendixOpt = False,
    sarif_errors_level: SarifErrorsOpt = SarifLevel.warning,
) -> None:
    """Re-render a saved result into any report format (with the changes since the result before it)."""
    from dataclasses import replace

    from cyberaudit.render import format_for, write_report
    from cyberaudit.result import load_result

    outputs = [(p, format_for(p, fmt)) for p in output]
    result = load_result(result_file)
    # a result scanned with --redact stays redacted in every format rendered from it
    options = _render_options(title, organization, logo, template_dir,
                              redact or bool(result.options.get("redact")), redact_cookies, appendix,
                              sarif_errors_level)
    if not no_history:
        from cyberaudit.history import context_before, default_history_dir

        folder = history or default_history_dir(result.profile.path)
        if history is not None or folder.is_dir():
            ctx = context_before(result, folder)
            options = replace(options, changes=ctx.changes, trend=ctx.trend)
    err = _stderr()
    for path, f in outputs:
        written = write_report(result, path, f, options).resolve()
        err.print(f"wrote {f.name} report: {written}", markup=False, highlight=False, soft_wrap=True)


@app.command()
def merge(
    parts: Annotated[list[Path], typer.Argument(help="The partial results of every shard (JSON).",
                                                metavar="PART.json...")],
    output: Annotated[list[Path], typer.Option("--output", "-o", metavar="FILE",
                                               help="Merged result or report; the format comes from the "
                                                    "extension (repeatable).")],
    fmt: Annotated[str | None, typer.Option("--format", help="Format, overriding the extension.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only errors.")] = False,
) -> None:
    """Recombine the shards of one scan (`scan --shard`) into the result one unsharded scan gives."""
    from cyberaudit.merge import merge_results
    from cyberaudit.render import RenderOptions, check_writable, format_for
    from cyberaudit.result import load_result

    if parts and all(p.is_dir() for p in parts):
        from cyberaudit.cli.portfolio import write_index
        from cyberaudit.outfiles import make_dirs
        from cyberaudit.portfolio import merge_portfolios

        out = make_dirs(output[0])
        clients = merge_portfolios(parts, out)
        write_index(out, clients, None)
        if not quiet:
            _stderr().print(f"merged {len(clients)} clients: {(out / 'index.html').resolve()}", markup=False,
                            highlight=False, soft_wrap=True)
        return
    outputs = [(check_writable(p), format_for(p, fmt)) for p in output]
    merged = merge_results([load_result(p) for p in parts], [str(p) for p in parts])
    written = _write_outputs(merged, outputs, RenderOptions())
    if not quiet:
        for name, path in written:
            _stderr().print(f"wrote {name}: {path}", markup=False, highlight=False, soft_wrap=True)


@app.command()
def diff(
    old: Annotated[Path, typer.Argument(help="The earlier saved result (JSON).", metavar="OLD.json")],
    new: Annotated[Path, typer.Argument(help="The later saved result (JSON).", metavar="NEW.json")],
    fmt: Annotated[DiffFormat, typer.Option("--format", metavar="FORMAT", help="text, json or markdown")] = DiffFormat.text,
    fail_on_new: Annotated[Severity | None, typer.Option(
        "--fail-on-new", envvar="CYBERAUDIT_FAIL_ON_NEW", metavar="SEVERITY",
        help="Exit 1 when a new failure of this severity or above appears (critical, high, medium, low, "
             "info).")] = None,
) -> None:
    """Show what changed between two saved results: new failures, fixes, expiring waivers, score."""
    from cyberaudit.diff import diff_results, diff_to_markdown, diff_to_text
    from cyberaudit.result import load_result

    changes = diff_results(load_result(old), load_result(new))
    render = {"text": diff_to_text, "markdown": diff_to_markdown, "json": lambda d: d.to_json()}[fmt.value]
    typer.echo(render(changes), nl=False)
    if fail_on_new is not None and changes.has_new_failure_at_least(fail_on_new.value):
        _stderr().print(f"gate failed: a new failure of severity {fail_on_new.value} or above appeared",
                        markup=False, highlight=False)
        raise typer.Exit(EXIT_GATE)


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the profile.", metavar="FILE")] = Path("cyberaudit.yaml"),
    interactive: Annotated[bool, typer.Option("--interactive", "-i", help="Ask questions on the terminal.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented example profile, or build one by answering questions."""
    from cyberaudit.cli.init import example_profile, interactive_profile, terminal_prompt

    if path.exists() and not force:
        raise InputError("already exists (use --force to overwrite)", path)
    if interactive:
        if not sys.stdin.isatty():
            raise InputError("--interactive needs a terminal; run `cyberaudit init` for a commented example")
        text = interactive_profile(terminal_prompt, typer.echo, profile_path=path)
    else:
        text = example_profile()
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write the profile: {exc.strerror}", path) from None
    _stderr().print(f"wrote {path}; edit it, then run: cyberaudit scan -p {path}", markup=False)


@app.command()
def demo(
    output_dir: Annotated[Path, typer.Option("--output-dir", metavar="FOLDER", help="Where the reports, the profile and "
                                             "the demo CA certificate are written.")] = Path("cyberaudit-demo"),
    keep_running: Annotated[bool, typer.Option(
        "--keep-running", help="Leave the demo practice's servers up until Ctrl-C, to scan or browse them.")] = False,
    fmt: Annotated[list[str] | None, typer.Option(
        "--format", metavar="FORMAT", help="Also write report.<ext> in this format (repeatable; 'all' for every "
        "installed format). HTML and JSON are always written.")] = None,
    output: Annotated[list[Path] | None, typer.Option(
        "--output", "-o", metavar="FILE",
        help="Also write this report file; format from the extension (repeatable).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress, only where the reports are.")] = False,
) -> None:
    """Scan a practice with typical mistakes, served on this computer only, and write its report."""
    from cyberaudit.cli.demo import print_summary, report_writer, wait_for_ctrl_c
    from cyberaudit.demo.run import run_demo

    writer = report_writer(fmt or [], output or [])  # a bad --format or -o fails before anything starts
    err = _stderr()
    if not quiet:
        err.print("Starting the demo practice on 127.0.0.1 (nothing leaves this computer) and scanning it...",
                  markup=False, highlight=False)
    wait = wait_for_ctrl_c if keep_running else None
    outcome = run_demo(output_dir, write_reports=writer, observer=None if quiet else _progress_observer(err),
                       while_running=wait)
    if keep_running:
        typer.echo(f"The demo practice has stopped; its reports stay in {outcome.output_dir.resolve()}.")
    else:
        print_summary(outcome)


@app.command()
def schema(kind: Annotated[SchemaKind, typer.Argument(
        metavar="KIND", help="profile, pack, platforms (a catalogue file) or result")]) -> None:
    """Print the JSON Schema of profiles, rule packs or results (for editors and validators)."""
    from cyberaudit.schemas import schema_for

    typer.echo(json.dumps(schema_for(kind.value), indent=2))


@app.command()
def facts(probe: Annotated[str | None, typer.Argument(metavar="PROBE", help="Only this probe.")] = None,
          fmt: Annotated[str, typer.Option("--format", metavar="FORMAT", help="text, markdown or json")] = "text") -> None:
    """List every fact the probes publish, which rules may read."""
    from cyberaudit.factdocs import render_facts

    typer.echo(render_facts(probe, fmt), nl=False)


@app.command()
def platforms(
    catalog: Annotated[list[Path] | None, typer.Option("--catalog", metavar="FILE",
                                                       help="Also read this catalogue file (repeatable).")] = None,
    kind: Annotated[str | None, typer.Option("--kind", metavar="KIND",
                                             help="Only this kind (video, ehr, email, …).")] = None,
    fmt: Annotated[str, typer.Option("--format", metavar="FORMAT", help="text or json")] = "text",
) -> None:
    """List the platform catalogue: which plans sign a BAA, encrypt end to end and offer MFA."""
    from rich.table import Table

    from cyberaudit.platforms import load_catalog

    if fmt not in ("text", "json"):
        raise InputError(f"unknown format {fmt!r} (text or json)")
    cat = load_catalog(catalog or [])
    entries = [e for e in cat.entries.values() if kind is None or e.kind == kind]
    if kind is not None and not entries:
        kinds = sorted({e.kind for e in cat.entries.values()})
        raise InputError(f"no platforms of kind {kind!r} (kinds: {', '.join(kinds)})")
    entries.sort(key=lambda e: (e.kind, e.name.lower()))
    if fmt == "json":
        typer.echo(json.dumps({"catalogs": list(cat.sources), "entries": [e.as_fact() for e in entries]},
                              indent=2))
        return
    table = Table(show_edge=False)
    for col in ("Id", "Service", "Kind", "BAA", "End-to-end", "MFA"):
        table.add_column(col)
    yes_no = {True: "yes", False: "no", None: "unknown"}
    for e in entries:
        table.add_row(e.id, e.name, e.kind, yes_no[e.baa], e.e2ee, e.mfa)
    _stdout().print(table)
    _stdout().print(f"{len(entries)} platforms from {', '.join(cat.sources)}. "
                    "Name one in cyberaudit.yaml with name: or catalog: ID.")


class SpfFormat(str, Enum):
    text = "text"
    json = "json"


@app.command()
def spf(
    domain: Annotated[str, typer.Argument(metavar="DOMAIN", help="The domain whose SPF policy is checked.")],
    ip: Annotated[str, typer.Option("--ip", metavar="IP", help="The sending server's IP address.")],
    sender: Annotated[str | None, typer.Option(
        "--sender", metavar="ADDRESS", help="The envelope sender (MAIL FROM); default postmaster@DOMAIN.")] = None,
    helo: Annotated[str | None, typer.Option("--helo", metavar="NAME", help="The HELO/EHLO name; default DOMAIN.")] = None,
    nameserver: Annotated[list[str] | None, typer.Option(
        "--nameserver", envvar="CYBERAUDIT_NAMESERVER", metavar="ADDR[:PORT]",
        help="DNS resolver to ask (repeatable).")] = None,
    timeout: Annotated[float, typer.Option("--timeout", metavar="SECONDS", help="Seconds to wait for each DNS answer.",
                                           min=0.1, max=60)] = 3.0,
    tree: Annotated[bool, typer.Option("--tree", help="Also show the whole record tree and its lookups.")] = False,
    fmt: Annotated[SpfFormat, typer.Option("--format", metavar="FORMAT", help="text or json")] = SpfFormat.text,
) -> None:
    """Check whether IP may send mail for DOMAIN (SPF, RFC 7208) and explain the answer."""
    from cyberaudit.dnsclient import DnsClient
    from cyberaudit.spf import analyze_spf, check_host
    from cyberaudit.spf.names import ascii_domain
    from cyberaudit.spf.text import analysis_text, result_text

    # a malformed DOMAIN (pasted from a header) is SPF "none" with the reason, not a usage error (§4.3)
    domain = ascii_domain(domain).rstrip(".")
    dns = DnsClient(tuple(_parse_ns(n) for n in _split_env_list(nameserver)), timeout=timeout)
    result = check_host(ip, domain, sender if sender is not None else f"postmaster@{domain}",
                        helo if helo is not None else domain, dns)
    analysis = analyze_spf(domain, dns) if tree else None
    if fmt is SpfFormat.json:
        out = result.to_dict()
        if analysis is not None:
            out["analysis"] = analysis.to_dict()
        typer.echo(json.dumps(out, indent=2))
        return
    typer.echo(result_text(result), nl=False)
    if analysis is not None:
        typer.echo("\n" + analysis_text(analysis), nl=False)


@rules_app.command("list")
def rules_list(
    pack: Annotated[list[Path] | None, typer.Option("--pack", metavar="PATH",
                                                    help="Also load this pack file or folder.")] = None,
    category: Annotated[str | None, typer.Option("--category", metavar="CATEGORY", help="Only this category.")] = None,
    fmt: Annotated[str, typer.Option("--format", metavar="FORMAT", help="text or json")] = "text",
) -> None:
    """List the rules of the built-in packs and any --pack."""
    from dataclasses import asdict

    from cyberaudit.ruleindex import RuleSummary, rule_index

    if fmt not in ("text", "json"):
        raise InputError(f"unknown format {fmt!r} (text or json)")
    if pack:
        from cyberaudit.packs import load_rule_set

        rs = load_rule_set([str(p) for p in pack])
        rules = [RuleSummary(r.id, r.model.title, r.model.category, r.model.severity, r.model.scope,
                             r.model.probe, r.pack) for r in rs.rules.values()]
    else:
        rules = rule_index()  # the shipped packs: kept between runs, so no YAML or pydantic to load
    selected = [r for r in rules if category is None or r.category == category]
    if category is not None and not selected:
        cats = sorted({r.category for r in rules})
        raise InputError(f"no rules in category {category!r} (categories: {', '.join(cats)})")
    if fmt == "json":
        typer.echo(json.dumps([asdict(r) for r in selected], indent=2))
        return
    from rich.table import Table

    table = Table(show_edge=False)
    for col in ("Id", "Severity", "Scope", "Title"):
        table.add_column(col)
    for r in selected:
        table.add_row(r.id, r.severity, r.scope, r.title)
    _stdout().print(table)


@rules_app.command("show")
def rules_show(
    rule_id: Annotated[str, typer.Argument(metavar="ID", help="A rule id, such as TLS-CERT-TRUSTED.")],
    pack: Annotated[list[Path] | None, typer.Option("--pack", metavar="PATH",
                                                    help="Also load this pack file or folder.")] = None,
) -> None:
    """Show a rule: title, rationale, remediation, references, parameters and check."""
    import yaml

    from cyberaudit.packs import load_rule_set

    rs = load_rule_set([str(p) for p in (pack or [])])
    canonical = rs.resolve_id(rule_id.upper())
    if canonical is None:
        from cyberaudit.messages import closest

        near = closest(rule_id.upper(), [*rs.rules, *rs.aliases])
        hint = f"did you mean {near}? " if near else ""
        raise InputError(f"unknown rule id {rule_id!r} ({hint}see `cyberaudit rules list`)")
    m = rs.rules[canonical].model
    out = [f"{m.id} — {m.title}", f"pack {rs.rules[canonical].pack}, category {m.category}, severity "
           f"{m.severity}, scope {m.scope}, probe {m.probe}, effort {m.effort}"]
    if m.aliases:
        out.append(f"formerly: {', '.join(m.aliases)}")
    if m.summary:
        out += ["", m.summary.strip()]
    out += ["", "Why it matters:", _indent(m.rationale), "", "What to do:", _indent(m.remediation), "",
            "References:", *[f"  - {ref}" for ref in m.references]]
    if m.params:
        out += ["", "Parameters (override in the profile under rules.params." + m.id + "):"]
        out += [f"  {k} = {v.default!r}  {v.description}" for k, v in m.params.items()]
    if m.applies_if is not None:
        out += ["", "Applies if:", _indent(yaml.safe_dump(m.applies_if, sort_keys=False).rstrip())]
    out += ["", "Check:", _indent(yaml.safe_dump(m.check, sort_keys=False).rstrip())]
    typer.echo("\n".join(out))


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.strip().splitlines())


@rules_app.command("validate")
def rules_validate(paths: Annotated[list[Path], typer.Argument(metavar="PATH", help="Pack files or folders.")]) -> None:
    """Validate rule packs (against the built-in ones, for duplicate ids) without scanning."""
    from cyberaudit.packs import load_rule_set

    rs = load_rule_set([str(p) for p in paths])
    extra = [p for p in rs.packs if not p.builtin]
    for p in extra:
        typer.echo(f"{p.path}: ok — pack {p.name} {p.version}, {len(p.rules)} rules")


def _crash_log(exc: BaseException) -> Path:
    import datetime as dt
    import platform
    import tempfile
    import traceback

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    base = Path(os.environ.get("CYBERAUDIT_CRASH_DIR") or tempfile.gettempdir())
    path = base / f"cyberaudit-crash-{stamp}-{os.getpid()}.log"
    text = (f"cyberaudit {__version__}\npython {sys.version}\nplatform {platform.platform()}\n"
            f"argv {sys.argv!r}\n\n" + "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    try:
        from cyberaudit.outfiles import write_private

        write_private(path, text)  # argv and the traceback may name the practice's files
    except (OSError, CyberauditError):
        path = Path("(could not write a crash log)")
    return path


class Stopped(BaseException):
    """A signal asked the process to stop (a CI job cancelled, a `timeout` wrapper, a closed terminal).

    Not an Exception, so no `except Exception` on the way up swallows it; `finally` blocks still run.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


_STOP_SIGNALS = ("SIGTERM", "SIGHUP")


@contextlib.contextmanager
def _stop_on_signals() -> Iterator[None]:
    """While the command runs, SIGTERM and SIGHUP raise Stopped in the main thread instead of killing it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    signals = [getattr(signal, name) for name in _STOP_SIGNALS if hasattr(signal, name)]

    def stop(signum: int, _frame: object) -> None:
        for sig in signals:  # a second signal must not interrupt the clean-up of the first
            signal.signal(sig, signal.SIG_IGN)
        raise Stopped(signum)

    previous = {}
    for sig in signals:
        if signal.getsignal(sig) is not signal.SIG_DFL:
            continue  # ignored on purpose (`nohup`) or handled by whoever runs us: leave it so
        with contextlib.suppress(ValueError, OSError):
            previous[sig] = signal.signal(sig, stop)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            with contextlib.suppress(ValueError, OSError, TypeError):
                signal.signal(sig, handler)


def _end_children() -> None:
    """No browser or other child process outlives the command, however it ended."""
    children = sys.modules.get("cyberaudit.children")  # nothing to end if no child was ever started
    if children is not None:
        children.end_all()


def main(argv: list[str] | None = None) -> int:
    """Console entry point: runs the app and turns every outcome into a documented exit code."""
    try:
        with _stop_on_signals():
            try:
                code = _run(argv)
            finally:
                _end_children()
    except Stopped as exc:
        _end_children()
        name = signal.Signals(exc.signum).name
        with contextlib.suppress(Exception):
            _stderr().print(f"stopped by {name}: the scan was not finished", markup=False)
        code = 128 + exc.signum
    if argv is None:
        sys.exit(code)
    return code


def _run(argv: list[str] | None) -> int:
    try:
        rv = app(args=argv, standalone_mode=False, prog_name="cyberaudit")
        code = rv if isinstance(rv, int) else EXIT_OK
    except typer.Exit as exc:
        code = exc.exit_code
    except typer.Abort:
        _stderr().print("aborted", markup=False)
        code = EXIT_INPUT
    except typer.TyperException as exc:  # usage errors: bad option, missing argument
        show = getattr(exc, "show", None)
        if show is not None:
            show()
        else:
            _stderr().print(f"error: {exc}", markup=False, highlight=False)
        code = EXIT_INPUT
    except InputError as exc:
        err = _stderr()  # each console is made only when needed: `--help` does not import rich
        for line in exc.lines():  # several problems of one file: one line each
            err.print(f"error: {line}", markup=False, highlight=False, soft_wrap=True)
        code = EXIT_INPUT
    except CyberauditError as exc:
        _stderr().print(f"error: {exc}", markup=False, highlight=False, soft_wrap=True)
        code = EXIT_INPUT
    except KeyboardInterrupt:
        _stderr().print("interrupted", markup=False)
        code = 130
    except Exception as exc:
        log = _crash_log(exc)
        _stderr().print(f"internal error: {type(exc).__name__}: {exc}\nThis is a bug in cyberaudit. A crash "
                        f"log was written to {log}; please attach it to a bug report.", markup=False, highlight=False)
        code = EXIT_INTERNAL
    return code


if __name__ == "__main__":
    main()
