"""Mutation fuzzing of the new formats, seeded with the real files: load, or fail cleanly naming the file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from redthread.errors import RedthreadError
from redthread.ingest import ingest
from redthread.store import open_store
from tests.reliability.test_parsers_fuzz import Mutation, mutations

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "formats"
SEEDS = {
    "bods": "bods/bods-0.4-tecido.json",
    "uk-psc": "uk-psc/psc-snapshot-lines.jsonl",
    "ftm-delta": "ftm/yente-t2-20240527194702.entities.delta.json",
    "uk-ofsi": "uk-ofsi-csv/ofsi-conlist-2018-04-13.csv",
}


@pytest.mark.parametrize("fmt", sorted(SEEDS))
def test_corrupted_real_files_fail_cleanly(fmt: str) -> None:
    seed = SHARED / SEEDS[fmt]
    if not seed.exists():
        pytest.skip("../shared is not here")
    data = seed.read_bytes()[:60000] if fmt == "uk-ofsi" else seed.read_bytes()

    @settings(max_examples=int(os.environ.get("REDTHREAD_FUZZ_EXAMPLES", "15")), deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(mutate=mutations())
    def run(mutate: Mutation) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            victim = work / seed.name
            victim.write_bytes(mutate(data))
            store = open_store(f"sqlite:///{work / 'fuzz.db'}")
            try:
                try:
                    ingest(store, [victim], "fuzz", fmt)
                except RedthreadError as err:
                    assert seed.name in str(err), str(err)
                    assert list(store.statements(include_removed=True)) == []
            finally:
                store.close()

    run()
