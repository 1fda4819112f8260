"""The trade endpoints over a store with the invented customs records."""

from pathlib import Path

from fastapi.testclient import TestClient

from redthread.api.app import create_app
from redthread.ingest import ingest
from redthread.keys import KeyRing
from redthread.store import open_store
from redthread.trade.parties import party_id

TUNDRA = party_id("Tundra Trading LLC", "ru")


def test_trade_routes(tmp_path: Path, trade_dir: Path) -> None:
    url = f"sqlite:///{tmp_path / 'api.db'}"
    store = open_store(url)
    ingest(store, [trade_dir / "records.csv"], "customs")
    _, key = KeyRing(store).create("analyst", "tests")  # any role may compute capacity; an analyst key covers every route here
    store.close()
    client = TestClient(create_app(url), headers={"Authorization": f"ApiKey {key}"})
    res = client.get("/trade/flows", params={"by": "supplier,hs4", "top": 2})
    assert res.status_code == 200
    body = res.json()
    assert len(body) == 2 and body[0]["hs4"] == "8507" and body[0]["supplier_name"] == "Brightcell Battery Co"
    assert client.get("/trade/flows", params={"by": "nonsense"}).status_code == 400
    assert client.get("/trade/entrants", params={"since": "2024-01-01"}).json()[0]["party_name"] == (
        "Kestrel Components FZE")
    assert client.get("/trade/chains").json()[0]["hs4"] == "8542"
    assert len(client.get(f"/trade/series/{TUNDRA}").json()) == 18
    assert client.get("/trade/impact").json() == []
    bom = (trade_dir / "bom.yaml").read_text()
    cap = client.post("/trade/capacity", json={"buyer": TUNDRA, "bom": bom})
    assert cap.status_code == 200 and cap.json()["binding"] == "esc"
    assert client.post("/trade/capacity", json={"buyer": TUNDRA, "bom": "components: 3"}).status_code == 422
    svg = client.get("/trade/charts/flows.svg")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    png = client.get("/trade/charts/sankey.png")
    assert png.status_code == 200 and png.content[:4] == b"\x89PNG"
