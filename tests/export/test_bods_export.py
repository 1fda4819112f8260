"""BODS 0.4 export: valid-shaped statements that read back to the same parties and stakes."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from redthread.export import export
from redthread.ingest import ingest
from redthread.store import Store

EXAMPLES = ["bods-0.4-tecido.json", "bods-0.4-fermcat.json", "bods-0.4-levent.json",
            "bods-0.4-full-pep-declaration.json", "bods-0.2-libcove-basic_1.json"]


def _links(store: Store, dataset: str) -> set[tuple]:
    out = set()
    for e in store.entities(dataset=dataset, schemata=["Ownership", "Directorship", "UnknownLink"]):
        p = e["properties"]
        ends = tuple(p.get(k, [""])[0] for k in ("owner", "asset", "director", "organization", "subject", "object"))
        out.add((e["schema"], ends, tuple(p.get("percentage", [])), tuple(p.get("startDate", [])),
                 tuple(p.get("endDate", [])), tuple(r.split(" ")[0] for r in p.get("role", []))))
    return out


def _parties(store: Store, dataset: str) -> set[tuple]:
    return {(e["id"], e["schema"], e["caption"], tuple(e["properties"].get("birthDate", [])))
            for e in store.entities(dataset=dataset, schemata=["Person", "Company", "LegalEntity", "Organization"])}


@pytest.mark.parametrize("name", EXAMPLES)
def test_bods_round_trip(store: Store, shared: Path, tmp_path: Path, name: str) -> None:
    ingest(store, [shared / "data/formats/bods" / name], "a")
    buf = io.StringIO()
    count = export(store, "bods", buf, "a")
    statements = json.loads(buf.getvalue())
    assert count == len(statements) > 0
    for st in statements:
        assert 32 <= len(st["statementId"]) <= 64
        assert st["publicationDetails"]["bodsVersion"] == "0.4"
        assert st["recordType"] in ("person", "entity", "relationship") and st["recordId"]
        assert st["declarationSubject"]
    rel_ids = {s["recordId"] for s in statements if s["recordType"] != "relationship"}
    for st in statements:
        if st["recordType"] == "relationship":
            assert {st["recordDetails"]["subject"], st["recordDetails"]["interestedParty"]} <= rel_ids
    out = tmp_path / "export.json"
    out.write_text(buf.getvalue())
    ingest(store, [out], "b")
    assert _parties(store, "b") == _parties(store, "a")
    assert _links(store, "b") == _links(store, "a")


def test_bods_export_share_range(store: Store, shared: Path) -> None:
    ingest(store, [shared / "data/formats/bods/bods-0.4-full-pep-declaration.json"], "p")
    buf = io.StringIO()
    export(store, "bods", buf, "p")
    shares = [i.get("share") for s in json.loads(buf.getvalue()) if s["recordType"] == "relationship"
              for i in s["recordDetails"]["interests"]]
    assert shares and all(sh == {"minimum": 25.0, "maximum": 50.0} for sh in shares)


def test_bods_export_nationalities_have_names(store: Store, shared: Path) -> None:
    """BODS 0.4 requires a name with each nationality code (Open Ownership's schema)."""
    ingest(store, [shared / "data/formats/bods/bods-0.4-fermcat.json"], "f")
    buf = io.StringIO()
    export(store, "bods", buf, "f")
    nats = [n for s in json.loads(buf.getvalue()) if s["recordType"] == "person"
            for n in s["recordDetails"].get("nationalities", [])]
    assert nats and all(n["name"] and n["code"] for n in nats)
