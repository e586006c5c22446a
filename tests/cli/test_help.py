"""`--help` as a new user reads it: plain placeholders, -h, whole descriptions, examples and exit codes."""

from __future__ import annotations

import re
import shlex

from cyberaudit.cli.main import EXIT_GATE, EXIT_INPUT, EXIT_INTERNAL, EXIT_OK, app

COMMANDS = [["scan"], ["report"], ["diff"], ["init"], ["demo"], ["schema"], ["facts"], ["platforms"], ["spf"],
            ["rules"], ["rules", "list"], ["rules", "show"], ["rules", "validate"]]
# what typer prints when a parameter has no placeholder of its own: <list[str]>, <float range>, <path>, {FILE}
TYPE_LABEL = re.compile(r"<(list\[|float|int|str|path|bool|[a-z]+ range)|\{[A-Z.]+\}", re.IGNORECASE)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_every_placeholder_is_a_plain_word(cli):
    for command in COMMANDS:
        run = cli(*command, "--help")
        assert run.code == 0, command
        assert not TYPE_LABEL.search(run.out), f"{' '.join(command)}: {TYPE_LABEL.search(run.out).group(0)}"
    scan = cli("scan", "--help").out
    for option in ("-p, --profile FILE", "-o, --output FILE", "--timeout SECONDS", "--connect-timeout SECONDS",
                   "--max-time SECONDS", "--concurrency N", "--dns-retries N", "--fail-under SCORE",
                   "--fail-on SEVERITY", "--resolve HOST:PORT:ADDR", "--history FOLDER"):
        assert option in scan, option
    assert "Usage: cyberaudit report [OPTIONS] RESULT.json" in cli("report", "--help").out
    assert "Usage: cyberaudit init [OPTIONS] [FILE]" in cli("init", "--help").out
    assert "--catalog FILE" in cli("platforms", "--help").out


def test_dash_h_is_help_everywhere(cli):
    for command in [[], *COMMANDS]:
        short, long = cli(*command, "-h"), cli(*command, "--help")
        assert short.code == 0 and short.out == long.out and "Usage: cyberaudit" in short.out, command


def test_the_command_list_shows_each_whole_description(cli):
    listing = _flat(cli("--help").out.split("Commands:")[1])
    assert "..." not in listing  # click cuts a long description with "..."
    for info in app.registered_commands:
        first_line = (info.callback.__doc__ or "").strip().splitlines()[0]
        assert _flat(first_line) in listing, first_line
    rules = _flat(cli("rules", "--help").out)
    assert "Validate rule packs (against the built-in ones, for duplicate ids) without scanning." in rules


def test_scan_help_ends_with_three_examples_and_the_exit_codes(cli):
    out = cli("scan", "--help").out
    examples, codes = out.split("Examples:")[1].split("Exit codes:")
    commands = [line.strip() for line in examples.splitlines() if line.strip().startswith("cyberaudit scan")]
    assert len(commands) == 3
    options = out.split("Examples:")[0]
    for line in commands:
        for word in shlex.split(line):
            if word.startswith("-"):
                assert re.search(rf"(^|[ ,]){re.escape(word)}[ ,\n]", options), f"{word} in {line!r}"
    listed = [int(m) for m in re.findall(r"^\s+(\d+)\s", codes, re.MULTILINE)]
    assert listed == [EXIT_OK, EXIT_GATE, EXIT_INPUT, EXIT_INTERNAL, 130]
    assert out.rstrip().endswith("interrupted (Ctrl-C)")
