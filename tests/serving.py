"""Run `redthread serve` on a free loopback port for tests that need a real server process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(store_url: str, home: Path, *, env: dict[str, str] | None = None, ready: str = "/stats",
            tries: int = 300) -> Iterator[str]:
    """Start the server on ``store_url``, wait until ``ready`` answers 200 (``tries`` × 0.1 s), yield its
    base URL (no trailing slash); stop it after (killed if it has not stopped within 30 s).

    The screening warm-up is off unless ``env`` turns it on: it would cost every test server
    rigour's tagger build and nomenklatura's import, for tests that mostly never screen."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "redthread.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env={**os.environ, "REDTHREAD_STORE": store_url, "REDTHREAD_HOME": str(home),
             "REDTHREAD_SERVE_WARMUP": "0", **(env or {})},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(tries):
            try:
                if httpx.get(f"{base}{ready}", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None:
                raise RuntimeError(proc.stdout.read().decode() if proc.stdout else "server died")
            time.sleep(0.1)
        else:
            raise RuntimeError("server did not start")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:  # a loaded CI machine: do not fail the test on a slow shutdown
            proc.kill()
            proc.wait()
