"""Score extraction on a folder of gold in the published format (``gold/*.json`` + ``texts/``).

The shared real corpus (and held-out sets like it) keeps one JSON file per
document under ``gold/``: ``text`` (a file under ``texts/``), ``entities``
(``key``, ``class`` person|org, ``names``), ``relations`` (``class``,
``source``, ``target``; sanctions carry a list of acceptable ``authority``
names instead of a source; ownership may carry ``percentage``), and
optional entities and relations that count neither way. Relation classes
are coarse on purpose: ``employment`` is any of Employment, Directorship and
Membership; ``ownership`` is Ownership or Control; ``associate`` also takes
UnknownLink; ``address`` is two parties sharing an address.

Matching follows that format's rules so ``redthread eval --set`` reports the
same figures as the published scorer: names compared after dropping case,
punctuation, hyphens and legal forms; each gold entity matched once (a second
entity for it is a false positive); a relation matches on its class and both
ends (family, associate and address in either order) and, for a sanction,
an authority whose normalised name occurs in the edge's authority, country
or programme.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import NotRequired

from typing_extensions import TypedDict

from redthread.errors import InputError
from redthread.extract.evaluate import Counts, DocScore
from redthread.model.jsondata import checked
from redthread.model.records import FtMEntity

#: One gold entity: its key, ``class`` (person|org) and the names it goes by.
GoldEntity = TypedDict("GoldEntity", {"key": str, "class": str, "names": list[str]})
#: One gold relation: its class and ends (a sanction: authorities instead of a source; ownership: a percentage).
GoldRelation = TypedDict("GoldRelation", {
    "class": str,
    "source": NotRequired[str | None],
    "target": NotRequired[str | None],
    "authority": NotRequired[list[str]],
    "percentage": NotRequired[float | str],
})


class GoldFile(TypedDict):
    """One gold document of the published format (other keys are read past)."""

    text: str
    entities: list[GoldEntity]
    relations: list[GoldRelation]
    optional_entities: NotRequired[list[str]]
    optional_relations: NotRequired[list[GoldRelation]]


@dataclass
class _Predicted:
    """What one extracted relation brings to matching beside its key."""

    opt: bool
    props: dict[str, list[str]] = field(default_factory=dict)
    authority: str = ""

LEGAL = frozenset({
    "ooo", "llc", "ltd", "limited", "co", "company", "jsc", "pjsc", "ao", "zao", "oao", "fze", "llp", "inc",
    "corp", "corporation", "gmbh", "plc", "the", "ооо", "ао", "пао", "有限公司", "有限责任公司", "股份有限公司",
})
PERSON = frozenset({"Person"})
ORG = frozenset({"Company", "Organization", "PublicBody", "LegalEntity"})
NAME_PROPS = ("name", "alias", "weakAlias", "previousName")
#: FtM edge schema → (gold class, source property, target property).
EDGES: dict[str, tuple[str, str, str]] = {
    "Ownership": ("ownership", "owner", "asset"),
    "Control": ("ownership", "controller", "controlled"),
    "Family": ("family", "person", "relative"),
    "Associate": ("associate", "person", "associate"),
    "UnknownLink": ("associate", "subject", "object"),
    "Employment": ("employment", "employee", "employer"),
    "Directorship": ("employment", "director", "organization"),
    "Membership": ("employment", "member", "organization"),
    "Representation": ("agent", "agent", "client"),
    "EconomicActivity": ("supply", "sender", "receiver"),
    "Payment": ("payment", "payer", "beneficiary"),
}
UNORDERED = frozenset({"family", "associate", "address"})


def norm(name: str) -> str:
    """The comparison form of a name in this gold format."""
    s = unicodedata.normalize("NFKC", name).lower()
    s = re.sub(r"[«»\"“”'’`.,()\[\]]", " ", s).replace("-", " ")
    toks = [t for t in s.split() if t not in LEGAL]
    for suffix in ("有限公司", "有限责任公司"):
        toks = [t[: -len(suffix)] if t.endswith(suffix) and len(t) > len(suffix) else t for t in toks]
    return " ".join(toks)


def _canon(cls: str, a: str | None, b: str | None) -> tuple[str, str | None, str | None]:
    if cls in UNORDERED and a and b:
        a, b = sorted((a, b))
    return (cls, a, b)


def load(path: Path) -> GoldFile:
    """One gold file; errors name the file and the field."""
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read gold file ({exc})", path=str(path)) from None
    if not isinstance(gold, dict):
        raise InputError("a gold file is one JSON object", path=str(path))
    for name in ("text", "entities", "relations"):
        if name not in gold:
            raise InputError("missing", path=str(path), field=name)
    for i, e in enumerate(gold["entities"]):
        if not isinstance(e, dict) or not e.get("key") or e.get("class") not in ("person", "org") or not e.get("names"):
            raise InputError("needs key, class (person|org) and names", path=str(path), field=f"entities[{i}]")
    keys = {e["key"] for e in gold["entities"]}
    for i, r in enumerate(gold["relations"]):
        ends = [r.get("target")] + ([] if r.get("class") == "sanction" else [r.get("source")])
        if not isinstance(r, dict) or not r.get("class") or any(k not in keys for k in ends):
            raise InputError("needs a class and ends that are entity keys", path=str(path), field=f"relations[{i}]")
    return checked(GoldFile, gold, path)


RelKey = tuple[str, str | None, str | None]


class _Keys:
    """Gold keys of extracted entities, by name (what every step of :func:`score` asks)."""

    def __init__(self, gold: GoldFile) -> None:
        self.name_to_key = {norm(n): g["key"] for g in gold["entities"] for n in g["names"]}
        self.optional = {norm(n) for n in gold.get("optional_entities", [])}

    @staticmethod
    def names(e: FtMEntity) -> list[str]:
        props = e.get("properties", {})
        return [v for p in NAME_PROPS for v in props.get(p, [])]

    def key_of(self, e: FtMEntity | None) -> str | None:
        for n in self.names(e) if e else []:
            found = self.name_to_key.get(norm(n))
            if found:
                return str(found)
        return None

    def is_optional(self, e: FtMEntity | None) -> bool:
        return e is not None and any(norm(n) in self.optional for n in self.names(e))


def score(gold: GoldFile, entities: list[FtMEntity], name: str = "") -> DocScore:
    """Compare extracted FtM ``entities`` with one gold document."""
    ds = DocScore(name or str(gold["text"]), "set")
    keys = _Keys(gold)
    _score_parties(ds, gold, entities, keys)
    predicted = _predicted_relations(entities, keys) + _shared_addresses(entities, keys)
    _score_relations(ds, gold, predicted)
    return ds


def _score_parties(ds: DocScore, gold: GoldFile, entities: list[FtMEntity], keys: _Keys) -> None:
    """Each gold entity matched once, by name and by person/organisation."""
    gold_class = {g["key"]: g["class"] for g in gold["entities"]}
    seen: set[str] = set()
    for e in entities:
        schema = e.get("schema")
        if schema not in PERSON | ORG:
            continue
        k = keys.key_of(e)
        if k and k not in seen and (gold_class[k] == "person") == (schema in PERSON):
            seen.add(k)
            ds.parties.tp += 1
        elif k is None and keys.is_optional(e):
            continue
        else:
            ds.parties.fp += 1
            ds.misses.append(f"party FP: {schema} {keys.names(e)[:1]}"
                             + (f" (gold {k}: {gold_class[k]})" if k else ""))
    ds.parties.fn = len(gold["entities"]) - len(seen)
    for g in gold["entities"]:
        if g["key"] not in seen:
            ds.misses.append(f"party FN: {g['class']} {g['names'][0]}")


def _predicted_relations(entities: list[FtMEntity], keys: _Keys) -> list[tuple[RelKey, _Predicted]]:
    """Edges and sanctions as (class, source key, target key), each with what matching reads of it."""
    by_id = {e.get("id"): e for e in entities}
    out: list[tuple[RelKey, _Predicted]] = []
    for e in entities:
        schema, props = e.get("schema"), e.get("properties", {})
        if schema in EDGES:
            cls, sp, tp = EDGES[schema]
            for s in props.get(sp, []):
                for t in props.get(tp, []):
                    se, te = by_id.get(s), by_id.get(t)
                    out.append((_canon(cls, keys.key_of(se), keys.key_of(te)),
                                _Predicted(keys.is_optional(se) or keys.is_optional(te), props=props)))
        elif schema == "Sanction":
            for t in props.get("entity", []):
                te = by_id.get(t)
                auth = " ".join(props.get("authority", []) + props.get("country", []) + props.get("program", []))
                out.append((("sanction", None, keys.key_of(te)),
                            _Predicted(keys.is_optional(te), authority=norm(auth))))
    return out


def _shared_addresses(entities: list[FtMEntity], keys: _Keys) -> list[tuple[RelKey, _Predicted]]:
    """``address`` relations: two gold parties pointing at one address (entity or written the same)."""
    shared: dict[str, list[str]] = {}
    for e in entities:
        if e.get("schema") in PERSON | ORG:
            k = keys.key_of(e)
            props = e.get("properties", {})
            for a in props.get("addressEntity", []) + [norm(x) for x in props.get("address", [])]:
                if k:
                    shared.setdefault(a, []).append(k)
    out: list[tuple[RelKey, _Predicted]] = []
    for ks in shared.values():
        uniq = sorted(set(ks))
        for i, a in enumerate(uniq):
            for b in uniq[i + 1:]:
                out.append((_canon("address", a, b), _Predicted(False)))
    return out


def _pct_ok(g: GoldRelation, o: _Predicted) -> bool:
    if "percentage" not in g:
        return True
    vals = []
    for v in o.props.get("percentage", []):
        try:
            vals.append(float(str(v).strip("% ")))
        except ValueError:
            pass
    return any(abs(v - float(g["percentage"])) <= 0.5 for v in vals)


def _matches(g: GoldRelation, k: RelKey, o: _Predicted) -> bool:
    if g["class"] == "sanction":
        return k[0] == "sanction" and k[2] == g.get("target") and any(
            f" {norm(a)} " in f" {o.authority} " for a in g.get("authority", []) if norm(a))
    return k == _canon(g["class"], g.get("source"), g.get("target")) and _pct_ok(g, o)


def _is_optional_relation(rk: RelKey, opts: list[GoldRelation]) -> bool:
    return any(rk[0] == g["class"] and (g["class"] == "sanction" and rk[2] == g.get("target")
                                        or rk == _canon(g["class"], g.get("source"), g.get("target")))
               for g in opts)


def _score_relations(ds: DocScore, gold: GoldFile, predicted: list[tuple[RelKey, _Predicted]]) -> None:
    """Each gold relation matched once; duplicates, optional relations and optional ends count neither way."""
    golds = gold["relations"]
    opts = gold.get("optional_relations", [])
    matched: set[int] = set()
    for rk, o in predicted:
        cls_counts = ds.relations[rk[0]]
        hit = next((i for i, g in enumerate(golds) if i not in matched and _matches(g, rk, o)), None)
        if hit is not None:
            matched.add(hit)
            cls_counts.tp += 1
            continue
        if any(_matches(g, rk, o) for g in golds) or _is_optional_relation(rk, opts):
            continue  # a duplicate of a matched relation, or an optional one
        if o.opt:
            continue
        cls_counts.fp += 1
        ds.misses.append(f"relation FP: {rk}")
    for i, gr in enumerate(golds):
        if i not in matched:
            ds.relations[gr["class"]].fn += 1
            ds.misses.append(f"relation FN: {gr['class']} {gr.get('source')} -> {gr.get('target')}")


def evaluate_set(folder: Path, backend: str = "rules") -> list[DocScore]:
    """Extract every text of a ``gold/`` + ``texts/`` folder and score it."""
    from redthread.extract import extract_path

    files = sorted((folder / "gold").glob("*.json"))
    if not files:
        raise InputError("no gold files (gold/*.json) here", path=str(folder))
    scores = []
    for path in files:
        gold = load(path)
        text = folder / "texts" / str(gold["text"])
        if not text.is_file():
            raise InputError(f"the text it scores is missing: {text}", path=str(path), field="text")
        result = extract_path(text, dataset="eval")
        scores.append(score(gold, result.entities, path.stem))
    return scores


def is_gold_set(folder: Path) -> bool:
    """Whether ``folder`` is in this format (rather than our YAML gold)."""
    return (folder / "gold").is_dir() and any((folder / "gold").glob("*.json"))


__all__ = ["Counts", "evaluate_set", "is_gold_set", "load", "norm", "score"]
