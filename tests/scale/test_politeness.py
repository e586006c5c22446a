"""At most --per-ip connections at once to one address, and retries only for failed connects."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from cyberaudit.demo.http_server import HttpServer, Route
from cyberaudit.errors import ProbeError
from cyberaudit.network import Network, NetworkSettings
from tests.conftest import run_cli_subprocess


class Counter:
    def __init__(self) -> None:
        self.now = self.peak = 0
        self.lock = threading.Lock()

    def __call__(self, path, headers):
        with self.lock:
            self.now += 1
            self.peak = max(self.peak, self.now)
        time.sleep(0.25)  # long enough for the scan's other threads to pile up
        with self.lock:
            self.now -= 1
        return Route(200, "<html><body>ok</body></html>")


def _profile(path, port: int, n: int):
    lines = ["practice:", "  name: Polite", "targets:", "  websites:"]
    lines += [f"    - url: http://p{i}.polite.example:{port}/\n      address: 127.0.0.1" for i in range(n)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("per_ip, workers, most", [("2", "1", 2), ("0", "1", None),
                                                     ("3", "2", 3), ("0", "2", None)])
def test_connections_to_one_address_are_capped(tmp_path, per_ip, workers, most):
    # with worker processes the cap is still for the whole scan, not for each worker
    counter = Counter()
    with HttpServer({"/": counter}) as server:
        profile = _profile(tmp_path / "p.yaml", server.port, 12 * int(workers))
        run = run_cli_subprocess("scan", "-p", str(profile), "--per-ip", per_ip,
                                 "--concurrency", "12", "--workers", workers, "--no-history", "-q",
                                 "-o", str(tmp_path / "r.json"))
    assert run.code in (0, 1), run.err
    if most is not None:
        assert 1 <= counter.peak <= most
    else:
        assert counter.peak > 3  # without the cap the same scan does open more: the test can fail


def test_the_rate_holds_across_worker_processes(tmp_path):
    starts: list[float] = []

    def stamp(path, headers):
        starts.append(time.monotonic())
        # one request per connection, so each request start is a connection start
        return Route(200, "<html><body>ok</body></html>",
                     (("Content-Type", "text/html"), ("Connection", "close")))

    with HttpServer({"/": stamp}) as server:
        profile = _profile(tmp_path / "p.yaml", server.port, 8)
        run = run_cli_subprocess("scan", "-p", str(profile), "--rate", "10", "--workers", "2",
                                 "--no-history", "-q", "-o", str(tmp_path / "r.json"))
    assert run.code in (0, 1), run.err
    # every connection, of either worker, waited its turn: 10 a second for the scan as a whole
    starts.sort()
    assert len(starts) >= 8
    assert starts[-1] - starts[0] >= (len(starts) - 1) / 10 * 0.9


def test_a_refused_connect_is_retried_with_backoff_then_reported():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once the socket is closed
    network = Network(NetworkSettings(connect_retries=2))
    started = time.monotonic()
    with pytest.raises(ProbeError, match="cannot connect"):
        network.connect("127.0.0.1", port, timeout=1)
    assert time.monotonic() - started >= 0.25 + 0.5  # two waits: 0.25 s, then 0.5 s
    # the failed attempts gave their slots back
    for _ in range(6):
        with pytest.raises(ProbeError):
            Network(NetworkSettings(connect_retries=0, per_ip=1)).connect("127.0.0.1", port, timeout=1)
