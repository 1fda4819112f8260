"""The trade commands: ingest --mapping, flows, capacity, impact."""

from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from redthread.cli import app as cli_app
from redthread.store import Judgement, open_store
from redthread.trade.parties import party_id


def test_trade_commands(tmp_path: Path, trade_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    monkeypatch.setenv("REDTHREAD_STORE", url)
    monkeypatch.setenv("COLUMNS", "200")
    runner = CliRunner()
    csv = tmp_path / "shipments.csv"
    csv.write_text((trade_dir / "records.csv").read_text())
    res = runner.invoke(cli_app, ["ingest", str(csv), "-d", "customs", "--mapping",
                                  str(trade_dir / "records.mapping.yaml")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "c.trade" / "records" / "customs").is_dir()  # the trade table follows the store
    res = runner.invoke(cli_app, ["flows", "--by", "supplier,hs4", "--top", "3", "--json"])
    rows = orjson.loads(res.output)
    assert [r["hs4"] for r in rows] == ["8507", "8501", "8542"]
    res = runner.invoke(cli_app, ["flows", "--chains", "--chart", str(tmp_path / "s.svg")])
    assert res.exit_code == 0 and (tmp_path / "s.svg").exists() and "8542" in res.output
    res = runner.invoke(cli_app, ["flows", "--entrants", "--from", "2024-01-01"])
    assert "Kestrel" in res.output
    res = runner.invoke(cli_app, ["capacity", "Tundra Trading LLC", "--bom", str(trade_dir / "bom.yaml")])
    assert res.exit_code == 0, res.output
    assert "binding component: esc" in res.output
    res = runner.invoke(cli_app, ["impact"])
    assert "no trade flow reaches a sanctioned party" in res.output
    assert runner.invoke(cli_app, ["ingest", str(trade_dir / "sanctions.ftm.jsonl"), "-d", "list"]).exit_code == 0
    st = open_store(url)
    tundra = party_id("Tundra Trading LLC", "ru")
    assert tundra is not None
    st.add_judgement(Judgement(tundra, "list-tundra", "positive", "test", "2024-07-01T00:00:00"))
    st.close()
    res = runner.invoke(cli_app, ["impact", "--json", "--top", "1"])
    assert orjson.loads(res.output)[0]["name"] == "Northwind Electronics Limited"
