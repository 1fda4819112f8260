"""Fuzz the FtM JSON lines loader: any input loads or fails cleanly."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from redthread.errors import InputError
from redthread.ingest import ingest
from redthread.store import open_store

names = st.text(min_size=0, max_size=12)
entity = st.fixed_dictionaries(
    {"id": st.one_of(names, st.integers(), st.none()),
     "schema": st.sampled_from(["Person", "Company", "Ownership", "Thing", "Nope", ""]),
     "properties": st.one_of(
         st.dictionaries(st.sampled_from(["name", "birthDate", "country", "percentage", "owner", "bogus"]),
                         st.one_of(st.lists(names, max_size=3), names, st.integers(), st.none()), max_size=4),
         st.lists(names, max_size=2), st.none())},
)
line = st.one_of(entity.map(json.dumps), st.text(max_size=30), st.just("[1, 2]"), st.just("null"))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(line, min_size=1, max_size=6))
def test_any_input_loads_or_fails_cleanly(lines: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{Path(tmp) / 's.db'}")
        good = Path(tmp) / "good.jsonl"
        good.write_text('{"id": "keep", "schema": "Person", "properties": {"name": ["Kept"]}}\n')
        ingest(store, [good], "base")
        before = sorted(s.id for s in store.statements(include_removed=True))
        path = Path(tmp) / "fuzz.jsonl"
        path.write_text("\n".join(lines) + "\n")
        try:
            ingest(store, [path], "fuzz")
        except InputError as err:
            assert re.match(rf"^{re.escape(str(path))}(:\d+)?: \S", str(err)), str(err)
            assert sorted(s.id for s in store.statements(include_removed=True)) == before
        else:
            assert store.entity("keep") is not None
        store.close()
