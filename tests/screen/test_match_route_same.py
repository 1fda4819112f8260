"""The /match route answers exactly what the library's match() answers (#21, route speed).

The route takes its store inside (no generator dependency, one thread hop)
and writes its body with orjson; neither may change a result. Queries and
candidates are the shared peer pairs' own names (a sample of them).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from redthread.api.app import create_app
from redthread.ingest import ingest
from redthread.screen import match
from redthread.store import open_store

SAMPLE = 40


def _pairs(shared: Path) -> list[dict[str, object]]:
    path = shared / "data" / "matching" / "pairs-dev.jsonl"
    if not path.exists():
        pytest.skip(f"no {path}")
    lines = path.read_text(encoding="utf-8").splitlines()
    step = max(len(lines) // SAMPLE, 1)
    return [json.loads(line) for line in lines[::step]][:SAMPLE]


def test_route_answers_what_match_answers(tmp_path: Path, shared: Path) -> None:
    pairs = _pairs(shared)
    src = tmp_path / "cands.ftm.jsonl"
    with src.open("w", encoding="utf-8") as fh:
        for p in pairs:
            cand = {"id": f"c-{p['pair']}", "schema": p["schema"], "properties": p["candidate"]["properties"]}  # type: ignore[index]
            fh.write(json.dumps(cand) + "\n")
    url = f"sqlite:///{tmp_path / 's.db'}"
    st = open_store(url)
    ingest(st, [src], "pairs")
    client = TestClient(create_app(url))
    compared = 0
    for p in pairs:
        query = {"schema": p["schema"], "properties": p["query"]["properties"]}  # type: ignore[index]
        params = {"limit": 3, "threshold": 0.7}
        res = client.post("/match/default", params=params, json={"queries": {"q": query}})
        assert res.status_code == 200, res.text
        assert res.headers["content-type"] == "application/json"
        want = match(st, {"q": query}, limit=3, threshold=0.7)
        # Through JSON on both sides: the wire carries what the library made, value for value.
        assert res.json() == json.loads(json.dumps(want))
        compared += len(want["responses"]["q"]["results"])
    st.close()
    assert compared >= SAMPLE // 2  # most queries meet their own candidate: the comparison is not of empty lists


def test_match_route_has_one_thread_hop() -> None:
    """No synchronous dependency on /match: FastAPI runs each on its thread pool (a generator one twice),
    so the route's own run is the only hop a one-query request pays."""
    import inspect

    from redthread.api.routes.match import router

    route = next(r for r in router.routes if getattr(r, "path", "") == "/match/{dataset}")
    stack = list(route.dependant.dependencies)  # type: ignore[attr-defined]
    sync: list[str] = []
    while stack:
        dep = stack.pop()
        stack.extend(dep.dependencies)
        if (inspect.isfunction(dep.call) or inspect.isgeneratorfunction(dep.call)) \
                and not inspect.iscoroutinefunction(dep.call):
            sync.append(dep.call.__name__)
    assert sync == []
