"""`redthread serve` stops within a bound after SIGTERM, even with a request still open.

uvicorn's graceful shutdown waits, by default without limit, for every
request in flight to finish; a client that never sends the rest of its
request (or a long request) kept the process alive until it was killed.
The wait is bounded by ``REDTHREAD_SHUTDOWN_GRACE_S`` (settings.py).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.serving import free_port

#: Generous: the grace is 2 s here; the rest is interpreter start and stop on a loaded machine.
BOUND_S = 15.0


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM")
def test_serve_stops_soon_after_sigterm_with_a_request_open(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "REDTHREAD_STORE": f"sqlite:///{tmp_path / 'case.db'}", "REDTHREAD_HOME": str(tmp_path),
           "REDTHREAD_SHUTDOWN_GRACE_S": "2"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "redthread.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(f"{base}/stats", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else "server died"
            time.sleep(0.1)
        else:
            pytest.fail("server did not start")
        # A request whose body never finishes arriving: the server holds it open, waiting.
        with socket.create_connection(("127.0.0.1", port)) as open_request:
            open_request.sendall(b"POST /extract HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                 b"Content-Length: 100000\r\n\r\n{\"text\": ")
            time.sleep(0.5)
            assert proc.poll() is None
            start = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=BOUND_S)
            except subprocess.TimeoutExpired:
                pytest.fail(f"redthread serve still running {BOUND_S} s after SIGTERM with a request open")
            elapsed = time.monotonic() - start
        print(f"stopped {elapsed:.1f} s after SIGTERM")
        assert elapsed < BOUND_S
        out = proc.stdout.read().decode() if proc.stdout else ""
        assert "graceful shutdown exceeded" in out  # it was the bound that ended the wait
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_stragglers_names_a_thread_still_running_and_waits_for_one_that_ends() -> None:
    """The threads `serve` would otherwise wait for at exit (a synchronous request still running)."""
    from redthread.commands.serve_cmd import stragglers

    release = threading.Event()
    stuck = threading.Thread(target=release.wait, name="stuck-request")
    quick = threading.Thread(target=time.sleep, args=(0.2,), name="quick-request")
    stuck.start()
    quick.start()
    try:
        left = stragglers(1.0)
        assert "stuck-request" in left
        assert "quick-request" not in left
    finally:
        release.set()
        stuck.join()
    assert "stuck-request" not in stragglers(0.0)
