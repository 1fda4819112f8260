"""The in-memory screening index: blocking keys -> names -> entities.

Every name of every matchable entity is analysed once (:mod:`names`) and
indexed under blocking keys:

- ``t<skeleton>`` for each core token (so spelling variants share a key),
- ``p<first 3>``, ``s<last 3>``, ``l<letter set>`` and ``q<first 2, last 2,
  length>`` of longer tokens (a typo leaves one of them intact),
- ``c<compact>`` for the core written together, and for Chinese names each
  pair of adjacent syllables joined (``xia men`` -> ``xiamen``), so that
  pinyin meets a Latin rendering;
- ``A<initials>`` of an organisation name of two to eight words and
  ``a<word>`` for the short words of a one- or two-word organisation name,
  looked up crosswise, so an acronym meets the name it stands for.

Postings are held as one sorted NumPy array (CSR layout), keys as one dict,
so a million entities fit in well under the 4 GB budget. A query looks up its
own keys, weighs each by inverse document frequency (very common keys are
skipped), sums the weights per name and scores only the best few dozen
candidates with the full scorer. Shared identifiers (INN, IMO, LEI, ...) are
looked up directly.

:func:`index_for` builds the index of a store (optionally one dataset),
caches it in the process until the store changes (a new load or judgement)
and keeps it on disk beside the store (:mod:`redthread.screen.persist`).
"""

from __future__ import annotations

import math
import threading
import time
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
from followthemoney import model

import redthread.screen.persist as persist
from redthread.screen.names import PERSON, NameForm, rejoin, skeleton
from redthread.screen.record import Record, entity_record
from redthread.screen.scorers import DEFAULT, Score, get_scorer
from redthread.store import Store

#: Keys shared by more names than this are too common to block on.
MAX_DF = 20_000
#: Deletion keys shared by more names than this are left out: they belong
#: to common tokens, whose other keys say as much at a fraction of the cost.
MAX_DF_DELETION = 2_000
#: Names scored in full per query.
CANDIDATE_NAMES = 30
#: Names whose blocking weight is below this share of the best are skipped.
RELATIVE_FLOOR = 0.3
#: ... except the best few, whatever their weight: a one-letter slip in the
#: only distinctive word ("Gasprom") shares few keys with the query, and an
#: exact namesake elsewhere in the list must not push it out unscored.
MIN_KEPT = 8
#: Tokens up to this length get deletion keys (longer ones have head, tail,
#: letter-set and ends keys).
SHORT_TOKEN = 8
#: Names tied near the top that are ranked again with the common keys.
POOL_FACTOR = 4
POOL_MAX = 4096
#: Candidates given the scorer's costly second opinion (when it has one):
#: the first few in blocking order and the best few by the first score.
SECOND_OPINION_BLOCKED = 4
SECOND_OPINION_BEST = 3
#: Candidate records (with their name analyses) kept per index: the whole
#: 2021 OFAC list (about 16,000 screenable entries) fits many times over;
#: at a million entities the most recent ones stay.
RECORD_CACHE = 200_000

ProgressFn = Callable[[str, int, int | None], None]

#: Blocking weight by key kind: skeletons and joined forms count more; a
#: token's deletion keys come in numbers, so each counts little (an exact
#: token must not outweigh a joined form).
_KEY_FACTOR = {"t": 1.5, "c": 1.5, "d": 0.25}


_TOKEN_KEYS: dict[str, tuple[str, ...]] = {}


def token_keys(tok: str) -> tuple[str, ...]:
    """Blocking keys of one token (cached: tokens repeat across names)."""
    keys = _TOKEN_KEYS.get(tok)
    if keys is None:
        sk = skeleton(tok)
        out = ["t" + sk] if len(sk) >= 2 else []
        if len(sk) < 3 and len(tok) >= 2 and sk != tok:
            # The skeleton folds short syllables together (liu/lu, yuyu/u):
            # block on the spelling as well.
            out.append("x" + tok)
        if len(tok) >= 5:
            # Typo fallbacks on the plain spelling: a slip leaves the head,
            # the tail, the letter set or the ends with the length intact.
            out += ["p" + tok[:3], "s" + tok[-3:], "l" + "".join(sorted(set(tok))), _ends_key(tok, len(tok))]
        if not tok.isdigit():
            if 4 <= len(tok) <= SHORT_TOKEN:
                # Short tokens have few typo keys: each of its one-letter
                # deletions (any single slip leaves one shared; a doubled
                # letter keeps the letter set of longer ones) and, for four
                # letters, the token itself.
                if len(tok) == 4:
                    out.append("d" + tok)
                out.extend({"d" + tok[:k] + tok[k + 1:] for k in range(len(tok))})
            elif len(tok) > SHORT_TOKEN:
                # A slip in the second letter breaks the head and ends keys.
                out.append("d" + tok[0] + tok[2:])
        keys = tuple(out)
        if len(_TOKEN_KEYS) < 3_000_000:
            _TOKEN_KEYS[tok] = keys
    return keys


def _ends_key(tok: str, length: int) -> str:
    return f"q{tok[:2]}{tok[-2:]}{length}"


def name_keys(form: NameForm) -> set[str]:
    """The blocking keys of one analysed name."""
    keys: set[str] = set()
    for tok in form.core:
        keys.update(token_keys(tok))
    if form.cjk:
        for a, b in zip(form.core, form.core[1:], strict=False):
            keys.add("t" + skeleton(a + b))
        if form.kind == PERSON and len(form.core) > 1:
            # Given name first, as Latin renderings often write it.
            keys.add("c" + rejoin([skeleton(t) for t in form.core[1:] + form.core[:1]]))
    if form.kind == PERSON and 1 < len(form.core) <= 4:
        # A name with each other part's initial: "E. S. Petrov" meets
        # "Petrov Egor Sergeevich" on a rare key, not on the common surname.
        for tok in form.core:
            if len(tok) >= 2:
                base = "i" + skeleton(tok)
                keys.update(base + other[0] for other in form.core if other is not tok)
    if form.core:
        # Joined skeletons: what a one-word spelling of a multi-word name
        # (or pinyin syllables) produces as a query key.
        keys.add("c" + rejoin([skeleton(t) for t in form.core]))
    # Generic words and the legal-form class: common keys, so they mostly
    # break ties between names sharing the same rare keys.
    keys.update("g" + g for g in form.generic)
    if form.legal:
        keys.add("f" + form.legal)
    # Acronyms: a name's initials ("A", what a query "PLA" looks up) and a
    # short name's words ("a", what a query "People's Liberation Army" looks
    # up). Two kinds, so two long names with the same initials never meet.
    if form.initials:
        keys.add("A" + form.initials)
    keys.update("a" + t for t in form.short_words())
    return keys


def query_keys(form: NameForm) -> set[str]:
    """Query keys: the name's own keys (acronym keys crosswise), and each token as a compact (joined spellings)."""
    keys = {k for k in name_keys(form) if k[0] not in "Aa"}
    if form.initials:
        keys.add("a" + form.initials)
    keys.update("A" + t for t in form.short_words())
    keys.update("c" + skeleton(t) for t in form.core if len(t) >= 4)
    # A dropped or doubled letter changes the length by one.
    keys.update(_ends_key(t, len(t) + d) for t in form.core if len(t) >= 5 for d in (-1, 1))
    keys.update("c" + comp for comp, _ in form.compacts())
    for t in form.core:
        if 4 < len(t) <= SHORT_TOKEN and not t.isdigit():
            keys.add("d" + t)  # the query's token is a deletion of the indexed one
        elif len(t) > SHORT_TOKEN and not t.isdigit():
            # A letter dropped from the second place of a long token.
            keys.add("d" + t)
            if len(t) == SHORT_TOKEN + 1:
                # A letter doubled in a short one.
                keys.update("d" + t[:k] + t[k + 1:] for k in range(len(t)))
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
    extras: list[tuple[frozenset[str], frozenset[str], dict[str, frozenset[str]], tuple[tuple[str, str], ...]] | None] = (
        field(default_factory=list))
    name_text: list[str] = field(default_factory=list)
    name_data: list[str] = field(default_factory=list)
    name_entity: Any = None
    entity_names: Any = None
    key_ids: dict[str, int] = field(default_factory=dict)
    key_offsets: Any = None
    postings: Any = None
    name_nkeys: Any = None
    identifiers: dict[str, list[int]] = field(default_factory=dict)
    build_seconds: float = 0.0
    _schema_codes: Any = None
    #: Records of entities met as candidates, with their analyses (see
    #: :meth:`record`); never written to disk, so a loaded index starts empty.
    _records: dict[int, Record] = field(default_factory=dict, repr=False, compare=False)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_records"] = {}
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state.setdefault("_records", {})
        self.__dict__.update(state)

    # -- building ----------------------------------------------------------
    @classmethod
    def build(
        cls,
        entities: Iterable[Mapping[str, Any]],
        progress: ProgressFn | None = None,
        workers: int = 1,
    ) -> ScreeningIndex:
        """Index FtM entity dicts (non-matchable schemata are skipped).

        With ``workers > 1`` names are analysed in forked worker processes
        (a list is shared with them copy-on-write; other iterables are sent
        in chunks); the index itself is assembled in this process.
        """
        start = time.perf_counter()
        builder = _Builder(cls())
        if workers > 1:
            import multiprocessing as mp

            ctx = mp.get_context("fork")
            global _BUILD_SOURCE
            if isinstance(entities, Sequence):
                _BUILD_SOURCE = entities
                jobs: Iterable[Any] = [(lo, min(lo + _CHUNK, len(entities)))
                                       for lo in range(0, len(entities), _CHUNK)]
                work: Callable[[Any], list[Row]] = _analyze_range
            else:
                jobs = _chunks(entities, _CHUNK)
                work = _analyze_chunk
            try:
                with ctx.Pool(workers) as pool:
                    for rows in pool.imap(work, jobs):
                        for row in rows:
                            builder.add(row)
                        if progress is not None:
                            progress("indexing", builder.count, None)
            finally:
                _BUILD_SOURCE = None
        else:
            for n, ent in enumerate(entities, start=1):
                one = analyze_entity(ent)
                if one is not None:
                    builder.add(one)
                if progress is not None and n % 10000 == 0:
                    progress("indexing", n, None)
        idx = builder.finish()
        idx.build_seconds = time.perf_counter() - start
        return idx

    def __len__(self) -> int:
        return len(self.ids)

    def memory_bytes(self) -> int:
        """Approximate size of the NumPy parts (the rest is Python objects)."""
        return int(sum(a.nbytes for a in (self.postings, self.key_offsets, self.name_entity, self.entity_names,
                                          self.name_nkeys) if a is not None))

    def schema_of(self, eidx: int) -> str:
        """The schema of one indexed entity."""
        return self.schemata[int(self._schema_codes[eidx])]

    # -- querying ----------------------------------------------------------
    def record(self, eidx: int) -> Record:
        """The comparable record of one indexed entity, made once per index.

        A candidate met by many queries keeps its record, and with it the
        analyses the scorers make of its names (``Record.memo``): each is
        made once while this index serves the store's content. A new load
        or judgement brings a new index (see :func:`index_for`), so a
        candidate is never compared on names it no longer has. At most
        :data:`RECORD_CACHE` records are kept (the first met go first).
        """
        rec = self._records.get(eidx)
        if rec is not None:
            return rec
        names = [NameForm.decode(self.name_text[n], self.name_data[n])
                 for n in range(int(self.entity_names[eidx]), int(self.entity_names[eidx + 1]))]
        extra = self.extras[eidx]
        schema = self.schemata[int(self._schema_codes[eidx])]
        if extra is None:
            rec = Record(schema, names)
        else:
            rec = Record(schema, names, extra[0], extra[1], extra[2], extra[3])
        records = self._records
        if len(records) >= RECORD_CACHE:
            try:
                del records[next(iter(records))]
            except (KeyError, StopIteration, RuntimeError):  # another thread took it first
                pass
        records[eidx] = rec
        return rec

    def candidates(self, query: Record, limit: int = CANDIDATE_NAMES, skip: int | None = None) -> list[int]:
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
            if key[0] == "d" and hi - lo > MAX_DF_DELETION:
                continue  # the token's own keys already say as much, and cost
            if hi - lo > MAX_DF or key[0] in "gf":
                # Common keys (and generic words and legal forms, common by
                # nature) only rank the best names again (see _rank).
                skipped.append((hi - lo, kid))
                continue
            lists.append(self.postings[lo:hi])
            weights.append(math.log(1 + total / (hi - lo)) * _KEY_FACTOR.get(key[0], 1.0))
        if not lists and skipped:
            df, kid = min(skipped)
            skipped = [k for k in skipped if k[1] != kid]
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
                uniq = lists[0]
                sums = np.full(len(uniq), weights[0])
            else:
                uniq, sums = _sum_postings(lists, weights)
            if skip is not None:
                # The query's own entry (cross-referencing) must not set the bar.
                lo, hi = int(self.entity_names[skip]), int(self.entity_names[skip + 1])
                sums[(uniq >= lo) & (uniq < hi)] = 0.0
            top = self._rank(uniq, sums, skipped, limit, total)
            for n in top.tolist():
                eidx = int(self.name_entity[n])
                if eidx not in seen:
                    seen.add(eidx)
                    out.append(eidx)
        return out

    def _rank(self, uniq: np.ndarray, sums: np.ndarray, common: list[tuple[int, int]], limit: int,
              total: int) -> np.ndarray:
        """The best ``limit`` names by blocking weight, ties broken.

        Many names can share the same rare keys (one core, several legal
        forms, places or second words). The names near the top are ranked
        again with the common keys left out of the sums (a given name, a
        generic word, a legal-form class), then, on a tie, those with fewer
        keys of their own first: a name that is mostly the query.
        """
        pool_size = min(len(uniq), limit * POOL_FACTOR)
        if len(uniq) > pool_size:
            part = np.argpartition(-sums, pool_size - 1)[:pool_size]
            pool = np.flatnonzero(sums >= sums[part].min())
        else:
            pool = np.arange(len(uniq))
        names = uniq[pool]
        nkeys = self.name_nkeys[names] if self.name_nkeys is not None else np.zeros(len(pool))
        weight = sums[pool]
        if len(pool) > POOL_MAX:
            cut = np.lexsort((nkeys, -weight))[:POOL_MAX]
            names, nkeys, weight = names[cut], nkeys[cut], weight[cut]
        if common:
            weight = weight.copy()
            for df, kid in common:
                lo, hi = int(self.key_offsets[kid]), int(self.key_offsets[kid + 1])
                post = self.postings[lo:hi]
                at = np.minimum(np.searchsorted(post, names), len(post) - 1)
                weight += (post[at] == names) * math.log(1 + total / df)
        order = np.lexsort((nkeys, -weight))[:limit]
        # Names sharing much less key weight than the best one are not worth
        # a full comparison.
        keep = weight[order] >= weight[order[0]] * RELATIVE_FLOOR
        keep[:MIN_KEPT] = True
        top: np.ndarray = names[order[keep]]
        return top

    def search(
        self,
        query: Record,
        *,
        algorithm: str = DEFAULT,
        limit: int = 5,
        cutoff: float = 0.0,
        datasets: set[str] | None = None,
        exclude: set[str] | None = None,
        skip: int | None = None,
        threshold: float | None = None,
        exclude_datasets: set[str] | None = None,
        exclude_schemata: set[str] | None = None,
    ) -> list[Candidate]:
        """Score the blocked candidates of a query; best first.

        ``skip`` is the index of an entry never to return (the query's own
        entry when cross-referencing the index against itself). ``datasets``
        keeps entities in any of them; ``exclude_datasets`` drops entities
        found only in those; ``exclude_schemata`` drops those schemata. Given the
        ``threshold`` that makes a match, a scorer's costly second opinion is
        asked only where it can change that decision.
        """
        scorer = get_scorer(algorithm)
        qschema = model.get(query.schema)
        allowed = {s.name for s in qschema.matchable_schemata} | {qschema.name} if qschema else None
        deep = hasattr(scorer, "refine")
        scored: list[tuple[int, str, Score, Record]] = []
        for eidx in self.candidates(query, skip=skip):
            if eidx == skip:
                continue
            schema = self.schemata[int(self._schema_codes[eidx])]
            if allowed is not None and schema not in allowed:
                continue
            if datasets and not datasets.intersection(self.datasets[eidx]):
                continue
            if exclude_schemata and schema in exclude_schemata:
                continue
            if exclude_datasets and self.datasets[eidx] and exclude_datasets.issuperset(self.datasets[eidx]):
                continue
            if exclude and self.ids[eidx] in exclude:
                continue
            rec = self.record(eidx)
            score = cast(Any, scorer).first_opinion(query, rec) if deep else scorer.score(query, rec)
            scored.append((eidx, schema, score, rec))
        if deep and scored:
            # The costly second opinion only for the best few by blocking
            # rank and by the first score: bounded work per query.
            by_score = sorted(range(len(scored)), key=lambda k: -scored[k][2].score)[:SECOND_OPINION_BEST]
            for k in sorted(set(range(min(len(scored), SECOND_OPINION_BLOCKED))) | set(by_score)):
                eidx, schema, first, rec = scored[k]
                scored[k] = (eidx, schema, cast(Any, scorer).refine(query, rec, first, threshold), rec)
        results = [Candidate(eidx, self.ids[eidx], schema, self.captions[eidx], self.datasets[eidx], score)
                   for eidx, schema, score, _ in scored if score.score > cutoff and score.score > 0]
        results.sort(key=lambda c: (-c.score.score, c.id))
        return results[:limit]


def _sum_postings(lists: list[np.ndarray], weights: list[float]) -> tuple[np.ndarray, np.ndarray]:
    """Distinct names of several posting lists and the sum of their lists' weights.

    Each name is packed with its list's number into one 64-bit integer and
    the lot sorted once (2-3 times faster than ``np.unique`` with inverse);
    a name's weights are summed in list order, so names with the same keys
    tie exactly.
    """
    if len(lists) >= 1 << _LIST_BITS:
        allnames = np.concatenate(lists)
        w = np.repeat(np.asarray(weights), [len(x) for x in lists])
        uniq, inv = np.unique(allnames, return_inverse=True)
        return uniq, np.bincount(inv, weights=w)
    packed = np.concatenate([(x.astype(np.int64) << _LIST_BITS) | k for k, x in enumerate(lists)])
    packed.sort()
    names = packed >> _LIST_BITS
    starts = np.flatnonzero(np.concatenate(([True], names[1:] != names[:-1])))
    sums = np.add.reduceat(np.asarray(weights)[packed & ((1 << _LIST_BITS) - 1)], starts)
    return names[starts].astype(np.int32), sums


_LIST_BITS = 10
_MATCHABLE = frozenset(s.name for s in model.schemata.values() if s.matchable and not s.is_a("Address"))
_CHUNK = 5000
_BUILD_SOURCE: Sequence[Mapping[str, Any]] | None = None

#: What analysing one entity yields: id, schema, caption, datasets, extras,
#: names as (text, encoded form, blocking keys), identifier values.
Row = tuple[str, str, str, tuple[str, ...], Any, list[tuple[str, str, list[str]]], list[str]]


def analyze_entity(ent: Mapping[str, Any]) -> Row | None:
    """The index row of one entity, or None when it is not screenable."""
    if ent.get("schema") not in _MATCHABLE:
        return None
    rec = entity_record(ent)
    if not rec.names and not rec.id_values:
        return None  # nothing to find it by (an entity with only an IMO number is found by that)
    extras = (rec.countries, rec.birth_dates, rec.identifiers, rec.parts) if (
        rec.countries or rec.birth_dates or rec.identifiers or rec.parts) else None
    names = [(f.text, f.encode(), list(name_keys(f))) for f in rec.names]
    caption = str(ent.get("caption") or (rec.names[0].text if rec.names else sorted(rec.id_values)[0]))
    return (str(ent["id"]), rec.schema, caption, tuple(ent.get("datasets") or ()), extras, names,
            sorted(rec.id_values))


def _analyze_range(bounds: tuple[int, int]) -> list[Row]:
    assert _BUILD_SOURCE is not None
    return [r for r in (analyze_entity(e) for e in _BUILD_SOURCE[bounds[0]:bounds[1]]) if r is not None]


def _analyze_chunk(chunk: list[Mapping[str, Any]]) -> list[Row]:
    return [r for r in (analyze_entity(e) for e in chunk) if r is not None]


def _chunks(items: Iterable[Mapping[str, Any]], size: int) -> Iterator[list[Mapping[str, Any]]]:
    chunk: list[Mapping[str, Any]] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _Builder:
    """Accumulates rows into the index's flat arrays."""

    def __init__(self, idx: ScreeningIndex) -> None:
        self.idx = idx
        self.count = 0
        self.schema_ids: dict[str, int] = {}
        self.schema_codes = array("B")
        self.pair_keys = array("i")
        self.pair_names = array("i")
        self.name_entity = array("i")
        self.entity_first = array("i")
        self.interned: dict[Any, Any] = {}

    def add(self, row: Row) -> None:
        eid, schema, caption, datasets, extras, names, id_values = row
        idx = self.idx
        eidx = len(idx.ids)
        self.count += 1
        idx.ids.append(eid)
        self.schema_codes.append(self.schema_ids.setdefault(schema, len(self.schema_ids)))
        idx.captions.append(caption)
        idx.datasets.append(self.interned.setdefault(datasets, datasets))
        if extras is not None:
            extras = (self.interned.setdefault(extras[0], extras[0]), extras[1], extras[2], extras[3])
        idx.extras.append(extras)
        for value in id_values:
            idx.identifiers.setdefault(value, []).append(eidx)
        self.entity_first.append(len(idx.name_text))
        key_ids = idx.key_ids
        pair_keys, pair_names = self.pair_keys, self.pair_names
        for text, data, keys in names:
            nidx = len(idx.name_text)
            idx.name_text.append(text)
            idx.name_data.append(data)
            self.name_entity.append(eidx)
            kids = [key_ids.setdefault(key, len(key_ids)) for key in keys]
            pair_keys.extend(kids)
            pair_names.extend([nidx] * len(kids))

    def finish(self) -> ScreeningIndex:
        idx = self.idx
        self.entity_first.append(len(idx.name_text))
        idx.schemata = [""] * len(self.schema_ids)
        for name, code in self.schema_ids.items():
            idx.schemata[code] = name
        idx._schema_codes = np.frombuffer(self.schema_codes, dtype=np.uint8).copy()
        idx.name_entity = np.frombuffer(self.name_entity, dtype=np.int32).copy()
        idx.entity_names = np.frombuffer(self.entity_first, dtype=np.int32).copy()
        keys = np.frombuffer(self.pair_keys, dtype=np.int32)
        names = np.frombuffer(self.pair_names, dtype=np.int32)
        order = np.argsort(keys, kind="stable")
        idx.postings = names[order].copy()
        idx.name_nkeys = np.minimum(np.bincount(names, minlength=len(idx.name_text)), 65535).astype(np.uint16)
        counts = np.bincount(keys, minlength=len(idx.key_ids))
        idx.key_offsets = np.zeros(len(idx.key_ids) + 1, dtype=np.int64)
        np.cumsum(counts, out=idx.key_offsets[1:])
        self.pair_keys = array("i")
        self.pair_names = array("i")
        return idx


_CACHE: dict[tuple[str, str | None], tuple[str, ScreeningIndex]] = {}
_LOCK = threading.Lock()


def index_for(store: Store, dataset: str | None = None, progress: ProgressFn | None = None,
              digest: str | None = None) -> ScreeningIndex:
    """The screening index of a store, or of one dataset in it.

    Cached in the process until the store changes (a new load or judgement),
    and kept on disk beside the store (:mod:`redthread.screen.persist`), so
    the next process loads it instead of building it again. ``digest``: the
    store's content digest, when the caller has read it already.
    """
    key = (store.url, dataset)
    sig = digest or persist.content_digest(store)  # one read of the loads and judgements serves both caches
    with _LOCK:
        cached = _CACHE.get(key)
        if cached is not None and cached[0] == sig:
            return cached[1]
        path = persist.path_for(store, dataset, sig)
        idx = persist.load(path, ScreeningIndex) if path is not None else None
        built = idx is None
        if idx is None:
            idx = ScreeningIndex.build(store.entities(dataset=dataset), progress=progress)
            if path is not None:
                persist.save(path, idx)
        _CACHE[key] = (sig, idx)
    if built:
        _keep_status(store, sig)
    # rigour's name data (about half a second, once a process) is loaded with
    # the index rather than by the first query that needs a second opinion.
    from redthread.screen.symbolic import warm_up

    warm_up()
    return idx


def is_loaded(store_url: str, dataset: str | None, digest: str) -> bool:
    """Whether :func:`index_for` would answer from memory: no build, no load from disk.

    Lets a caller on the event loop tell a query that costs milliseconds
    from one that would first load or build an index (seconds).
    """
    cached = _CACHE.get((store_url, dataset))
    return cached is not None and cached[0] == digest


def _keep_status(store: Store, digest: str) -> None:
    """Work out the hits' listing status with the index and keep it on disk (read by
    :meth:`redthread.screen.state.StoreState.status`), so the first query of a fresh
    server does not load the whole graph."""
    path = persist.status_path_for(store, digest)
    if path is None or path.exists():
        return
    from redthread.screen.status import listing_status

    persist.save(path, listing_status(store))


def clear_cache() -> None:
    with _LOCK:
        _CACHE.clear()
