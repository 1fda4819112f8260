"""The in-memory screening index: blocking keys -> names -> entities.

Every name of every matchable entity is analysed once (:mod:`names`) and
indexed under blocking keys:

- ``t<skeleton>`` for each core token (so spelling variants share a key),
- ``p<first 4>`` and ``s<last 4>`` of longer tokens (typos leave one intact),
- ``c<compact>`` for the core written together, and for Chinese names each
  pair of adjacent syllables joined (``xia men`` -> ``xiamen``), so that
  pinyin meets a Latin rendering.

Postings are held as one sorted NumPy array (CSR layout), keys as one dict,
so a million entities fit in well under the 4 GB budget. A query looks up its
own keys, weighs each by inverse document frequency (very common keys are
skipped), sums the weights per name and scores only the best few dozen
candidates with the full scorer. Shared identifiers (INN, IMO, LEI, ...) are
looked up directly.

:func:`index_for` builds the index of a store (optionally one dataset) and
caches it in the process until the store changes (a new load or judgement).
"""

from __future__ import annotations

import math
import threading
import time
from array import array
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from followthemoney import model

from redthread.screen.names import NameForm, skeleton
from redthread.screen.record import Record, entity_record
from redthread.screen.scorers import DEFAULT, Score, get_scorer
from redthread.store import Store

#: Keys shared by more names than this are too common to block on.
MAX_DF = 20_000
#: Names scored in full per query.
CANDIDATE_NAMES = 40

ProgressFn = Callable[[str, int, int | None], None]


def name_keys(form: NameForm) -> set[str]:
    """The blocking keys of one analysed name."""
    keys: set[str] = set()
    skels = [skeleton(t) for t in form.core]
    for sk in skels:
        if len(sk) >= 2:
            keys.add("t" + sk)
        if len(sk) >= 6:
            keys.add("p" + sk[:4])
            keys.add("s" + sk[-4:])
    if form.cjk:
        for a, b in zip(form.core, form.core[1:], strict=False):
            keys.add("t" + skeleton(a + b))
    if len(form.core) > 1:
        for comp, _ in form.compacts():
            keys.add("c" + comp)
    elif skels:
        keys.add("c" + skels[0])
    return keys


def query_keys(form: NameForm) -> set[str]:
    """Query keys: the name's own keys, and each token as a compact (joined spellings)."""
    keys = name_keys(form)
    keys.update("c" + skeleton(t) for t in form.core if len(t) >= 4)
    return keys


@dataclass
class Candidate:
    """One scored index entry."""

    index: int
    id: str
    schema: str
    caption: str
    datasets: tuple[str, ...]
    score: Score


@dataclass
class ScreeningIndex:
    """Blocking index over analysed names; see the module docstring."""

    ids: list[str] = field(default_factory=list)
    schemata: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    datasets: list[tuple[str, ...]] = field(default_factory=list)
    extras: list[tuple[frozenset[str], frozenset[str], dict[str, frozenset[str]]] | None] = field(default_factory=list)
    name_text: list[str] = field(default_factory=list)
    name_data: list[str] = field(default_factory=list)
    name_entity: Any = None
    entity_names: Any = None
    key_ids: dict[str, int] = field(default_factory=dict)
    key_offsets: Any = None
    postings: Any = None
    identifiers: dict[str, list[int]] = field(default_factory=dict)
    build_seconds: float = 0.0
    _schema_codes: Any = None

    # -- building ----------------------------------------------------------
    @classmethod
    def build(cls, entities: Iterable[Mapping[str, Any]], progress: ProgressFn | None = None) -> ScreeningIndex:
        """Index FtM entity dicts (non-matchable schemata are skipped)."""
        start = time.perf_counter()
        idx = cls()
        matchable = {s.name for s in model.schemata.values() if s.matchable and not s.is_a("Address")}
        schema_ids: dict[str, int] = {}
        schema_codes = array("B")
        pair_keys = array("i")
        pair_names = array("i")
        name_entity = array("i")
        entity_first = array("i")
        interned: dict[Any, Any] = {}
        key_ids = idx.key_ids
        for count, ent in enumerate(entities, start=1):
            schema = ent.get("schema")
            if schema not in matchable:
                continue
            rec = entity_record(ent)
            if not rec.names:
                continue
            eidx = len(idx.ids)
            idx.ids.append(str(ent["id"]))
            schema_codes.append(schema_ids.setdefault(rec.schema, len(schema_ids)))
            idx.captions.append(str(ent.get("caption") or rec.names[0].text))
            ds = tuple(ent.get("datasets") or ())
            idx.datasets.append(interned.setdefault(ds, ds))
            if rec.countries or rec.birth_dates or rec.identifiers:
                countries = interned.setdefault(rec.countries, rec.countries)
                idx.extras.append((countries, rec.birth_dates, rec.identifiers))
            else:
                idx.extras.append(None)
            for value in rec.id_values:
                idx.identifiers.setdefault(value, []).append(eidx)
            entity_first.append(len(idx.name_text))
            for form in rec.names:
                nidx = len(idx.name_text)
                idx.name_text.append(form.text)
                idx.name_data.append(form.encode())
                name_entity.append(eidx)
                for key in name_keys(form):
                    kid = key_ids.get(key)
                    if kid is None:
                        kid = key_ids[key] = len(key_ids)
                    pair_keys.append(kid)
                    pair_names.append(nidx)
            if progress is not None and count % 10000 == 0:
                progress("indexing", count, None)
        entity_first.append(len(idx.name_text))
        idx.schemata = [""] * len(schema_ids)
        for name, code in schema_ids.items():
            idx.schemata[code] = name
        idx._schema_codes = np.frombuffer(schema_codes, dtype=np.uint8).copy()
        idx.name_entity = np.frombuffer(name_entity, dtype=np.int32).copy()
        idx.entity_names = np.frombuffer(entity_first, dtype=np.int32).copy()
        keys = np.frombuffer(pair_keys, dtype=np.int32)
        names = np.frombuffer(pair_names, dtype=np.int32)
        order = np.argsort(keys, kind="stable")
        idx.postings = names[order].copy()
        counts = np.bincount(keys, minlength=len(key_ids))
        idx.key_offsets = np.zeros(len(key_ids) + 1, dtype=np.int64)
        np.cumsum(counts, out=idx.key_offsets[1:])
        idx.build_seconds = time.perf_counter() - start
        return idx

    def __len__(self) -> int:
        return len(self.ids)

    def memory_bytes(self) -> int:
        """Approximate size of the NumPy parts (the rest is Python objects)."""
        return int(sum(a.nbytes for a in (self.postings, self.key_offsets, self.name_entity, self.entity_names)
                       if a is not None))

    # -- querying ----------------------------------------------------------
    def record(self, eidx: int) -> Record:
        """The comparable record of one indexed entity."""
        names = [NameForm.decode(self.name_text[n], self.name_data[n])
                 for n in range(int(self.entity_names[eidx]), int(self.entity_names[eidx + 1]))]
        extra = self.extras[eidx]
        schema = self.schemata[int(self._schema_codes[eidx])]
        if extra is None:
            return Record(schema, names)
        return Record(schema, names, extra[0], extra[1], extra[2])

    def candidates(self, query: Record, limit: int = CANDIDATE_NAMES) -> list[int]:
        """Entity indexes worth scoring for a query, best blocking score first."""
        total = max(len(self.name_text), 1)
        lists: list[np.ndarray] = []
        weights: list[float] = []
        skipped: list[tuple[int, int]] = []
        for key in set().union(*(query_keys(f) for f in query.names)) if query.names else set():
            kid = self.key_ids.get(key)
            if kid is None:
                continue
            lo, hi = int(self.key_offsets[kid]), int(self.key_offsets[kid + 1])
            if hi - lo > MAX_DF:
                skipped.append((hi - lo, kid))
                continue
            lists.append(self.postings[lo:hi])
            weights.append(math.log(1 + total / (hi - lo)) * (1.5 if key[0] in "tc" else 1.0))
        if not lists and skipped:
            df, kid = min(skipped)
            lo = int(self.key_offsets[kid])
            lists.append(self.postings[lo:lo + MAX_DF])
            weights.append(1.0)
        out: list[int] = []
        seen: set[int] = set()
        for value in query.id_values:
            for eidx in self.identifiers.get(value, ()):
                if eidx not in seen:
                    seen.add(eidx)
                    out.append(eidx)
        if lists:
            if len(lists) == 1:
                names = lists[0][:limit * 50]
                top = names[:limit]
            else:
                allnames = np.concatenate(lists)
                w = np.repeat(np.asarray(weights), [len(x) for x in lists])
                uniq, inv = np.unique(allnames, return_inverse=True)
                sums = np.bincount(inv, weights=w)
                if len(uniq) > limit:
                    part = np.argpartition(-sums, limit)[:limit]
                    part = part[np.argsort(-sums[part], kind="stable")]
                else:
                    part = np.argsort(-sums, kind="stable")
                top = uniq[part]
            for n in top.tolist():
                eidx = int(self.name_entity[n])
                if eidx not in seen:
                    seen.add(eidx)
                    out.append(eidx)
        return out

    def search(
        self,
        query: Record,
        *,
        algorithm: str = DEFAULT,
        limit: int = 5,
        cutoff: float = 0.0,
        datasets: set[str] | None = None,
        exclude: set[str] | None = None,
    ) -> list[Candidate]:
        """Score the blocked candidates of a query; best first."""
        scorer = get_scorer(algorithm)
        qschema = model.get(query.schema)
        allowed = {s.name for s in qschema.matchable_schemata} | {qschema.name} if qschema else None
        results: list[Candidate] = []
        for eidx in self.candidates(query):
            schema = self.schemata[int(self._schema_codes[eidx])]
            if allowed is not None and schema not in allowed:
                continue
            if datasets and not datasets.intersection(self.datasets[eidx]):
                continue
            if exclude and self.ids[eidx] in exclude:
                continue
            score = scorer.score(query, self.record(eidx))
            if score.score < cutoff or score.score <= 0:
                continue
            results.append(Candidate(eidx, self.ids[eidx], schema, self.captions[eidx],
                                     self.datasets[eidx], score))
        results.sort(key=lambda c: (-c.score.score, c.id))
        return results[:limit]


_CACHE: dict[tuple[str, str | None], tuple[tuple[Any, ...], ScreeningIndex]] = {}
_LOCK = threading.Lock()


def store_signature(store: Store) -> tuple[Any, ...]:
    """Changes whenever the store's content or resolution changes."""
    loads = store.loads()
    last = max((row["id"] for row in loads), default=0)
    judged = hash(tuple((j.left_id, j.right_id, j.judgement) for j in store.judgements()))
    return (len(loads), last, judged)


def index_for(store: Store, dataset: str | None = None, progress: ProgressFn | None = None) -> ScreeningIndex:
    """The (cached) screening index of a store, or of one dataset in it."""
    key = (store.url, dataset)
    sig = store_signature(store)
    with _LOCK:
        cached = _CACHE.get(key)
        if cached is not None and cached[0] == sig:
            return cached[1]
        idx = ScreeningIndex.build(store.entities(dataset=dataset), progress=progress)
        _CACHE[key] = (sig, idx)
        return idx


def clear_cache() -> None:
    with _LOCK:
        _CACHE.clear()
