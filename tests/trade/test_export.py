import io

import orjson
from followthemoney import model

from redthread.export import export
from redthread.store import Store


def test_records_export_as_economic_activities(trade_store: Store) -> None:
    out = io.StringIO()
    count = export(trade_store, "ftm-trade", out)
    lines = [orjson.loads(line) for line in out.getvalue().splitlines()]
    assert count == len(lines) == 106 + 9
    acts = [e for e in lines if e["schema"] == "EconomicActivity"]
    assert len(acts) == 106
    first = acts[0]
    proxy = model.get_proxy(first)  # valid FtM
    assert proxy.first("vedCode") == "850131" and proxy.first("recordId") == "records.csv:2"
    assert proxy.first("customsAmount") == "60000.00 USD" and proxy.first("date") == "2023-01-05"
    ids = {e["id"] for e in lines if e["schema"] == "Company"}
    assert {a["properties"]["sender"][0] for a in acts} <= ids
    again = io.StringIO()
    export(trade_store, "ftm-trade", again)
    assert again.getvalue() == out.getvalue()  # deterministic ids and order
