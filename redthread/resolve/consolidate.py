"""Case-level consolidation: one node per party across the documents of a case.

Extraction works one document at a time, so a party named in three reports
arrives as three entities, sometimes typed differently (a Person in one
report, a Company in another where the text gave no clue). This module
looks at every party of the case together:

- parties whose names (or a name and a strong alias) are the same after
  folding case, legal forms and spelling variants are the same party when
  nothing contradicts it (different countries, different birth dates, a
  negative judgement). Within one dataset they are merged (a positive
  judgement by ``consolidate``); across datasets a multi-word name is
  merged too, a one-word name is only *proposed* for review, with the
  statements that make the match as evidence;
- addresses written the same way are merged, so parties at one address
  share one Address node;
- names of two words or more that differ only in transliteration
  ("Zelenskiy" / "Zelenskyy") are proposed, never merged;
- the merged party's type is then decided from all its mentions:
  :func:`redthread.model.entity.assemble` keeps the schema most statements
  use when two schemata cannot be combined (Person vs Company).

Nothing is rewritten: merges are judgements, undone with ``unjudge``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import orjson
from followthemoney import model
from typing_extensions import TypedDict

from redthread.model import Statement, now_iso
from redthread.model.evidence import Evidence
from redthread.model.jsondata import load_yaml
from redthread.model.records import EvidenceDict
from redthread.model.statement import BASE
from redthread.screen.names import skeleton, tokens
from redthread.screen.vocabulary import LEGAL_FORMS
from redthread.store import Store
from redthread.store.base import Judgement

DATA = Path(__file__).parent / "data" / "consolidate.yaml"
USER = "consolidate"
_LEGAL_MAX = max(len(k.split()) for k in LEGAL_FORMS)


class ConsolidateVocabulary(TypedDict):
    """``resolve/data/consolidate.yaml`` (checked on load, naming the key)."""

    spellings: dict[str, str]
    descriptive_starts: list[str]
    min_alias_letters: int
    cross_dataset_min_tokens: int


@cache
def vocabulary() -> ConsolidateVocabulary:
    """Spelling variants and alias rules (``resolve/data/consolidate.yaml``)."""
    return load_yaml(ConsolidateVocabulary, DATA)


def name_key(name: str) -> str:
    """A comparable form of a name: ASCII tokens, legal forms dropped, spellings folded.

    "Shenzhen Huasheng Industry Co. Ltd" and "Shenzhen Huasheng Industry"
    share a key; so do "Ministry of Defence" and "Ministry of Defense".
    """
    spell: dict[str, str] = vocabulary()["spellings"]
    toks = [spell.get(t, t) for t in tokens(name)]
    changed = True
    while changed and len(toks) > 1:
        changed = False
        for size in range(min(_LEGAL_MAX, len(toks) - 1), 0, -1):
            if " ".join(toks[-size:]) in LEGAL_FORMS:
                toks = toks[:-size]
                changed = True
                break
    return " ".join(toks)


def spelling_key(name: str) -> str:
    """A looser key: each token's transliteration skeleton ("Zelenskiy" ~ "Zelenskyy")."""
    return " ".join(skeleton(t) for t in name_key(name).split())


def _strong_alias(alias: str) -> bool:
    """An alias that names (not describes) a party: "Autel", not "the Russian company"."""
    vocab = vocabulary()
    words = alias.strip().split()
    if not words or words[0].lower() in vocab["descriptive_starts"]:
        return False
    if " ".join(tokens(alias)) in LEGAL_FORMS:
        return False  # a bare legal form ("LLC", "ОсОО") names no one
    return len(re.sub(r"[^\w]", "", alias)) >= int(vocab["min_alias_letters"])


@dataclass
class Pair:
    """Two entities found to be one party, merged or proposed, with the evidence."""

    left_id: str
    right_id: str
    left_caption: str
    right_caption: str
    key: str
    reason: str
    merged: bool
    evidence: list[EvidenceDict] = field(default_factory=list)


@dataclass
class Consolidation:
    """What :func:`consolidate` did: pairs merged, pairs proposed, types decided.

    One record: its JSON form is these fields as they are (``{"merged": [Pair...], "proposed": [...],
    "types": {...}}``, each :class:`Pair` its fields in order), written by orjson's dataclass support,
    not restated in a second shape.
    """

    merged: list[Pair] = field(default_factory=list)
    proposed: list[Pair] = field(default_factory=list)
    types: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> bytes:
        return orjson.dumps(self)


def _is_party(schema_name: str) -> bool:
    schema = model.get(schema_name)
    return schema is not None and schema.is_a("LegalEntity")


def _family(schema_name: str) -> str:
    schema = model.get(schema_name)
    return "person" if schema is not None and schema.is_a("Person") else "other"


class _Entity:
    """One stored entity's identity: names, aliases, countries, dates, datasets."""

    def __init__(self, eid: str, stmts: list[Statement]) -> None:
        self.id = eid
        self.stmts = [s for s in stmts if s.removed_at is None]
        self.schemata = {s.schema for s in self.stmts}
        self.datasets = {s.dataset for s in self.stmts}

    def values(self, prop: str) -> set[str]:
        return {s.value for s in self.stmts if s.prop == prop}

    def evidence(self, props: tuple[str, ...], key: str) -> list[EvidenceDict]:
        out = []
        for s in self.stmts:
            if s.prop in props and name_key(s.value) == key:
                out.append(Evidence.of(s, with_fact=True).to_dict())
        return out[:4]

    @property
    def caption(self) -> str:
        names = sorted(self.values("name") or self.values("full") or {self.id})
        return names[0]


def _conflict(a: _Entity, b: _Entity) -> str | None:
    """Why two same-named entities may still be different parties, or None."""
    for prop in ("country", "birthDate", "registrationNumber", "incorporationDate"):
        x, y = a.values(prop), b.values(prop)
        if x and y and not (x & y):
            return f"different {prop}: {', '.join(sorted(x))} / {', '.join(sorted(y))}"
    return None


@dataclass
class _Blocks:
    """The blocking keys: which entities share a name, an alias, an address or a spelling."""

    by_name: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    by_alias: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    by_address: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    by_spelling: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def of(cls, ents: dict[str, _Entity]) -> _Blocks:
        out = cls()
        for cid, ent in ents.items():
            if any(_is_party(s) for s in ent.schemata):
                for key in {name_key(n) for n in ent.values("name") if _strong_alias(n)} - {""}:
                    out.by_name[key].append(cid)  # "a company that ..." describes a party; it names none
                for key in {spelling_key(n) for n in ent.values("name") if _strong_alias(n)} - {""}:
                    out.by_spelling[key].append(cid)
                for key in {name_key(a) for a in ent.values("alias") if _strong_alias(a)} - {""}:
                    out.by_alias[key].append(cid)
            elif "Address" in ent.schemata:
                for key in {name_key(f) for f in ent.values("full")} - {""}:
                    if re.search(r"\d", key) or len(key.split()) >= 3:
                        out.by_address[key].append(cid)
        return out


class _Merger:
    """The merge decisions over the blocks: a union-find of the merged, and the pairs proposed."""

    def __init__(self, ents: dict[str, _Entity], negative: set[tuple[str, ...]], dataset: str | None) -> None:
        self.ents = ents
        self.negative = negative
        self.dataset = dataset
        self.result = Consolidation()
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        while self.parent.get(x, x) != x:
            x = self.parent[x]
        return x

    def consider(self, a: str, b: str, key: str, how: str, props: tuple[str, str]) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb or tuple(sorted((a, b))) in self.negative:
            return
        ea, eb = self.ents[a], self.ents[b]
        if self.dataset is not None and self.dataset not in ea.datasets | eb.datasets:
            return
        evidence = ea.evidence((props[0],), key) + eb.evidence((props[1],), key)
        why = _conflict(ea, eb)
        same_dataset = bool(ea.datasets & eb.datasets)
        short = len(key.split()) < int(vocabulary()["cross_dataset_min_tokens"])
        pair = Pair(a, b, ea.caption, eb.caption, key, how, False, evidence)
        if why is not None:
            pair.reason = f"{how}, but {why}"
            self.result.proposed.append(pair)
            return
        if not same_dataset and short:
            pair.reason = f"{how} (a one-word name in different datasets)"
            self.result.proposed.append(pair)
            return
        pair.merged = True
        self.parent[rb] = ra
        self.result.merged.append(pair)

    def merge(self, blocks: _Blocks) -> None:
        """Same name, a name that is the other's alias, same address: merged unless something says not."""
        for key, ids in sorted(blocks.by_name.items()):
            for other in ids[1:]:
                self.consider(ids[0], other, key, "same name", ("name", "name"))
        for key, ids in sorted(blocks.by_alias.items()):
            for named in blocks.by_name.get(key, []):
                for aliased in ids:
                    if aliased != named:
                        self.consider(named, aliased, key, "name of one is an alias of the other",
                                      ("name", "alias"))
        for key, ids in sorted(blocks.by_address.items()):
            for other in ids[1:]:
                self.consider(ids[0], other, key, "same address", ("full", "full"))

    def propose_spellings(self, blocks: _Blocks) -> None:
        """Names spelled differently (a transliteration variant?): only ever proposed."""
        for key, ids in sorted(blocks.by_spelling.items()):
            for other in ids[1:]:
                a, b = ids[0], other
                if self.find(a) == self.find(b) or tuple(sorted((a, b))) in self.negative or len(key.split()) < 2:
                    continue
                if self.dataset is not None and self.dataset not in self.ents[a].datasets | self.ents[b].datasets:
                    continue
                if any({p.left_id, p.right_id} == {a, b} for p in self.result.proposed):
                    continue
                ea, eb = self.ents[a], self.ents[b]
                evidence = [ev for e in (ea, eb) for ev in e.evidence(("name",), name_key(e.caption))]
                self.result.proposed.append(Pair(a, b, ea.caption, eb.caption, key,
                                                 "names spelled alike (a transliteration variant?)", False,
                                                 evidence))


def consolidate(store: Store, dataset: str | None = None, *, apply: bool = True) -> Consolidation:
    """Merge (or propose) same-named parties and addresses of the case.

    ``dataset`` limits the parties considered on one side to that dataset
    (the other side is the whole store). With ``apply=False`` nothing is
    written: the merges are returned as they would be made. One read of the
    store's statements; then the blocking keys (:class:`_Blocks`) and the
    merge decisions over them (:class:`_Merger`), by the module docstring's rules.
    """
    cmap = store.canonical_map()
    grouped: dict[str, list[Statement]] = defaultdict(list)
    for s in store.statements():
        grouped[cmap.get(s.entity_id, s.entity_id)].append(s)
    ents = {cid: _Entity(cid, stmts) for cid, stmts in grouped.items()}
    negative = {tuple(sorted((cmap.get(j.left_id, j.left_id), cmap.get(j.right_id, j.right_id))))
                for j in store.judgements() if j.judgement == "negative"}
    blocks = _Blocks.of(ents)
    merger = _Merger(ents, negative, dataset)
    merger.merge(blocks)
    merger.propose_spellings(blocks)
    result = merger.result
    if apply:
        for pair in result.merged:
            store.add_judgement(Judgement(pair.left_id, pair.right_id, "positive", USER, now_iso(), 1.0))
    for root in {merger.find(p.left_id) for p in result.merged}:
        members = [cid for cid in ents if merger.find(cid) == root]
        result.types[root] = decide_type([s for m in members for s in ents[m].stmts])
    return result


def decide_type(stmts: list[Statement]) -> str:
    """The schema of a party from all its statements: the compatible common one,
    or (Person vs organisation) the family most statements use."""
    counts: dict[str, int] = defaultdict(int)
    for s in stmts:
        if s.prop != BASE:
            counts[s.schema] += 1
    families: dict[str, int] = defaultdict(int)
    for name, n in counts.items():
        families[_family(name)] += n
    if not counts:
        return stmts[0].schema if stmts else "LegalEntity"
    best_family = max(sorted(families), key=lambda f: families[f])
    names = [n for n in counts if _family(n) == best_family]
    best = names[0]
    for other in names[1:]:
        schema_a, schema_b = model.get(best), model.get(other)
        if schema_a is None or schema_b is None:
            continue
        try:
            best = model.common_schema(schema_a, schema_b).name
        except Exception:  # noqa: BLE001 - incompatible within a family: keep the commoner
            best = best if counts[best] >= counts[other] else other
    return best
