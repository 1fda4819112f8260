"""Score an extraction backend against gold annotations we wrote ourselves.

A gold file (YAML) describes one document::

    document: ../docs/press_release.txt   # relative to the gold file
    split: heldout                         # tune | heldout
    parties:
      - {schema: Company, name: Foo Ltd, aliases: [Foo]}
      - {schema: [Organization, PublicBody], name: Bar Zone}   # either schema is right
    relations:
      - {schema: Ownership, source: Jane Roe, target: Foo Ltd, percentage: "60"}
      - {schema: Sanction, source: Foo Ltd, authority: Office of Foreign Assets Control}

``source``/``target`` are the two ends in FtM's order (owner/asset,
director/organization, sender/receiver, agent/client, payer/beneficiary,
person/relative; the sanctioned entity for a Sanction), named by any name or
alias of a gold party. Family and Associate match in either direction.

Parties match when a predicted name or alias equals (after normalisation) a
gold name or alias and the schema is one the gold allows; relations match
when the schema and both ends (mapped through party matching by name) agree,
and for sanctions the authority too. Key properties of matched relations
(percentage, amount, currency, authority, startDate) are scored separately.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from typing_extensions import TypedDict

from redthread.errors import InputError
from redthread.extract import extract_text
from redthread.extract.parties import key
from redthread.extract.readers import read_document
from redthread.extract.relations import ENDS
from redthread.model.records import FtMEntity

PARTY_SCHEMATA = ("Person", "Company", "Organization", "PublicBody", "LegalEntity")
SYMMETRIC = frozenset({"Family", "Associate"})
KEY_PROPS = ("percentage", "amount", "customsAmount", "currency", "authority", "startDate")


@dataclass
class GoldParty:
    schemata: tuple[str, ...]
    names: set[str]
    label: str


@dataclass
class GoldRelation:
    schema: str
    source: str
    target: str | None
    props: dict[str, str]


@dataclass
class GoldDoc:
    path: Path
    document: Path
    split: str
    parties: list[GoldParty]
    relations: list[GoldRelation]


class CountsDict(TypedDict):
    """A :class:`Counts` in JSON (``redthread eval --json``)."""

    tp: int
    fp: int
    fn: int
    precision: float
    recall: float
    f1: float


class SplitSummary(TypedDict):
    """The figures of one split (or of all documents) in ``redthread eval``."""

    documents: list[str]
    parties: CountsDict
    relations: CountsDict
    relation_classes: dict[str, CountsDict]
    key_properties_recall: float


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> CountsDict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 3),
                "recall": round(self.recall, 3), "f1": round(self.f1, 3)}


@dataclass
class DocScore:
    name: str
    split: str
    parties: Counts = field(default_factory=Counts)
    relations: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    props: Counts = field(default_factory=Counts)
    misses: list[str] = field(default_factory=list)


def _names(value: Any) -> set[str]:
    if isinstance(value, str):
        return {key(value)}
    return {key(str(v)) for v in value or []}


def load_gold(path: Path) -> GoldDoc:
    """One gold file; errors name the file and field."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"cannot read gold file ({exc})", path=str(path)) from None
    if not isinstance(data, dict) or "document" not in data:
        raise InputError("gold file needs 'document', 'parties' and 'relations'", path=str(path))
    document = (path.parent / str(data["document"])).resolve()
    parties = []
    for i, p in enumerate(data.get("parties") or []):
        schemata = tuple([p["schema"]] if isinstance(p.get("schema"), str) else p.get("schema") or ())
        if not schemata or any(s not in PARTY_SCHEMATA for s in schemata) or not p.get("name"):
            raise InputError(f"party {i}: needs a schema out of {PARTY_SCHEMATA} and a name", path=str(path),
                             field=f"parties[{i}]")
        parties.append(GoldParty(schemata, _names(p["name"]) | _names(p.get("aliases")), str(p["name"])))
    relations = []
    for i, r in enumerate(data.get("relations") or []):
        if r.get("schema") not in ENDS or not r.get("source"):
            raise InputError(f"relation {i}: needs a schema out of {sorted(ENDS)} and a source", path=str(path),
                             field=f"relations[{i}]")
        props = {k: str(v) for k, v in r.items() if k not in ("schema", "source", "target")}
        relations.append(GoldRelation(r["schema"], str(r["source"]), r.get("target") and str(r["target"]), props))
    return GoldDoc(path, document, str(data.get("split", "tune")), parties, relations)


def gold_files(folder: Path) -> list[GoldDoc]:
    files = sorted(list(folder.glob("*.yaml")) + list(folder.glob("*.yml")))
    if not files:
        raise InputError("no gold files (*.yaml) here", path=str(folder))
    return [load_gold(f) for f in files]


def _entity_names(entity: FtMEntity) -> set[str]:
    props = entity["properties"]
    return {key(n) for n in props.get("name", []) + props.get("alias", [])}


#: A predicted relation with its ends as gold party indexes (-1: no gold party; None: no second end).
PredRel = tuple[FtMEntity, int, int | None]


def score_document(gold: GoldDoc, backend: str = "rules") -> DocScore:
    """Extract ``gold.document`` and compare with the annotations."""
    src = read_document(gold.document)
    result = extract_text(src.text, doc_id=gold.document.name, dataset="eval", backend=backend,
                          title=src.title, mime=src.mime, path=str(gold.document))
    ds = DocScore(gold.path.stem, gold.split)
    predicted = [e for e in result.entities if e["schema"] in PARTY_SCHEMATA]
    mapping = _score_parties(ds, gold, predicted)
    gold_rels = _gold_relations(gold)
    pred_rels: list[PredRel] = []
    for e in result.entities:
        if e["schema"] not in ENDS:
            continue
        first, second = ENDS[e["schema"]]
        props = e["properties"]
        s = mapping.get((props.get(first) or [""])[0], -1)
        t = mapping.get((props.get(second) or [""])[0], -1) if second else None
        pred_rels.append((e, s, t))
    matched: set[int] = set()
    for gr, s, t in gold_rels:
        hit = _find_relation(gr, s, t, pred_rels, matched)
        counts = ds.relations[gr.schema]
        if hit is None:
            counts.fn += 1
            ds.misses.append(f"relation FN: {gr.schema} {gr.source} -> {gr.target or ''} {gr.props or ''}")
            continue
        matched.add(hit)
        counts.tp += 1
        _score_props(ds, gr, pred_rels[hit][0]["properties"])
    labels = {x["id"]: (x["properties"].get("name") or ["?"])[0] for x in predicted}
    for pi, (e, _, _) in enumerate(pred_rels):
        if pi not in matched:
            ds.relations[e["schema"]].fp += 1
            first, second = ENDS[e["schema"]]
            p = e["properties"]
            ds.misses.append(f"relation FP: {e['schema']} {labels.get((p.get(first) or [''])[0])} -> "
                             f"{labels.get((p.get(second) or [''])[0], '') if second else p.get('authority')}")
    return ds


def _score_parties(ds: DocScore, gold: GoldDoc, predicted: list[FtMEntity]) -> dict[str, int]:
    """Party matching: by name, then the schema decides whether the match counts as correct.
    Returns predicted entity id -> gold party index."""
    mapping: dict[str, int] = {}
    used: set[int] = set()
    for e in predicted:
        names = _entity_names(e)
        for gi, gp in enumerate(gold.parties):
            if gi not in used and names & gp.names:
                mapping[e["id"]] = gi
                used.add(gi)
                break
    for e in predicted:
        hit_index = mapping.get(e["id"])
        if hit_index is not None and e["schema"] in gold.parties[hit_index].schemata:
            ds.parties.tp += 1
        else:
            ds.parties.fp += 1
            ds.misses.append(f"party FP: {e['schema']} {e['properties'].get('name')}"
                             + (f" (gold: {gold.parties[hit_index].schemata})" if hit_index is not None else ""))
    ds.parties.fn = len(gold.parties) - ds.parties.tp
    for gi, gp in enumerate(gold.parties):
        if gi not in used:
            ds.misses.append(f"party FN: {gp.schemata[0]} {gp.label}")
    return mapping


def _gold_relations(gold: GoldDoc) -> list[tuple[GoldRelation, int, int | None]]:
    """Each gold relation with its ends as gold party indexes; an end naming no gold party is an error."""

    def gold_index(name: str) -> int | None:
        k = key(name)
        for gi, gp in enumerate(gold.parties):
            if k in gp.names:
                return gi
        return None

    out = []
    for gr in gold.relations:
        s = gold_index(gr.source)
        t = gold_index(gr.target) if gr.target else None
        if s is None or (gr.target and t is None):
            raise InputError(f"relation {gr.schema} names a party that is not in 'parties': "
                             f"{gr.source} / {gr.target}", path=str(gold.path))
        out.append((gr, s, t))
    return out


def _find_relation(gr: GoldRelation, s: int, t: int | None, pred_rels: list[PredRel],
                   matched: set[int]) -> int | None:
    """The first unmatched predicted relation of the gold one's schema and ends (and authority)."""
    for pi, (e, ps, pt) in enumerate(pred_rels):
        if pi in matched or e["schema"] != gr.schema:
            continue
        same = (ps, pt) == (s, t) or (gr.schema in SYMMETRIC and (ps, pt) == (t, s))
        if not same:
            continue
        if gr.schema == "Sanction" and "authority" in gr.props:
            if key(gr.props["authority"]) not in {key(a) for a in e["properties"].get("authority", [])}:
                continue
        return pi
    return None


def _score_props(ds: DocScore, gr: GoldRelation, props: dict[str, list[str]]) -> None:
    """The key properties of a matched relation: found (tp) or missed (fn)."""
    for name, value in gr.props.items():
        if name not in KEY_PROPS:
            continue
        got = [str(v) for v in props.get(name, [])]
        if name == "currency" and not got:
            got = [d.split(":")[-1].strip() for d in props.get("description", []) if d.startswith("currency:")]
        if name == "authority":
            ok = key(value) in {key(g) for g in got}
        elif name in ("percentage", "amount", "customsAmount"):
            ok = any(_num(g) == _num(value) for g in got)
        else:
            ok = value in got
        if ok:
            ds.props.tp += 1
        else:
            ds.props.fn += 1
            ds.misses.append(f"prop miss: {gr.schema} {gr.source} {name}={value} got {got}")


def _num(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def summarise(scores: list[DocScore]) -> dict[str, SplitSummary]:
    """Micro-averaged figures per split and over all documents."""
    out: dict[str, SplitSummary] = {}
    for split in sorted({s.split for s in scores}) + ["all"]:
        group = [s for s in scores if split in ("all", s.split)]
        parties, relations, props = Counts(), Counts(), Counts()
        per_class: dict[str, Counts] = defaultdict(Counts)
        for s in group:
            parties.add(s.parties)
            props.add(s.props)
            for schema, c in s.relations.items():
                per_class[schema].add(c)
                relations.add(c)
        out[split] = {
            "documents": [s.name for s in group],
            "parties": parties.as_dict(),
            "relations": relations.as_dict(),
            "relation_classes": {k: v.as_dict() for k, v in sorted(per_class.items())},
            "key_properties_recall": round(props.recall, 3),
        }
    return out


def evaluate(gold_dir: Path, backend: str = "rules", split: str | None = None) -> tuple[dict[str, SplitSummary], list[DocScore]]:
    """Score ``backend`` on every gold file in ``gold_dir`` (optionally one split)."""
    docs = [g for g in gold_files(gold_dir) if split in (None, "all", g.split)]
    if not docs:
        raise InputError(f"no gold files with split {split!r}", path=str(gold_dir))
    scores = [score_document(g, backend) for g in docs]
    return summarise(scores), scores
