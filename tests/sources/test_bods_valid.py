"""``export --format bods`` is valid BODS 0.4: Open Ownership's own validator (lib-cove-bods, dev extra)
checks the files we write from the real published sources, against the 0.4 schema it ships.

Nothing is downloaded: the schema is the one inside the installed package. Two of the library's
checks fetch the org-id.guide scheme list over the network (the legacy checks and the entity
identifier scheme check); they are left out here and named below.
"""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

import pytest

from redthread.export import export
from redthread.ingest import ingest
from redthread.store import Store

libcovebods = pytest.importorskip(
    "libcovebods", reason="lib-cove-bods (Open Ownership's BODS validator) is not installed: pip install -e .[dev]")

from libcovebods.config import LibCoveBODSConfig  # noqa: E402
from libcovebods.data_reader import DataReader  # noqa: E402
from libcovebods.jsonschemavalidate import JSONSchemaValidator  # noqa: E402
from libcovebods.run_tasks import TASK_CLASSES, process_additional_checks  # noqa: E402
from libcovebods.schema import SchemaBODS  # noqa: E402

F = "data/formats"
#: Checks that download the org-id.guide list at run time (no network here or in CI).
NEEDS_NETWORK = {"LegacyChecks", "LegacyChecksNeedingHistory", "CheckStatementEntityIdentifiersHaveKnownScheme"}
CHAIN = Path(__file__).parents[1] / "fixtures" / "bods" / "indirect-chain.json"
#: Every real source with owners or controllers, plus a sanctions list whose "Owned or Controlled By"
#: relations become Ownership (an export of any store must be valid, not only of BODS input).
SOURCES = ["bods/bods-0.4-fermcat.json", "bods/bods-0.4-tecido.json", "bods/bods-0.4-levent.json",
           "bods/bods-0.4-full-pep-declaration.json", "bods/bods-0.2-libcove-basic_1.json",
           "bods/bods-0.3-libcove-basic_1.json", "gleif/lei-data.xml", "gleif/rr-data.xml",
           "gleif/repex-data.xml", "uk-psc/psc-snapshot-lines.jsonl", "ofac-xml/ofac-cons_advanced-2020-03-17.xml"]


def validate(path: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(schema errors, additional-check findings) of a BODS file, by lib-cove-bods."""
    reader = DataReader(str(path))
    config = LibCoveBODSConfig()
    schema = SchemaBODS(reader, config)
    assert schema.schema_version == "0.4"
    errors = [e.json() for e in JSONSchemaValidator(schema).validate(reader)]
    tasks = [t for t in TASK_CLASSES if t.__name__ not in NEEDS_NETWORK]
    checks = process_additional_checks(reader, config, schema, tasks).get("additional_checks", [])
    return errors, checks


def _export(store: Store, dataset: str | None, path: Path) -> list[dict[str, Any]]:
    buf = io.StringIO()
    assert export(store, "bods", buf, dataset) > 0
    path.write_text(buf.getvalue())
    return json.loads(buf.getvalue())  # type: ignore[no-any-return]


def test_validator_finds_errors(tmp_path: Path) -> None:
    """The check can fail: a statement without its record type, a share above 100."""
    statements = json.loads(CHAIN.read_text())
    assert validate(CHAIN) == ([], [])
    broken = copy.deepcopy(statements)
    del broken[0]["recordType"]
    broken[-1]["recordDetails"]["interests"][0]["share"] = {"exact": 130}
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken))
    errors, _ = validate(path)
    assert len(errors) >= 2


def test_export_of_every_real_source_is_valid_bods(store: Store, shared: Path, tmp_path: Path) -> None:
    for n, name in enumerate(SOURCES):
        (result,), errs = ingest(store, [shared / F / name], f"d{n}")
        assert errs == [], name
    ingest(store, [CHAIN], "chain")
    statements = _export(store, None, tmp_path / "all.json")
    kinds = {s["recordType"] for s in statements}
    assert kinds == {"person", "entity", "relationship"}
    assert any(s["recordDetails"].get("componentRecords") for s in statements)
    assert any(s["recordDetails"].get("unspecifiedEntityDetails") for s in statements)  # GLEIF exceptions
    errors, checks = validate(tmp_path / "all.json")
    assert errors == []
    assert checks == []


def test_component_chain_round_trips(store: Store, tmp_path: Path) -> None:
    ingest(store, [CHAIN], "a")
    statements = _export(store, "a", tmp_path / "a.json")
    assert validate(tmp_path / "a.json") == ([], [])
    (primary,) = [s for s in statements if s["recordDetails"].get("componentRecords")]
    assert primary["recordDetails"]["interests"][0]["directOrIndirect"] == "indirect"
    components = set(primary["recordDetails"]["componentRecords"])
    assert len(components) == 3
    assert {s["recordId"] for s in statements if s["recordDetails"]["isComponent"]} == components
    ingest(store, [tmp_path / "a.json"], "b")
    again = _export(store, "b", tmp_path / "b.json")
    strip = [(s["recordId"], s["recordType"], s["recordDetails"]) for s in statements]
    assert [(s["recordId"], s["recordType"], s["recordDetails"]) for s in again] == strip


def test_joint_holding_round_trips(store: Store, tmp_path: Path) -> None:
    """The arrangement of a joint holding and its joint holders export as valid BODS and read back
    the same (before, the ``(joint)`` mark turned the level into ``unknown`` and the arrangement got
    the subtype ``arrangement``, which the codelist does not have)."""
    joint = CHAIN.parent / "joint-holding.json"
    assert validate(joint) == ([], [])
    ingest(store, [joint], "a")
    statements = _export(store, "a", tmp_path / "a.json")
    assert validate(tmp_path / "a.json") == ([], [])
    (arr,) = [s for s in statements if s["recordId"] == "bods-arr-heron-joint"]
    assert arr["recordDetails"]["entityType"] == {"type": "arrangement"}
    levels = {s["recordDetails"]["interestedParty"]: s["recordDetails"]["interests"][0]["directOrIndirect"]
              for s in statements if s["recordType"] == "relationship"}
    assert set(levels.values()) == {"direct"} and len(levels) == 4
    ingest(store, [tmp_path / "a.json"], "b")
    roles = sorted(r for o in store.entities(dataset="b", schemata=["Ownership"]) for r in o["properties"]["role"])
    assert roles == ["shareholding (direct)"] * 2 + ["shareholding (direct) (joint)"] * 2


def test_joint_holding_stated_in_details_exports_as_an_arrangement(store: Store, tmp_path: Path) -> None:
    """A joint holding read from the interests' details is written out in BODS's own shape (an
    arrangement holding the stake, its holders' interests in it): valid BODS that reads back the same."""
    joint = CHAIN.parent / "joint-in-details.json"
    assert validate(joint) == ([], [])
    ingest(store, [joint], "a")
    statements = _export(store, "a", tmp_path / "a.json")
    assert validate(tmp_path / "a.json") == ([], [])
    (arr,) = [s for s in statements if s["recordType"] == "entity"
              and s["recordDetails"]["entityType"] == {"type": "arrangement"}]
    held = [s["recordDetails"] for s in statements if s["recordType"] == "relationship"
            and s["recordDetails"]["interestedParty"] == arr["recordId"]]
    assert len(held) == 1 and held[0]["interests"][0]["share"] == {"exact": 55}
    ingest(store, [tmp_path / "a.json"], "b")

    def stakes(dataset: str) -> list[tuple[str, str, tuple[str, ...]]]:
        return sorted((o["properties"]["owner"][0], o["properties"]["asset"][0],
                       tuple(o["properties"].get("percentage", [])))
                      for o in store.entities(dataset=dataset, schemata=["Ownership"]))

    assert stakes("b") == stakes("a") and len(stakes("a")) == 5
