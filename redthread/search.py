"""Find entities by name in any script, case and transliteration, forgiving typos.

The store's own ``search`` is a SQL substring match: SQLite folds case for
ASCII only, so ``Стриж`` misses ``СТРИЖ``, a Latin query never meets a
Cyrillic name, and one wrong letter finds nothing. Type-ahead needs more,
and it needs it in milliseconds, so every active name is folded once per
store content into a :class:`NameIndex` (kept in the process):

- each name is cased-folded and transliterated to ASCII (the screening
  transliteration: Cyrillic tables, pinyin), then cut into words;
- a query is folded the same way; each of its words meets the index's
  distinct words exactly, as the start of a word (the word being typed),
  or within a small edit distance (a typo: one edit in words of 4 to 7
  letters, two from 8), scored by rapidfuzz;
- a name matches when every query word meets one of its words (in any
  order: ``Vadim Loskutov`` finds ``LOSKUTOV, Vadim``), or when the query
  with spaces removed occurs in the name with spaces removed (pinyin cut
  into syllables: ``Chen Haoran`` finds ``陈浩然``).

Results are canonical ids (merged entities once), best first: exact names,
then every word exact or typed so far, then typos; shorter names first.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TypedDict

from rapidfuzz import fuzz, process

from redthread.resolve.xref import loads_digest
from redthread.screen.translit import to_ascii
from redthread.store import Store

_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower-case ASCII words of a name in any script (punctuation dropped)."""
    folded = to_ascii(unicodedata.normalize("NFKC", text))
    return " ".join(_WORD.findall(folded))


def typo_budget(word: str) -> int:
    """Edits forgiven in a word: none under 4 letters, one up to 7, two from 8."""
    return 0 if len(word) < 4 else (1 if len(word) < 8 else 2)


@dataclass
class NameIndex:
    """Folded names of one store content, with word postings."""

    digest: str
    entity: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    folded: list[str] = field(default_factory=list)
    compact: list[str] = field(default_factory=list)
    raw: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    postings: dict[str, set[int]] = field(default_factory=dict)

    @classmethod
    def build(cls, store: Store, digest: str) -> NameIndex:
        idx = cls(digest)
        posts: dict[str, set[int]] = defaultdict(set)
        seen: set[tuple[str, str]] = set()
        for st in store.statements(prop_type="name"):
            if (st.entity_id, st.value) in seen:
                continue
            seen.add((st.entity_id, st.value))
            n = len(idx.names)
            f = fold(st.value)
            idx.entity.append(st.entity_id)
            idx.names.append(st.value)
            idx.folded.append(f)
            idx.compact.append(f.replace(" ", ""))
            idx.raw.append(unicodedata.normalize("NFKC", st.value).casefold())
            for w in f.split():
                posts[w].add(n)
        idx.postings = dict(posts)
        idx.words = sorted(posts)
        return idx

    def _word_hits(self, word: str, last: bool) -> dict[str, float]:
        """Index words a query word meets, with a score: 1 exact, 0.95 typed so far, lower for typos."""
        hits = {word: 1.0} if word in self.postings else {}
        if last:  # the word being typed: every word it begins
            i = bisect_left(self.words, word)
            while i < len(self.words) and self.words[i].startswith(word):
                hits.setdefault(self.words[i], 0.95)
                i += 1
        budget = typo_budget(word)
        if budget:
            cutoff = 100.0 * (1 - budget / max(len(word), 1)) - 1e-9
            for cand, score, _ in process.extract(word, self.words, scorer=fuzz.ratio, score_cutoff=cutoff,
                                                  limit=200):
                if abs(len(cand) - len(word)) <= budget:
                    hits.setdefault(cand, 0.9 * score / 100.0)
            if last and len(word) >= 4:  # a typo inside the word being typed
                for cand, score, _ in process.extract(word, self.words, scorer=_prefix_ratio,
                                                      score_cutoff=cutoff, limit=200):
                    hits.setdefault(cand, 0.85 * score / 100.0)
        return hits

    def search(self, query: str, limit: int = 20) -> list[tuple[str, float, str]]:  # noqa: C901 — word hits, prefix, exact-name and typo scores combine in one ranking over the same hit tables
        """(entity id, score, matched name), best first; raw entity ids (not canonical)."""
        q = fold(query)
        raw_q = unicodedata.normalize("NFKC", query).casefold().strip()
        if not q and not raw_q:
            return []
        scores: dict[int, float] = {}
        qwords = q.split()
        if qwords:
            per_word = [self._word_hits(w, i == len(qwords) - 1) for i, w in enumerate(qwords)]
            acc: dict[int, float] | None = None
            for hits in per_word:
                best: dict[int, float] = {}
                for word, s in hits.items():
                    for n in self.postings.get(word, ()):
                        if s > best.get(n, 0.0):
                            best[n] = s
                acc = best if acc is None else {n: acc[n] + s for n, s in best.items() if n in acc}
                if not acc:
                    break
            for n, s in (acc or {}).items():
                scores[n] = s / len(qwords)
        compact_q = q.replace(" ", "")
        if len(compact_q) >= 4 or raw_q:
            for n in range(len(self.names)):
                if n in scores:
                    continue
                if (len(compact_q) >= 4 and compact_q in self.compact[n]) or (raw_q and raw_q in self.raw[n]):
                    scores[n] = 0.9
        for n in list(scores):
            if self.folded[n] == q or self.raw[n] == raw_q:
                scores[n] = 1.1  # the whole name, exactly
        ranked = sorted(scores, key=lambda n: (-scores[n], len(self.names[n]), self.names[n]))
        out: list[tuple[str, float, str]] = []
        for n in ranked[: limit * 4]:
            out.append((self.entity[n], min(scores[n], 1.0), self.names[n]))
        return out


def _prefix_ratio(a: str, b: str, *, processor: None = None, score_cutoff: float | None = None) -> float:
    """How well ``a`` matches the start of ``b`` (``b`` cut to ``a``'s length)."""
    return float(fuzz.ratio(a, b[: len(a)], score_cutoff=score_cutoff))


_CACHE: dict[str, NameIndex] = {}
_LOCK = threading.Lock()


def name_index(store: Store) -> NameIndex:
    """The store's name index, built again only after a load."""
    digest = loads_digest(store)
    with _LOCK:
        found = _CACHE.get(store.url)
    if found is not None and found.digest == digest:
        return found
    idx = NameIndex.build(store, digest)
    with _LOCK:
        _CACHE[store.url] = idx
    return idx


def clear_cache() -> None:
    with _LOCK:
        _CACHE.clear()


class NameHit(TypedDict):
    """One search hit: the canonical ``id``, its ``score`` and the ``name`` that matched."""

    id: str
    score: float
    name: str


def search(store: Store, query: str, limit: int = 20) -> list[NameHit]:
    """Entities whose names match ``query`` (any script, case, transliteration, typos), best first."""
    cmap = store.canonical_map()
    out: list[NameHit] = []
    seen: set[str] = set()
    for eid, score, name in name_index(store).search(query, limit):
        cid = cmap.get(eid, eid)
        if cid in seen:
            continue
        seen.add(cid)
        out.append(NameHit(id=cid, score=round(score, 3), name=name))
        if len(out) >= limit:
            break
    return out
