"""Cross-reference: propose pairs of entities that may be the same party.

Every matchable entity is screened against the index of the whole store
(the same blocking and scorer as ``redthread screen``). The scan is the
expensive part (tens of seconds to minutes at list scale), so its result,
a :class:`CandidateSet` of every pair worth reviewing, is computed once per
store content and kept (in the process and on disk beside the store):

- after a new load only the entities whose comparable record changed (new,
  edited, or gone) are scanned again; pairs between two unchanged entities
  are kept as they were;
- a judgement changes nothing in the set: judged pairs, and pairs already
  merged, are left out when the set is read (:func:`candidate_page`).

Which pairs reach review. A pair scoring at least the threshold (0.7 by
default) does. Two kinds of pair score lower with the screening scorer yet
are exactly what an analyst must see, so they reach review from
:data:`REVIEW_FLOOR` up, marked with their ``reason``:

- ``cross-script``: one name in Cyrillic, Greek or CJK script, the other in
  Latin, with at least two tokens aligned (a transliterated twin);
- ``abbreviation``: one name abbreviates a word the other spells out
  (``GEN.`` / ``General``), with at least two tokens aligned.

Pairs inside one dataset are proposed too (``within=True``): two articles
of one dataset often name the same person twice.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import re
import tempfile
import threading
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import NotRequired

from pydantic import with_config
from typing_extensions import TypedDict

from redthread import settings
from redthread.model.records import OPEN
from redthread.screen.index import ScreeningIndex, index_for
from redthread.screen.scorers import DEFAULT, Explanation
from redthread.store import Store, open_store
from redthread.store.layout import layout

log = logging.getLogger(__name__)

ProgressFn = Callable[[str, int, int | None], None]

#: Default lowest score proposed for review.
THRESHOLD = 0.7
#: Lowest score of a cross-script or abbreviation pair that still reaches review.
REVIEW_FLOOR = 0.4
#: Tokens two names must share (aligned) before a low-scoring pair is kept.
MIN_ALIGNED = 2
#: Similarity at which two aligned tokens count as the same word.
ALIGNED = 0.9


@with_config(OPEN)
class XrefPage(TypedDict):
    """A page of candidates (``status`` ``ready``), or progress while they are computed."""

    status: str  # "ready", "computing" or "failed"
    candidates: list[Candidate]
    total: int | None
    offset: NotRequired[int]
    limit: NotRequired[int]
    stage: NotRequired[str]
    done: NotRequired[int]
    error: NotRequired[str | None]


@dataclass
class Candidate:
    """A proposed same-party pair, with the evidence for it.

    One record: ``/xref`` declares it as it is and its JSON form is these fields in order (datasets as
    arrays; ``within`` worked out on creation), sent by pydantic or orjson, not restated as a dict.
    """

    left_id: str
    right_id: str
    score: float
    left_caption: str
    right_caption: str
    schema: str
    left_datasets: tuple[str, ...]
    right_datasets: tuple[str, ...]
    features: dict[str, float] = field(default_factory=dict)
    #: The scorer's explanation per feature (JSON for the review page: tokens aligned, names compared).
    explanations: dict[str, Explanation] = field(default_factory=dict)
    #: Why a pair below the threshold is proposed: ``cross-script`` or ``abbreviation`` ("" otherwise).
    reason: str = ""
    #: Whether both sides are in the same datasets (a pair within one source).
    within: bool = field(init=False)

    def __post_init__(self) -> None:
        self.within = set(self.left_datasets) == set(self.right_datasets)


@dataclass
class CandidateSet:
    """Every pair worth reviewing in one store content, and what it was computed from."""

    digest: str
    algorithm: str
    per_entity: int
    #: Entity id -> digest of its comparable record (to find what changed on the next load).
    records: dict[str, str] = field(default_factory=dict)
    pairs: dict[tuple[str, str], Candidate] = field(default_factory=dict)
    #: Entities scanned the last time (all of them on a first computation).
    scanned: int = 0


# ---------------------------------------------------------------- reasons
def _scripts(text: str) -> set[str]:
    """The scripts of a text's letters: LATIN, CYRILLIC, CJK, GREEK, ... (first word of the Unicode name)."""
    out = set()
    for ch in text:
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            out.add("CJK" if name.startswith(("CJK", "HIRAGANA", "KATAKANA", "HANGUL")) else name.split(" ")[0])
    return out


_ABBR = re.compile(r"^([^\W\d_]{2,})\.$")


def _abbreviates(short: str, long: str) -> bool:
    """Whether a word of ``short`` ending in a dot is the start of a longer word of ``long`` it lacks."""
    long_words = [w.strip(".,()").casefold() for w in long.split()]
    for word in short.split():
        m = _ABBR.match(word)
        if m is None:
            continue
        stem = m.group(1).casefold()
        if any(len(w) > len(stem) and w.startswith(stem) for w in long_words):
            return True
    return False


def _aligned(explanations: Mapping[str, Explanation]) -> int:
    """Tokens the scorer aligned as the same word (from its ``name`` explanation: ``[query, candidate, score]``)."""
    toks = (explanations.get("name") or {}).get("tokens") or []
    return sum(1 for t in toks if len(t) >= 3 and float(t[2]) >= ALIGNED)


def reason_for(left: str, right: str, explanations: Mapping[str, Explanation]) -> str:
    """Why a low-scoring pair of names deserves review: ``cross-script``, ``abbreviation`` or ""."""
    if _aligned(explanations) < MIN_ALIGNED:
        return ""
    ls, rs = _scripts(left), _scripts(right)
    if ls and rs and ls != rs and ("LATIN" in ls) != ("LATIN" in rs):
        return "cross-script"
    if _abbreviates(left, right) or _abbreviates(right, left):
        return "abbreviation"
    return ""


# ---------------------------------------------------------------- computing
def loads_digest(store: Store) -> str:
    """A digest of the store's loads: changes with every load, never with a judgement."""
    h = hashlib.sha1()
    for row in store.loads():
        h.update("|".join(str(row.get(k)) for k in ("id", "dataset", "source", "content_hash", "loaded_at",
                                                    "added", "kept", "removed")).encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()[:16]


def _record_digest(index: ScreeningIndex, eidx: int) -> str:
    lo, hi = int(index.entity_names[eidx]), int(index.entity_names[eidx + 1])
    parts = (index.schemata[int(index._schema_codes[eidx])], index.name_text[lo:hi], index.name_data[lo:hi],
             index.extras[eidx], index.datasets[eidx])
    return hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=8).hexdigest()


def _scan(index: ScreeningIndex, eidx: int, algorithm: str, per_entity: int, threshold: float) -> Iterable[Candidate]:
    """The pairs one entity makes with the rest of the index."""
    eid = index.ids[eidx]
    for cand in index.search(index.record(eidx), algorithm=algorithm, limit=per_entity, cutoff=REVIEW_FLOOR,
                             skip=eidx):
        score = cand.score.score
        left, right = (eidx, cand.index) if eid < cand.id else (cand.index, eidx)
        reason = ""
        if score < threshold:
            name = cand.score.explanations.get("name") or {}
            reason = reason_for(str(name.get("query", index.captions[eidx])),
                                str(name.get("candidate", cand.caption)), cand.score.explanations)
            if not reason:
                continue
        yield Candidate(index.ids[left], index.ids[right], score, index.captions[left], index.captions[right],
                        cand.schema, index.datasets[left], index.datasets[right], cand.score.features,
                        cand.score.explanations, reason)


def compute(store: Store, *, algorithm: str = DEFAULT, per_entity: int = 5,
            progress: ProgressFn | None = None) -> CandidateSet:
    """The store's candidate set, brought up to date with as little scanning as possible."""
    digest = loads_digest(store)
    prev = _cached(store, algorithm, per_entity)
    if prev is not None and prev.digest == digest:
        return prev
    index = index_for(store, None, progress=progress)
    records = {index.ids[i]: _record_digest(index, i) for i in range(len(index))}
    old_records = prev.records if prev is not None else {}
    changed = [i for i, eid in enumerate(index.ids) if old_records.get(eid) != records[eid]]
    stale = {eid for eid, d in old_records.items() if records.get(eid) != d}
    pairs = {} if prev is None else {k: c for k, c in prev.pairs.items() if k[0] not in stale and k[1] not in stale}
    for n, eidx in enumerate(changed):
        if progress is not None and n % 100 == 0:
            progress("entities", n, len(changed))
        for cand in _scan(index, eidx, algorithm, per_entity, THRESHOLD):
            key = (cand.left_id, cand.right_id)
            if key not in pairs or pairs[key].score < cand.score:
                pairs[key] = cand
    if progress is not None:
        progress("entities", len(changed), len(changed))
    result = CandidateSet(digest, algorithm, per_entity, records, pairs, len(changed))
    _keep(store, result)
    return result


# ---------------------------------------------------------------- keeping
_CACHE: dict[tuple[str, str, int], CandidateSet] = {}
_LOCK = threading.Lock()


@cache
def _code_digest() -> str:
    """This module and the screening code: a changed scorer never meets an old set."""
    from redthread.screen import persist

    return hashlib.sha1((Path(__file__).read_text("utf-8") + persist.code_digest()).encode("utf-8")).hexdigest()[:12]


def _path(store: Store, algorithm: str, per_entity: int) -> Path | None:
    """The file beside the store (``store.db`` -> ``store.xref/``); None for in-memory stores."""
    if not settings.screen_cache():
        return None
    where = layout(store.url).xref
    if where is None:
        return None
    return where / f"{algorithm}-{per_entity}-{_code_digest()}.pkl"


def _cached(store: Store, algorithm: str, per_entity: int) -> CandidateSet | None:
    key = (store.url, algorithm, per_entity)
    with _LOCK:
        if key in _CACHE:
            return _CACHE[key]
    path = _path(store, algorithm, per_entity)
    if path is None or not path.exists():
        return None
    try:
        with path.open("rb") as fh:
            found = pickle.load(fh)
    except Exception as exc:  # damaged or foreign: computed again
        log.warning("ignoring candidate file %s: %s", path, exc)
        return None
    if not isinstance(found, CandidateSet):
        return None
    with _LOCK:
        _CACHE[key] = found
    return found


def _keep(store: Store, cset: CandidateSet) -> None:
    with _LOCK:
        _CACHE[(store.url, cset.algorithm, cset.per_entity)] = cset
    path = _path(store, cset.algorithm, cset.per_entity)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(cset, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # readers never see half a file
    except OSError as exc:
        log.warning("could not keep the candidate set in %s: %s", path, exc)


def clear_cache() -> None:
    """Forget candidate sets kept in this process (files on disk stay)."""
    with _LOCK:
        _CACHE.clear()


# ---------------------------------------------------------------- computing in the background
@dataclass
class Progress:
    """Where a background computation is: shown as a progress bar by the Review page."""

    stage: str = "starting"
    done: int = 0
    total: int | None = None
    error: str = ""

    def to_dict(self) -> XrefPage:
        """The progress as a page with no candidates yet."""
        return {"status": "failed" if self.error else "computing", "stage": self.stage, "done": self.done,
                "total": self.total, "error": self.error, "candidates": []}


_RUNNING: dict[str, Progress] = {}


def fresh(store: Store, *, algorithm: str = DEFAULT, per_entity: int = 5) -> CandidateSet | None:
    """The candidate set when it is up to date with the store's loads, else None (cheap)."""
    found = _cached(store, algorithm, per_entity)
    return found if found is not None and found.digest == loads_digest(store) else None


def compute_in_background(store: Store, *, algorithm: str = DEFAULT, per_entity: int = 5) -> Progress:
    """Start (once per store) bringing the candidate set up to date in a thread; its progress.

    The thread opens its own connection to the store. A store held only in
    memory cannot be opened twice, so it is computed here and now.
    """
    url = store.url
    with _LOCK:
        running = _RUNNING.get(url)
        if running is not None and not running.error:
            return running
        state = _RUNNING[url] = Progress()

    def update(stage: str, done: int, total: int | None) -> None:
        state.stage, state.done, state.total = stage, done, total

    def work(st: Store, own: bool) -> None:
        try:
            compute(st, algorithm=algorithm, per_entity=per_entity, progress=update)
            with _LOCK:
                _RUNNING.pop(url, None)
        except Exception as exc:  # shown to the reviewer; a new request tries again
            log.exception("computing review candidates failed")
            state.error = str(exc) or type(exc).__name__
        finally:
            if own:
                st.close()

    if layout(url).in_memory:  # another connection would see another, empty database
        work(store, False)
        return state
    threading.Thread(target=work, args=(open_store(url), True), name="xref", daemon=True).start()
    return state


# ---------------------------------------------------------------- reading
def judged_pairs(store: Store) -> set[tuple[str, str]]:
    """Pairs (canonical ids, sorted) that already carry a judgement."""
    cmap = store.canonical_map()
    out = set()
    for j in store.judgements():
        a, b = cmap.get(j.left_id, j.left_id), cmap.get(j.right_id, j.right_id)
        out.add((min(a, b), max(a, b)))
    return out


def select(
    store: Store,
    cset: CandidateSet,
    dataset: str | None = None,
    *,
    threshold: float = THRESHOLD,
    within: bool = False,
    entity_id: str | None = None,
) -> list[Candidate]:
    """The pairs of a set still open for review, best first.

    Left out: pairs judged already (by canonical id), pairs merged meanwhile,
    pairs below ``threshold`` without a ``reason``, pairs inside one dataset
    unless ``within``; with ``dataset``, pairs with no entity from it; with
    ``entity_id``, pairs not about that entity (or one merged into it).
    """
    cmap = store.canonical_map()
    judged = judged_pairs(store)
    want = store.canonical_id(entity_id) if entity_id else None
    out: list[Candidate] = []
    seen: set[tuple[str, str]] = set()
    for cand in cset.pairs.values():
        if cand.score < threshold and not (cand.reason and cand.score >= REVIEW_FLOOR):
            continue
        if not within and set(cand.left_datasets) == set(cand.right_datasets):
            continue
        if dataset is not None and dataset not in cand.left_datasets and dataset not in cand.right_datasets:
            continue
        a, b = cmap.get(cand.left_id, cand.left_id), cmap.get(cand.right_id, cand.right_id)
        key = (min(a, b), max(a, b))
        if a == b or key in judged or key in seen:
            continue
        if want is not None and want not in key:
            continue
        seen.add(key)
        out.append(cand)
    out.sort(key=lambda c: (-c.score, c.left_id, c.right_id))
    return out


def xref(
    store: Store,
    dataset: str | None = None,
    *,
    threshold: float = THRESHOLD,
    limit: int = 100,
    per_entity: int = 5,
    algorithm: str = DEFAULT,
    within: bool = False,
    progress: ProgressFn | None = None,
    offset: int = 0,
) -> list[Candidate]:
    """Proposed same-party pairs, best first (at most ``limit``, from ``offset``).

    ``dataset`` keeps pairs with an entity from that dataset. Already-judged
    pairs and merged entities are left out. Computed once per store content
    (see the module docstring); ``progress`` hears about any scanning.
    """
    cset = compute(store, algorithm=algorithm, per_entity=per_entity, progress=progress)
    return select(store, cset, dataset, threshold=threshold, within=within)[offset:offset + limit]
