"""Notifications: each new open alert to a webhook URL or a command.

A watchlist's ``webhook`` (or ``REDTHREAD_MONITOR_WEBHOOK``) receives one
``POST`` per alert with the alert as JSON; its ``command`` (or
``REDTHREAD_MONITOR_COMMAND``) is run once per alert with the JSON on
standard input (no shell). Each delivery is tried :data:`ATTEMPTS` times
with a growing pause; what still fails is appended to the dead-letter file
(``REDTHREAD_MONITOR_DEAD_LETTER``, default ``<home>/monitor/dead-letter.jsonl``)
with the reason, so nothing is lost and it can be replayed. Notification
runs after the run's transaction committed: a failing receiver never costs
an alert.
"""

from __future__ import annotations

import logging
import shlex
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import orjson

from redthread import settings
from redthread.model import now_iso

log = logging.getLogger(__name__)

ATTEMPTS = 3
TIMEOUT = 10.0


def _pause(attempt: int) -> float:
    base = settings.monitor_retry_pause()
    return base * 2.0 ** attempt


def dead_letter_path() -> Path:
    return settings.monitor_dead_letter()


def post_webhook(url: str, body: bytes) -> None:
    """One POST; raises on a transport error or a non-2xx answer."""
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"webhook must be an http(s) URL, not {url!r}")
    req = urllib.request.Request(url, data=body, method="POST",
                                 headers={"Content-Type": "application/json", "User-Agent": "redthread-monitor"})
    with urllib.request.urlopen(req, timeout=TIMEOUT) as resp:  # noqa: S310 - scheme checked above
        if not 200 <= resp.status < 300:
            raise OSError(f"HTTP {resp.status}")


def run_command(command: str, body: bytes) -> None:
    """Run the command with the alert on stdin; raises when it fails."""
    proc = subprocess.run(shlex.split(command), input=body, capture_output=True, timeout=TIMEOUT, check=False)
    if proc.returncode != 0:
        raise OSError(f"exit {proc.returncode}: {proc.stderr.decode('utf-8', 'replace')[:200]}")


def deliver(target: str, kind: str, alert: Mapping[str, Any], attempts: int = ATTEMPTS) -> bool:
    """Deliver one alert with retries; on failure append it to the dead-letter file. True when delivered."""
    body = orjson.dumps(alert)
    error = ""
    for attempt in range(attempts):
        try:
            (post_webhook if kind == "webhook" else run_command)(target, body)
            return True
        except (OSError, ValueError, subprocess.SubprocessError, urllib.error.URLError) as exc:
            error = str(exc)
            log.warning("notifying %s %s failed (attempt %d): %s", kind, target, attempt + 1, error)
            if attempt + 1 < attempts:
                time.sleep(_pause(attempt))
    path = dead_letter_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("ab") as fh:
        fh.write(orjson.dumps({"at": now_iso(), "target": target, "kind": kind, "attempts": attempts,
                               "error": error, "alert": alert}) + b"\n")
    return False


def send_all(watchlist: Any, alerts: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    """Notify every configured receiver of each alert; counts delivered and dead-lettered."""
    targets = []
    hook = getattr(watchlist, "webhook", None) or settings.monitor_webhook()
    cmd = getattr(watchlist, "command", None) or settings.monitor_command()
    if hook:
        targets.append((hook, "webhook"))
    if cmd:
        targets.append((cmd, "command"))
    counts = {"delivered": 0, "dead_letter": 0}
    for alert in alerts:
        for target, kind in targets:
            counts["delivered" if deliver(target, kind, alert) else "dead_letter"] += 1
    return counts
