"""All settings in one place, read from the environment when asked for.

``REDTHREAD_HOME``   data folder (default ``~/.local/share/redthread``)
``REDTHREAD_STORE``  store URL: ``sqlite:///path.db`` (default: ``redthread.db``
                     under ``REDTHREAD_HOME``) or ``postgresql://user@host/db``
``REDTHREAD_MAX_INPUT_MB``  largest single input file accepted (default 512)
``REDTHREAD_MAX_UPLOAD_MB``  largest file accepted by the API's upload (default 50)
``REDTHREAD_CORS_ORIGINS``  comma-separated origins the API admits (default none: CORS closed)
``REDTHREAD_MAX_BODY_MB``  largest request body the API reads, uploads aside (default 10)
``REDTHREAD_ALLOWED_HOSTS``  comma-separated Host names the API answers (default any; keyless
                     loopback requests must always name a loopback host)
``REDTHREAD_LOOPBACK_WRITES``  ``1``: keyless loopback callers may write (default: read only)
``REDTHREAD_WRITE_WAIT_S``  how long a SQLite writer queues behind another (default 3600 s)
"""

from __future__ import annotations

import os
from pathlib import Path


def home() -> Path:
    """The data folder; created on first use."""
    raw = os.environ.get("REDTHREAD_HOME")
    path = Path(raw).expanduser() if raw else Path.home() / ".local" / "share" / "redthread"
    path.mkdir(parents=True, exist_ok=True)
    return path


def store_url() -> str:
    """The store URL: ``REDTHREAD_STORE`` or the embedded SQLite default."""
    url = os.environ.get("REDTHREAD_STORE", "").strip()
    if url:
        return url
    return f"sqlite:///{(home() / 'redthread.db').resolve()}"


def max_input_bytes() -> int:
    """Refuse single input files larger than this (bytes)."""
    return int(float(os.environ.get("REDTHREAD_MAX_INPUT_MB", "512")) * 1024 * 1024)


def max_upload_bytes() -> int:
    """Refuse API uploads larger than this (bytes)."""
    return int(float(os.environ.get("REDTHREAD_MAX_UPLOAD_MB", "50")) * 1024 * 1024)


def cors_origins() -> list[str]:
    """Origins allowed to call the API from a browser; empty means CORS closed."""
    raw = os.environ.get("REDTHREAD_CORS_ORIGINS", "")
    return [o.strip() for o in raw.split(",") if o.strip()]


def max_body_bytes() -> int:
    """Refuse API request bodies (other than uploads) larger than this (bytes)."""
    return int(float(os.environ.get("REDTHREAD_MAX_BODY_MB", "10")) * 1024 * 1024)


def allowed_hosts() -> list[str]:
    """Host names the API answers; empty means any (keys still decide who is served)."""
    raw = os.environ.get("REDTHREAD_ALLOWED_HOSTS", "")
    return [h.strip().lower() for h in raw.split(",") if h.strip()]


def loopback_writes() -> bool:
    """Whether keyless loopback callers may write (an operator's opt-out; off by default)."""
    return os.environ.get("REDTHREAD_LOOPBACK_WRITES", "").strip().lower() in ("1", "true", "yes", "on")


def write_wait_seconds() -> float:
    """How long a writer waits for another writer to finish before giving up (seconds)."""
    return float(os.environ.get("REDTHREAD_WRITE_WAIT_S", "3600"))
