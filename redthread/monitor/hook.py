"""Re-screening after every load, and the scheduled ``refresh``.

:func:`after_load` is the step that follows a load: a case runs it
explicitly (:meth:`redthread.case.Case.load`, which the CLI's ``ingest`` and
the API's ``POST /ingest`` use), so a load through either re-screens every
watchlist incrementally, and a bare :func:`redthread.ingest.ingest` (tests,
the demo's fresh store, ``refresh``'s own loads) does not. A store without
watchlists pays one cheap read. The load itself is committed before the step
runs: a failing re-screen is logged and reported, never a reason to lose the
load. ``REDTHREAD_MONITOR=off`` turns it off.

:func:`refresh` re-reads the list files or folders named in a YAML file
(``<home>/refresh.yaml`` by default), loads what changed (unchanged files
are recognised by their content hash) and re-screens once at the end; run
it from cron or a systemd timer.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from typing_extensions import TypedDict

from redthread import settings
from redthread.errors import ConfigError
from redthread.ingest import base as ingest_base
from redthread.store import LoadResult, Store

if TYPE_CHECKING:  # rescreen (and the screening index under it) is imported when a re-screen runs
    from redthread.monitor.rescreen import RunResult

log = logging.getLogger(__name__)

#: The runs of the last after-load step or refresh (the CLI prints them).
class LastRescreen(TypedDict, total=False):
    """What the last after-load step or refresh left: its runs, or why it failed."""

    runs: list[RunResult]
    error: str


LAST: LastRescreen = {}


def forget_last() -> None:
    """Empty :data:`LAST` before a new after-load step or refresh."""
    LAST.pop("runs", None)
    LAST.pop("error", None)


def enabled() -> bool:
    return settings.monitor_enabled()


def has_watchlists(store: Store) -> bool:
    """True when the store has a watchlist (never creates the tables)."""
    try:
        if not store.has_tables("monitor_watchlists"):
            return False
        return bool(store.query("SELECT COUNT(*) FROM monitor_watchlists")[0][0])
    except ConfigError:  # a store without side tables has no watchlists
        return False


def rescreen_all(store: Store, trigger: str, actor: str = "") -> list[RunResult]:
    """Re-screen every watchlist; errors are logged and returned, not raised."""
    from redthread.monitor.rescreen import run_all
    from redthread.monitor.tables import MonitorDB

    forget_last()
    try:
        runs = run_all(MonitorDB(store), actor=actor or default_actor(), trigger=trigger)
    except Exception as exc:  # the load is committed; say so rather than fail it
        log.error("re-screening after %s failed: %s", trigger, exc)
        LAST["error"] = str(exc)
        return []
    LAST["runs"] = runs
    return runs


def after_load(store: Store, results: list[LoadResult]) -> list[RunResult]:
    """Re-screen every watchlist when ``results`` changed the store; the runs (none when nothing to do)."""
    forget_last()
    if not enabled():
        return []
    if not any(not r.unchanged and (r.added or r.removed) for r in results):
        return []
    if not has_watchlists(store):
        return []
    return rescreen_all(store, trigger="load")


def default_actor() -> str:
    return settings.user()


@dataclass
class ListSource:
    path: Path
    dataset: str
    format: str | None = None
    source: str | None = None


@dataclass
class RefreshResult:
    loads: list[LoadResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    runs: list[RunResult] = field(default_factory=list)


def default_config() -> Path:
    return settings.refresh_config()


def read_config(path: Path) -> list[ListSource]:
    """The list sources of a refresh YAML: ``lists: [{path, dataset, format?, source?}, ...]``."""
    if not path.is_file():
        raise ConfigError(f"{path}: no refresh configuration (see docs/monitoring.md)")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
    items = data.get("lists") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        raise ConfigError(f"{path}: needs a non-empty 'lists:' sequence")
    out = []
    for n, item in enumerate(items):
        if not isinstance(item, dict) or not item.get("path") or not item.get("dataset"):
            raise ConfigError(f"{path}: lists[{n}] needs 'path' and 'dataset'")
        raw = Path(str(item["path"])).expanduser()
        out.append(ListSource(raw if raw.is_absolute() else path.parent / raw, str(item["dataset"]),
                              item.get("format"), item.get("source")))
    return out


def refresh(store: Store, config: Path | None = None, actor: str = "") -> RefreshResult:
    """Re-read every configured list, then re-screen every watchlist once.

    A list that fails to load is reported and skipped (its previous version
    stays); the others still load.
    """
    result = RefreshResult()
    for src in read_config(config or default_config()):
        try:  # a bare ingest: no re-screen per list, one at the end
            loads, _ = ingest_base.ingest(store, [src.path], src.dataset, src.format, source=src.source)
        except Exception as exc:
            result.errors.append(f"{src.path}: {exc}")
            continue
        result.loads.extend(loads)
    if has_watchlists(store):
        result.runs = rescreen_all(store, trigger="refresh", actor=actor)
    return result
