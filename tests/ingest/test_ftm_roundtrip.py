"""FtM JSON lines in, FtM JSON lines out: nothing lost."""

from __future__ import annotations

import io
import json
from pathlib import Path

from redthread.export import export
from redthread.ingest import ingest, sniff_loader
from redthread.store import Store

OPENSANCTIONS_LINE = {
    "id": "NK-abc123",
    "schema": "Person",
    "caption": "Ivan Petrov",
    "referents": ["ofac-1234", "eu-fsf-99"],
    "datasets": ["us_ofac_sdn", "eu_fsf"],
    "first_seen": "2022-03-01T00:00:00",
    "last_seen": "2024-05-01T00:00:00",
    "target": True,
    "properties": {"name": ["Ivan Petrov", "Иван Петров"], "birthDate": ["1970-02-03"], "topics": ["sanction"]},
}


def test_roundtrip_is_lossless(store: Store, fixtures: Path, tmp_path: Path) -> None:
    src = fixtures / "starter.ftm.jsonl"
    ingest(store, [src], "starter")
    out = io.StringIO()
    count = export(store, "ftm", out)
    original = {e["id"]: e for e in (json.loads(x) for x in src.read_text().splitlines() if x.strip())}
    exported = {e["id"]: e for e in (json.loads(x) for x in out.getvalue().splitlines())}
    assert count == len(original)
    assert exported.keys() == original.keys()
    for eid, ent in original.items():
        assert exported[eid]["schema"] == ent["schema"]
        got = {k: sorted(v) for k, v in exported[eid]["properties"].items()}
        want = {k: sorted(v) for k, v in ent["properties"].items()}
        assert got == want, eid
    # And the export loads back to the same store content.
    again = tmp_path / "again.jsonl"
    again.write_text(out.getvalue())
    ingest(store, [again], "copy")
    assert store.entity("rt-basyuk")["properties"] == exported["rt-basyuk"]["properties"]  # type: ignore[index]


def test_opensanctions_fields_survive(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "os.jsonl"
    path.write_text(json.dumps(OPENSANCTIONS_LINE) + "\n")
    assert sniff_loader(path).name == "ftm"
    ingest(store, [path], "os")
    ent = store.entity("NK-abc123")
    assert ent is not None
    assert ent["referents"] == ["eu-fsf-99", "ofac-1234"]
    assert set(ent["datasets"]) == {"os", "us_ofac_sdn", "eu_fsf"}
    assert ent["first_seen"] == "2022-03-01T00:00:00"
    assert ent["last_seen"] == "2024-05-01T00:00:00"
    assert sorted(ent["properties"]["name"]) == ["Ivan Petrov", "Иван Петров"]


def test_csv_export_has_provenance(store: Store, fixtures: Path) -> None:
    ingest(store, [fixtures / "starter.ftm.jsonl"], "starter")
    out = io.StringIO()
    n = export(store, "csv", out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("entity_id,schema,prop,value,dataset,source,location")
    assert n == len(lines) - 1
    assert any("starter.ftm.jsonl:3" in line and "Konstantin Basyuk" in line for line in lines)
