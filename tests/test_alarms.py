"""Deadlines run by one shared thread: on time, never once cancelled, and no thread left after."""

from __future__ import annotations

import threading
import time

from cyberaudit import alarms


def _alarm_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "cyberaudit-alarms"]


def _wait_until(check, seconds: float = 2.0) -> bool:
    deadline = time.monotonic() + seconds
    while not check() and time.monotonic() < deadline:
        time.sleep(0.01)
    return check()


def test_callbacks_fire_in_deadline_order_and_cancelled_ones_never():
    fired: list[str] = []
    now = time.monotonic()
    alarms.call_at(now + 0.15, lambda: fired.append("late"))
    alarms.call_at(now + 0.05, lambda: fired.append("early"))
    cancelled = alarms.call_at(now + 0.10, lambda: fired.append("cancelled"))
    cancelled.cancel()
    assert _wait_until(lambda: len(fired) == 2)
    time.sleep(0.1)
    assert fired == ["early", "late"]
    assert not cancelled.pending


def test_a_deadline_already_past_fires_at_once():
    hit = threading.Event()
    alarms.call_at(time.monotonic() - 1, hit.set)
    assert hit.wait(1)


def test_a_failing_callback_does_not_stop_later_deadlines():
    hit = threading.Event()
    now = time.monotonic()
    alarms.call_at(now + 0.02, lambda: 1 / 0)
    alarms.call_at(now + 0.05, hit.set)
    assert hit.wait(2)


def test_the_thread_ends_once_nothing_is_pending():
    many = [alarms.call_at(time.monotonic() + 60, lambda: None) for _ in range(1000)]
    assert len(_alarm_threads()) == 1  # one thread for all of them, not one each
    for alarm in many:
        alarm.cancel()
    assert _wait_until(lambda: not _alarm_threads())
    # and a new deadline starts it again
    hit = threading.Event()
    alarms.call_at(time.monotonic() + 0.01, hit.set)
    assert hit.wait(1)
