"""Bulk statements (customs parties) are exactly what entity_statements gives one entity at a time."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from redthread.errors import InputError
from redthread.model import bulk_statements, entity_statements

SEEN = "2026-11-22T10:00:00"
names = st.text(alphabet=st.sampled_from(list("Acme Ltd.,  ООО Ромашка\t\u00e9\u0301-&'")), min_size=1, max_size=20)
countries = st.sampled_from([None, "cn", "CN", "ru", "Russia", " hk "])
entity = st.tuples(st.sampled_from(["tp-1", "tp-2", "tp-3"]), names, countries, st.integers(1, 50))


def _one_at_a_time(schema: str, entities: list[tuple[str, dict[str, list[str]], str]]) -> list:
    return [s for eid, props, loc in entities
            for s in entity_statements({"id": eid, "schema": schema, "properties": props}, "ds", source="src",
                                       location=loc, origin="o", seen=SEEN)]


@settings(max_examples=150, deadline=None)
@given(st.lists(entity, min_size=1, max_size=8))
def test_bulk_statements_equal_one_at_a_time(rows: list[tuple[str, str, str | None, int]]) -> None:
    entities = []
    for eid, name, country, row in rows:
        props = {"name": [name]} | ({"country": [country]} if country else {})
        entities.append((eid, props, f"r.csv:{row}"))
    try:
        want = _one_at_a_time("LegalEntity", entities)
    except InputError as exc:  # a value FtM refuses is refused the same way
        with pytest.raises(InputError) as got:
            bulk_statements("LegalEntity", entities, "ds", source="src", origin="o", seen=SEEN)
        assert got.value.field == exc.field
        return
    got_stmts = bulk_statements("LegalEntity", entities, "ds", source="src", origin="o", seen=SEEN)
    assert got_stmts == want  # every field, ids included
    assert [s.id for s in got_stmts] == [s.key() for s in got_stmts]


def test_bulk_statements_refuse_unknown_schema_and_property() -> None:
    with pytest.raises(InputError, match="unknown FtM schema"):
        bulk_statements("Nope", [("x", {}, "")], "ds")
    with pytest.raises(InputError) as err:
        bulk_statements("Company", [("x", {"colour": ["red"]}, "")], "ds")
    assert err.value.field == "properties.colour"
