"""How `--help` reads: plain argument names (FILE, not {FILE} <path>), whole command descriptions.

typer bundles its own copy of click, so parameters are told apart by `param_type_name`.
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

HELP_OPTIONS = {"help_option_names": ["-h", "--help"]}  # subcommands inherit it from the app's context

# `\b` keeps click from re-wrapping the lines of the paragraph that follows it
SCAN_EPILOG = """\
Examples:

\b
  cyberaudit scan -o report.html
      Scan the practice described in cyberaudit.yaml; open report.html in a browser.
  cyberaudit scan -p clinic.yaml -o report.pdf -o result.json
      Another profile; a PDF to print and a saved result for `cyberaudit diff` later.
  cyberaudit scan --fail-under 85 --fail-on high -q -o results.sarif
      In CI: exit 1 when the score is below 85 or a high or critical check fails.

Exit codes:

\b
  0    the scan is done and the gate passed (or no gate was asked for)
  1    the gate failed (--fail-under, --fail-on; checks that could not be made count as
       failures unless --allow-errors)
  2    invalid input: usage, profile, rule pack or result file (the message says where)
  3    internal error: a crash log is written and its path printed
  130  interrupted (Ctrl-C)
"""


def _argument_name(param: Any) -> str:
    name = param.metavar or (param.name or "").upper()
    return name + ("..." if param.nargs != 1 else "")


def _quick_help_option(option: Any) -> Any:
    # Not given, the help flag reads None, which typer coerces through a pydantic TypeAdapter: that
    # imports pydantic for every command. False, a bool already, is passed through as it is.
    if option is not None and option.default is None:
        option.default = False
    return option


class PlainCommand(TyperCommand):
    """A command whose usage line and argument list name each argument once, in capitals."""

    def get_help_option(self, ctx: typer.Context) -> Any:
        return _quick_help_option(super().get_help_option(ctx))

    def collect_usage_pieces(self, ctx: typer.Context) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name == "argument":
                name = _argument_name(param)
                pieces.append(name if param.required else f"[{name}]")
        return pieces

    def format_options(self, ctx: typer.Context, formatter: Any) -> None:
        args: list[tuple[str, str]] = []
        opts: list[tuple[str, str]] = []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if param.param_type_name == "argument":
                args.append((_argument_name(param), record[1]))  # without typer's "<path>" type label
            else:
                opts.append(record)
        if args:
            with formatter.section("Arguments"):
                formatter.write_dl(args)
        if opts:
            with formatter.section("Options"):
                formatter.write_dl(opts)


class PlainGroup(TyperGroup):
    """A command group whose command list shows each command's whole first sentence, never cut."""

    def get_help_option(self, ctx: typer.Context) -> Any:
        return _quick_help_option(super().get_help_option(ctx))

    def format_commands(self, ctx: typer.Context, formatter: Any) -> None:
        rows = [(name, cmd.get_short_help_str(limit=10_000)) for name in self.list_commands(ctx)
                if (cmd := self.get_command(ctx, name)) is not None and not cmd.hidden]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


class PlainApp(typer.Typer):
    """A typer app whose commands default to `PlainCommand`, so each decorator stays as it was."""

    def command(self, *args: Any, cls: type[TyperCommand] | None = None, **kwargs: Any) -> Any:
        return super().command(*args, cls=cls or PlainCommand, **kwargs)
