"""`redthread eval --set`: scoring a folder of gold in the published format (gold/*.json + texts/)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest
from typer.testing import CliRunner

from redthread.cli import app
from redthread.errors import InputError
from redthread.extract import extract_path
from redthread.extract.gold_set import evaluate_set, load, norm, score

SET = Path(__file__).parents[1] / "fixtures" / "extract" / "goldset"


def _ent(eid: str, schema: str, **props: list[str]) -> dict:
    return {"id": eid, "schema": schema, "properties": props}


def test_scores_parties_relations_and_authorities() -> None:
    gold = load(SET / "gold" / "notice.json")
    entities = [
        _ent("a", "PublicBody", name=["Department of the Treasury"]),
        _ent("b", "Company", name=["Velmor Shipping LLC"]),
        _ent("c", "Company", name=["Arkady Tsvetkov"]),  # wrong type: a false positive and a miss
        _ent("d", "Company", name=["Dubai"]),  # optional: counts neither way
        _ent("s", "Sanction", entity=["b"], authority=["U.S. Department of the Treasury"]),
        _ent("s2", "Sanction", entity=["b"], authority=["European Union"]),  # wrong authority
        _ent("o", "Ownership", owner=["c"], asset=["b"]),
    ]
    ds = score(gold, entities, "notice")
    assert (ds.parties.tp, ds.parties.fp, ds.parties.fn) == (2, 1, 1)
    assert (ds.relations["sanction"].tp, ds.relations["sanction"].fp) == (1, 1)
    # relations map their ends by name whatever the type: the ownership matches
    assert (ds.relations["ownership"].tp, ds.relations["ownership"].fn) == (1, 0)
    assert norm("Velmor Shipping LLC") == "velmor shipping"
    assert norm("“Al-Noor” Trading Co., Ltd.") == "al noor trading"


def test_bad_gold_names_file_and_field(tmp_path: Path) -> None:
    (tmp_path / "gold").mkdir()
    bad = tmp_path / "gold" / "x.json"
    bad.write_text(json.dumps({"text": "x.txt", "entities": [{"key": "a", "class": "thing", "names": ["A"]}],
                               "relations": []}))
    with pytest.raises(InputError, match=r"x\.json: entities\[0\]"):
        load(bad)
    with pytest.raises(InputError, match="no gold files"):
        evaluate_set(tmp_path / "nothing")
    # names given as one string, not a list: scored letter by letter before, now refused naming the field
    bad.write_text(json.dumps({"text": "x.txt", "entities": [{"key": "a", "class": "org", "names": "Alpha"}],
                               "relations": []}))
    with pytest.raises(InputError, match=r"x\.json: entities\.0\.names"):
        load(bad)


def _shared_scorer(shared: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_extraction", shared / "tools" / "score_extraction.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize("name", ["voa-iraq-irgc-weapons-front", "pd-voa-dprk-procurement-reps"])
def test_same_counts_as_the_published_scorer(shared: Path, name: str) -> None:
    real = shared / "corpus" / "real"
    gold = load(real / "gold" / f"{name}.json")
    entities = extract_path(real / "texts" / gold["text"], dataset="t").entities
    theirs = _shared_scorer(shared).score(gold, entities, False)
    ours = score(gold, entities, name)
    rel = [sum(getattr(c, f) for c in ours.relations.values()) for f in ("tp", "fp", "fn")]
    assert (ours.parties.tp, ours.parties.fp, ours.parties.fn) == (theirs["etp"], theirs["efp"], theirs["efn"])
    assert tuple(rel) == (theirs["rtp"], theirs["rfp"], theirs["rfn"])


def test_cli_scores_a_set() -> None:
    res = CliRunner().invoke(app, ["eval", "--set", str(SET), "--json"])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.output)
    block = summary["all"]
    assert block["documents"] == ["notice"]
    assert block["parties"]["tp"] + block["parties"]["fn"] == 3
    assert block["relations"]["tp"] + block["relations"]["fn"] == 2
