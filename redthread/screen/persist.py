"""The screening index on disk: built once per store content, loaded in seconds after.

Building the index of a million entities takes minutes; a command-line
``redthread screen`` or a restarted server would pay that every time. So the
index is written beside the store — ``store.db`` -> ``store.screen/``, or
``REDTHREAD_HOME/screen/<hash of the store URL>/`` for other stores — one file
per scope (the whole store or one dataset), named by a digest of:

- the store's content (every load with its content hash and time, every
  judgement), so a new load or judgement builds a fresh index;
- the screening code itself (the source of ``redthread/screen`` and its
  vocabulary file), so a changed analysis or key never meets an index built
  by another version.

Files are written beside and renamed (readers never see half a file); older
files of the same scope are removed. The folder is the user's own data, like
the store: files are Python pickles and are trusted as such.
``REDTHREAD_SCREEN_CACHE=0`` turns this off (in-process caching stays).
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from functools import cache
from pathlib import Path
from typing import TypeVar

from redthread import settings
from redthread.store import Store
from redthread.store.layout import layout

T = TypeVar("T")

log = logging.getLogger(__name__)


def enabled() -> bool:
    """Whether indexes are kept on disk (``REDTHREAD_SCREEN_CACHE``, on by default)."""
    return settings.screen_cache()


def folder(store_url: str) -> Path | None:
    """Where the indexes of the store at ``store_url`` live; None for an in-memory store."""
    return layout(store_url).screen


def code_files() -> list[Path]:
    """What the analysis depends on: every module of this package and its vocabulary (``*.yaml``)."""
    here = Path(__file__).parent
    return sorted([*here.glob("*.py"), *here.glob("*.yaml")])


@cache
def code_digest() -> str:
    """A digest of the screening code and vocabulary (:func:`code_files`)."""
    h = hashlib.sha1()
    for path in code_files():
        h.update(path.name.encode("utf-8"))
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def content_digest(store: Store) -> str:
    """A digest that changes whenever the store's content or resolution changes (stable across processes).

    Every load (id, dataset, source, content hash, time and counts) and every
    judgement goes in: a store emptied and loaded again never matches an old file.
    """
    h = hashlib.sha1()
    for row in store.loads():
        h.update("|".join(str(row.get(k)) for k in ("id", "dataset", "source", "content_hash", "loaded_at",
                                                    "added", "kept", "removed", "unchanged")).encode("utf-8"))
        h.update(b"\n")
    for j in sorted((j.left_id, j.right_id, j.judgement) for j in store.judgements()):
        h.update("|".join(j).encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()[:16]


def _scope(dataset: str | None) -> str:
    return "all" if dataset is None else "ds-" + hashlib.sha1(dataset.encode("utf-8")).hexdigest()[:12]


def _kept_in(store: Store) -> Path | None:
    """The folder ``store``'s screening files are kept in, or None when none are kept (turned off, or in memory)."""
    return folder(store.url) if enabled() else None


def path_for(store: Store, dataset: str | None, digest: str | None = None) -> Path | None:
    """The file the index of ``store`` (or of one dataset) has now, or None when not kept on disk.

    ``digest``: the store's :func:`content_digest`, when the caller has it already.
    """
    where = _kept_in(store)
    if where is None:
        return None
    return where / f"{_scope(dataset)}-{digest or content_digest(store)}-{code_digest()}.pkl"


#: What the listing status depends on beyond the screening code: the graph and the 50 % rules.
STATUS_CODE = ("analyze/graph.py", "analyze/ownership.py")


@cache
def status_code_digest() -> str:
    """:func:`code_digest` and the analytics the listing status is worked out with (:data:`STATUS_CODE`)."""
    h = hashlib.sha1(code_digest().encode("utf-8"))
    root = Path(__file__).parents[1]
    for name in STATUS_CODE:
        h.update(name.encode("utf-8"))
        h.update((root / name).read_bytes())
    return h.hexdigest()[:16]


def status_path_for(store: Store, digest: str) -> Path | None:
    """The file the listing status (:mod:`redthread.screen.status`) of ``store``'s content ``digest`` has.

    Kept beside the index because it costs seconds to work out (the whole
    graph is loaded) and would otherwise fall on a server's first query.
    """
    where = _kept_in(store)
    if where is None:
        return None
    return where / f"status-{digest}-{status_code_digest()}.pkl"


def load(path: Path, expected: type[T]) -> T | None:
    """The ``expected`` object in ``path``, or None when there is none (or it cannot be read: it is then rebuilt).

    The caller names the class, so this module needs no index import (it is
    what :mod:`redthread.screen.index` keeps its indexes with: no import circle).
    """
    try:
        with path.open("rb") as fh:
            obj = pickle.load(fh)
    except FileNotFoundError:
        return None
    except Exception as exc:  # a damaged or foreign file: build again
        log.warning("ignoring screening index %s: %s", path, exc)
        return None
    return obj if isinstance(obj, expected) else None


def save(path: Path, idx: object) -> None:
    """Write ``idx`` to ``path`` (beside, then renamed) and remove older files of the same scope."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".part", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(idx, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        scope = path.name.rsplit("-", 2)[0]  # "<scope>-<content>-<code>.pkl"
        for old in path.parent.glob(f"{scope}-*.pkl"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as exc:  # a read-only or full disk must not stop screening
        log.warning("could not keep the screening index in %s: %s", path.parent, exc)
