"""Asking one question on the terminal and checking its answer: yes / no / not sure, lists, dates."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

from cyberaudit.errors import InputError

Prompt = Callable[..., str]  # ask(question, default=None, choices=None) -> the answer as typed
Say = Callable[[str], None]
Check = Callable[[str], str | None]  # the problem with an answer, or None

NOT_SURE = "not sure"
_YES = {"y", "yes", "true", "1"}
_NO = {"n", "no", "false", "0"}
_UNSURE = {"", "?", "not sure", "notsure", "ns", "unsure", "don't know", "dont know", "do not know",
           "idk", "unknown", "skip"}


def terminal_prompt(question: str, default: str | None = None, choices: list[str] | None = None) -> str:
    """Ask on the terminal; Enter takes the default. Ctrl-C stops (exit 130), nothing is written."""
    label = f"{question} ({'/'.join(choices)})" if choices else question
    suffix = f" [{default}]" if default else ""
    while True:
        try:
            answer = input(f"{label}{suffix}: ").strip()
        except KeyboardInterrupt:
            print("\nStopped: no profile was written.")
            raise
        except EOFError:
            raise InputError("the answers ended before the last question; no profile was written") from None
        answer = answer or (default or "")
        if not choices:
            return answer
        match = [c for c in choices if c.lower() == answer.lower()]
        if match:
            return match[0]
        print(f"Please answer one of: {', '.join(choices)}")


def valid(ask: Prompt, question: str, check: Check, say: Say, **kwargs: object) -> str:
    """Ask until the answer passes `check`, saying what is wrong each time."""
    while True:
        answer = ask(question, **kwargs).strip()
        problem = check(answer)
        if problem is None:
            return answer
        say(problem)


def yes_no_unsure(ask: Prompt, question: str, say: Say) -> bool | None:
    """True, False, or None for "not sure" (also Enter): an unknown stays unknown, never becomes no."""
    while True:
        answer = " ".join(ask(f"{question} (yes / no / not sure)", default=NOT_SURE).lower().split())
        if answer in _YES:
            return True
        if answer in _NO:
            return False
        if answer in _UNSURE:
            return None
        say("Please answer yes, no or not sure.")


def words(answer: str) -> list[str]:
    return [a.strip() for a in answer.replace(",", " ").split() if a.strip()]


def not_empty(answer: str) -> str | None:
    return None if answer else "Please type an answer."


def urls(answer: str) -> str | None:
    bad = [u for u in words(answer) if not u.lower().startswith(("https://", "http://"))]
    return f"Start each address with https:// (not {bad[0]!r})." if bad else None


def domains(answer: str) -> str | None:
    for d in words(answer):
        if "@" in d or "/" in d or "." not in d.strip("."):
            return f"Give domain names such as practice.example (not {d!r})."
    return None


_SELECTOR = re.compile(r"^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$")


def selectors(answer: str) -> str | None:
    bad = [s for s in words(answer) if not _SELECTOR.match(s)]
    return f"A selector is a short name such as google or selector1 (not {bad[0]!r})." if bad else None


def number(what: str, example: str) -> Check:
    def check(answer: str) -> str | None:
        if not answer:
            return None
        try:
            ok = float(answer) >= 0
        except ValueError:
            ok = False
        return None if ok else f"Please give a number of {what} such as {example}."
    return check


def whole_number(answer: str) -> str | None:
    if not answer:
        return None
    return None if answer.isdigit() else "Please give a whole number of days such as 30 (0 if never kept)."


def past_date(today: dt.date) -> Check:
    def check(answer: str) -> str | None:
        if not answer:
            return None
        try:
            day = dt.date.fromisoformat(answer)
        except ValueError:
            return "Please give the date as YYYY-MM-DD, for example 2026-09-01."
        return f"{answer} is in the future; give the date it was done." if day > today else None
    return check


def existing_file(answer: str) -> str | None:
    if not answer:
        return None
    return None if Path(answer).expanduser().is_file() else f"There is no file {answer!r}; give its path, or press Enter."


def as_number(answer: str) -> int | float:
    return float(answer) if "." in answer else int(answer)
