"""nomenklatura's own yente client (``YenteEnricher``) matches and expands against ``redthread serve``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from redthread.ingest import ingest
from redthread.store import open_store
from tests.serving import serving


@pytest.fixture
def served(tmp_path: Path, fixtures: Path) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'enrich.db'}"
    st = open_store(url)
    ingest(st, [fixtures / "lists" / "screening.ftm.jsonl"], "lists")
    st.close()
    with serving(url, tmp_path / "home", ready="/healthz") as base:
        yield base + "/"


def _enricher(base: str, tmp_path: Path) -> tuple[Any, Any]:
    from followthemoney.dataset import Dataset
    from nomenklatura.cache import Cache
    from nomenklatura.db import make_session
    from nomenklatura.enrich import make_enricher

    ds = Dataset.make({"name": "enrich_test", "title": "Enrichment test"})
    cache = Cache(make_session(f"sqlite:///{tmp_path / 'nk-cache.db'}"), ds, create=True)
    config = {"type": "nomenklatura.enrich.yente:YenteEnricher", "api": base, "dataset": "default",
              "cache_days": 0}
    return ds, make_enricher(ds, cache, config)


def test_yente_enricher_match_and_expand(served: str, tmp_path: Path) -> None:
    from followthemoney import StatementEntity

    ds, enricher = _enricher(served, tmp_path)
    query = StatementEntity.from_data(ds, {"id": "q-beihai", "schema": "Company",
                                           "properties": {"name": ["Xiamen Beihai Electronics Co., Ltd."]}})
    found = list(enricher.match(query))
    assert found and found[0].id == "sl-beihai"
    assert found[0].get("sourceUrl") == [f"{served}entities/sl-beihai"]
    expanded = {e.id: e for e in enricher.expand(query, found[0])}
    # The company itself, and the sanction pointing at it (nested under its reverse property).
    assert "sl-beihai" in expanded and "sanction" in expanded["sl-beihai"].get("topics")
    assert "sl-beihai-sanction" in expanded
    assert expanded["sl-beihai-sanction"].schema.name == "Sanction"
    assert expanded["sl-beihai-sanction"].get("authority") == ["Test Authority"]


def test_entity_route_answers_yente_shape_only_when_asked(served: str) -> None:
    yente = httpx.get(f"{served}entities/sl-beihai", params={"nested": "false"}).json()
    assert yente["schema"] == "Company" and yente["properties"]["name"] and "sanctions" not in yente["properties"]
    nested = httpx.get(f"{served}entities/sl-beihai", params={"nested": "true"}).json()
    assert [s["id"] for s in nested["properties"]["sanctions"]] == ["sl-beihai-sanction"]
    profile = httpx.get(f"{served}entities/sl-beihai").json()
    assert "links" in profile and "entity" in profile  # our UI's profile shape is unchanged
    assert httpx.get(f"{served}entities/nope", params={"nested": "true"}).status_code == 404
