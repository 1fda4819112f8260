"""All settings in one place, read from the environment when asked for.

``REDTHREAD_HOME``   data folder (default ``~/.local/share/redthread``)
``REDTHREAD_STORE``  store URL: ``sqlite:///path.db`` (default: ``redthread.db``
                     under ``REDTHREAD_HOME``) or ``postgresql://user@host/db``
``REDTHREAD_MAX_INPUT_MB``  largest single input file accepted (default 512)
``REDTHREAD_MAX_UPLOAD_MB``  largest file accepted by the API's upload (default 50)
``REDTHREAD_CORS_ORIGINS``  comma-separated origins the API admits (default none: CORS closed)
``REDTHREAD_ENGINE``  batch engine for graph and trade analytics: ``duckdb`` (default) or ``spark``
``REDTHREAD_ENGINE_THREADS``  DuckDB threads (default: chosen per task, see ``trade.table``)
``REDTHREAD_SPARK_MASTER`` / ``REDTHREAD_SPARK_MEMORY``  Spark master (``local[2]``) and driver memory (``1g``)
``REDTHREAD_SCREEN_CACHE``  keep screening indexes on disk (default on; ``0``/``off`` disables)
``REDTHREAD_SERVE_WARMUP``  ``redthread serve`` warms screening in the background at start (default on)
``REDTHREAD_EXTRACT_BACKEND``  extraction backend for ingested documents (default ``rules``)
``REDTHREAD_LLM_URL`` / ``_MODEL`` / ``_KEY`` / ``_TIMEOUT``  the optional OpenAI-compatible LLM backend
``REDTHREAD_CHPL``  a CSV of HS-6 codes and CHPL tiers replacing the packaged list
``REDTHREAD_DEBUG_TIMINGS``  log per-step timings of the columnar graph read
``REDTHREAD_MAX_BODY_MB``  largest request body the API reads, uploads aside (default 10)
``REDTHREAD_ALLOWED_HOSTS``  comma-separated Host names the API answers (default any; keyless
                     loopback requests must always name a loopback host)
``REDTHREAD_LOOPBACK_WRITES``  ``1``: keyless loopback callers may write (default: read only)
``REDTHREAD_WRITE_WAIT_S``  how long a SQLite writer queues behind another (default 3600 s)
``REDTHREAD_EXTRACT_SECONDS``  CPU seconds one document may take per started 100 KB (default 30; 0: no limit)
``REDTHREAD_MONITOR``  re-screen watchlists after every load (default on)
``REDTHREAD_FOUR_EYES``  new watchlists need a second reviewer (default off)
``REDTHREAD_USER``  who the CLI acts as in the audit trail (default ``$USER``)
``REDTHREAD_REFRESH_CONFIG``  the list files ``redthread refresh`` re-reads (default ``refresh.yaml`` in the home)
``REDTHREAD_MONITOR_WEBHOOK`` / ``_COMMAND``  where new alerts are sent; ``_RETRY_PAUSE`` (0.5 s, doubling)
                     and ``_DEAD_LETTER`` (``monitor/dead-letter.jsonl`` in the home) for failed sends
``COLUMNS``  terminal width; when output is piped without it, CLI tables are 400 columns wide

Nothing else in the package reads the environment: modules ask here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
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


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def _flag(name: str, default: bool) -> bool:
    raw = _env(name).lower()
    if not raw:
        return default
    return raw not in ("0", "false", "no", "off")


def engine_name() -> str:
    """The batch engine asked for (empty: the package default)."""
    return _env("REDTHREAD_ENGINE")


def engine_threads() -> int:
    """DuckDB threads asked for; 0 lets the caller choose."""
    raw = _env("REDTHREAD_ENGINE_THREADS", "0") or "0"
    try:
        return max(0, int(raw))
    except ValueError:
        from redthread.errors import ConfigError

        raise ConfigError(f"REDTHREAD_ENGINE_THREADS: not a whole number: {raw!r}") from None


def spark_master() -> str:
    return _env("REDTHREAD_SPARK_MASTER") or "local[2]"


def spark_memory() -> str:
    return _env("REDTHREAD_SPARK_MEMORY") or "1g"


def screen_cache() -> bool:
    """Whether screening indexes are kept on disk beside the store."""
    return _flag("REDTHREAD_SCREEN_CACHE", True)


def serve_warmup() -> bool:
    """Whether ``redthread serve`` warms the screening path at start (``/readyz`` says ``warming`` until done)."""
    return _flag("REDTHREAD_SERVE_WARMUP", True)


def extract_backend() -> str:
    """The extraction backend used when documents are ingested."""
    return _env("REDTHREAD_EXTRACT_BACKEND") or "rules"


def debug_timings() -> bool:
    return _flag("REDTHREAD_DEBUG_TIMINGS", False)


def chpl_override() -> Path | None:
    """A CHPL list replacing the packaged one, if set."""
    raw = _env("REDTHREAD_CHPL")
    return Path(raw).expanduser() if raw else None


@dataclass(frozen=True)
class LLMSettings:
    """The optional LLM extraction backend (an OpenAI-compatible endpoint)."""

    url: str
    model: str
    key: str | None
    timeout: float


def llm() -> LLMSettings:
    """LLM settings; url and model are empty when not configured (the caller says what to set)."""
    raw_timeout = _env("REDTHREAD_LLM_TIMEOUT") or "120"
    try:
        timeout = float(raw_timeout)
    except ValueError:
        from redthread.errors import ConfigError

        raise ConfigError(f"REDTHREAD_LLM_TIMEOUT: not a number of seconds: {raw_timeout!r}") from None
    return LLMSettings(
        url=_env("REDTHREAD_LLM_URL").rstrip("/"),
        model=_env("REDTHREAD_LLM_MODEL"),
        key=_env("REDTHREAD_LLM_KEY") or None,
        timeout=timeout,
    )
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


def extract_seconds() -> str:
    """The raw per-document extraction budget (parsed, with its error, by ``extract.budget``)."""
    return _env("REDTHREAD_EXTRACT_SECONDS")


def shutdown_grace_seconds() -> int:
    """How long ``redthread serve`` lets requests in flight finish after SIGTERM/Ctrl-C (seconds).

    uvicorn waits without limit by default, so one client that never finishes
    its request kept the server alive; past this grace the requests left are
    cancelled and the process exits.
    """
    raw = _env("REDTHREAD_SHUTDOWN_GRACE_S") or "5"
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if value < 0:
        from redthread.errors import ConfigError

        raise ConfigError(f"REDTHREAD_SHUTDOWN_GRACE_S: not a whole number of seconds >= 0: {raw!r}")
    return value


def monitor_enabled() -> bool:
    return _flag("REDTHREAD_MONITOR", True)


def four_eyes() -> bool:
    return _flag("REDTHREAD_FOUR_EYES", False)


def user() -> str:
    """Who the command line acts as (audit trail, decisions)."""
    return _env("REDTHREAD_USER") or _env("USER") or "redthread"


def refresh_config() -> Path:
    raw = _env("REDTHREAD_REFRESH_CONFIG")
    return Path(raw).expanduser() if raw else home() / "refresh.yaml"


def monitor_webhook() -> str | None:
    return _env("REDTHREAD_MONITOR_WEBHOOK") or None


def monitor_command() -> str | None:
    return _env("REDTHREAD_MONITOR_COMMAND") or None


def monitor_retry_pause() -> float:
    raw = _env("REDTHREAD_MONITOR_RETRY_PAUSE") or "0.5"
    try:
        return max(0.0, float(raw))
    except ValueError:
        from redthread.errors import ConfigError

        raise ConfigError(f"REDTHREAD_MONITOR_RETRY_PAUSE: not a number of seconds: {raw!r}") from None


def monitor_dead_letter() -> Path:
    raw = _env("REDTHREAD_MONITOR_DEAD_LETTER")
    return Path(raw).expanduser() if raw else home() / "monitor" / "dead-letter.jsonl"


def terminal_columns() -> str:
    """``COLUMNS`` as set by the user or shell (empty when unset)."""
    return _env("COLUMNS")
