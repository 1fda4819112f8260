"""The analyses' typed records (redthread.model.analysis) hold what the producers return.

Each record is checked strictly against real answers on our fixtures: a field
the record names must be there with its declared type, and the record must
name every field the producer sends (``extra="forbid"`` for the check), so a
producer that renames, drops or adds a key fails here, not in a reader. The
API declares these records as its response shapes (checked below).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter

from redthread.analyze.claims import claims
from redthread.analyze.exposure import exposure
from redthread.analyze.graph import load_graph
from redthread.analyze.ownership import blocked, blocked_bounds, owners_tree
from redthread.analyze.profile import profile
from redthread.analyze.status import entity_status
from redthread.analyze.timeline import timeline
from redthread.analyze.views import neighbourhood
from redthread.api import schemas
from redthread.ingest import ingest
from redthread.model import analysis
from redthread.store import Store


def _check(record: Any, value: Any) -> None:
    """``value`` validates as ``record`` and carries no key the record does not name (at any depth)."""
    TypeAdapter(record).validate_python(value)
    _no_unnamed_keys(TypeAdapter(record).json_schema(), value)


def _no_unnamed_keys(schema: dict[str, Any], value: Any, defs: dict[str, Any] | None = None, at: str = "$") -> None:
    defs = defs if defs is not None else schema.get("$defs", {})
    if "$ref" in schema:
        schema = defs[schema["$ref"].rsplit("/", 1)[-1]]
    if "anyOf" in schema:
        for option in schema["anyOf"]:
            try:
                _no_unnamed_keys(option, value, defs, at)
                return
            except AssertionError:
                continue
        raise AssertionError(f"{at}: matches no option of {schema['anyOf']}")
    if isinstance(value, dict) and "properties" in schema:
        unnamed = set(value) - set(schema["properties"])
        assert not unnamed, f"{at}: keys {sorted(unnamed)} not named by the record"
        for key, item in value.items():
            _no_unnamed_keys(schema["properties"][key], item, defs, f"{at}.{key}")
    elif isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            _no_unnamed_keys(schema["items"], item, defs, f"{at}[{i}]")


@pytest.fixture
def case(store: Store, fixtures: Path) -> Store:
    for name in ("ownership", "exposure", "claims-a", "claims-b", "redflags"):
        ingest(store, [fixtures / "analyze" / f"{name}.ftm.jsonl"], name)
    return store


def test_every_analysis_answer_is_its_record(case: Store) -> None:
    graph = load_graph(case)
    answers: list[tuple[Any, Any]] = [
        (list[analysis.Exposure], exposure(case, authority=None, graph=graph)),
        (list[analysis.Blocked], blocked(case, None, graph=graph)),
        (list[analysis.Blocked], blocked(case, None, "eu", graph=graph)),
        (list[analysis.BlockedBounds], blocked_bounds(case, None, graph=graph)),
        (list[analysis.Claim], claims(case)),
        (list[analysis.Conflict], claims(case, conflicts_only=True)),
        (list[analysis.Event], timeline(case)),
    ]
    for eid in graph.ids:
        answers += [
            (analysis.OwnershipTree, owners_tree(case, eid, graph=graph)),
            (analysis.EntityStatus, entity_status(case, eid)),
            (analysis.Neighbourhood, neighbourhood(graph, eid, depth=2)),
            (analysis.Profile | None, profile(case, eid)),
        ]
    # The fixtures reach every kind of answer (not an empty list checked against nothing).
    assert all(value for record, value in answers if record is not analysis.Profile | None)
    statuses = {a["status"] for r, a in answers if r is analysis.EntityStatus}
    assert {"sanctioned", "blocked", "exposed"} <= statuses
    for record, value in answers:
        _check(record, value)


def test_a_renamed_key_is_caught() -> None:
    """The check itself fails on a producer's drift (so the test above can fail)."""
    good = {"id": "a", "name": "A", "schema": "Company", "hops": 1, "strength": 0.5, "blocked": False}
    _check(analysis.Exposure, good)
    with pytest.raises(AssertionError, match="strenght"):
        _check(analysis.Exposure, {**{k: v for k, v in good.items() if k != "strength"}, "strenght": 0.5,
                                   "strength": 0.5})
    with pytest.raises(ValueError):
        _check(analysis.Exposure, {k: v for k, v in good.items() if k != "hops"})


@pytest.mark.parametrize(("record", "shape"), [
    ("Exposure", "ExposureOut"), ("Blocked", "BlockedOut"), ("OwnershipTree", "OwnershipOut"),
    ("EntityStatus", "StatusOut"), ("Claim", "ClaimOut"), ("Conflict", "ConflictOut"), ("Event", "EventOut"),
    ("Neighbourhood", "GraphOut"), ("PartyTrade", "PartyTradeOut"), ("EffectiveOwner", "UltimateOwner"),
    ("Capacity", "CapacityOut"), ("Impact", "ImpactOut"), ("BuyerImpact", "BuyerImpactOut"),
])
def test_the_api_declares_these_records(record: str, shape: str) -> None:
    """The API's response shape is the analysis record itself, not a restated twin that can drift."""
    assert getattr(schemas, shape) is getattr(analysis, record)


def test_the_profile_shape_differs_only_in_how_it_spells_the_entity() -> None:
    """``ProfileOut`` is the one restated answer shape (its ``entity`` documented field by field, where
    the store's ``Entity`` is a bare object to OpenAPI): it must still name the profile's fields, required
    alike, and its parts are the profile's own records."""
    ours = TypeAdapter(analysis.Profile).json_schema()
    theirs = TypeAdapter(schemas.ProfileOut).json_schema()
    assert set(ours["properties"]) == set(theirs["properties"])
    assert set(ours.get("required", [])) == set(theirs.get("required", []))
    assert theirs["$defs"]["FtMEntity"]["required"] == ["id", "schema", "properties"]
    assert schemas.ProfileLink is analysis.ProfileLink and schemas.PropertyOut is analysis.PropertyValues
