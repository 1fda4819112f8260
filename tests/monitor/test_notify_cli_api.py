"""Notifications on loopback, the CLI and the HTTP API."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import orjson
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from redthread.api.app import create_app
from redthread.cli import app as cli_app
from redthread.monitor import notify, rescreen, watchlist
from tests.monitor.conftest import Case


class _Receiver(BaseHTTPRequestHandler):
    failures_left = 0
    received: list[dict[str, object]] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if type(self).failures_left > 0:
            type(self).failures_left -= 1
            self.send_response(503)
        else:
            type(self).received.append(json.loads(body))
            self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[str, type[_Receiver]]]:
    handler = type("Receiver", (_Receiver,), {"failures_left": 0, "received": []})
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", handler
    server.shutdown()


def test_webhook_retries_then_delivers(case: Case, receiver: tuple[str, type[_Receiver]],
                                       monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    url, handler = receiver
    handler.failures_left = 2
    monkeypatch.setenv("REDTHREAD_MONITOR_RETRY_PAUSE", "0.01")
    monkeypatch.setenv("REDTHREAD_MONITOR_DEAD_LETTER", str(tmp_path / "dead.jsonl"))
    case.load(case.v1)
    watchlist.add(case.db, "book", case.watchlist, actor="alice", webhook=url)
    run = rescreen.run(case.db, "book", actor="alice")
    assert len(handler.received) == len(run.alerts) == 3  # the first one after two refusals
    assert {a["row_id"] for a in handler.received} == {"c1", "c2", "c3"}
    assert not (tmp_path / "dead.jsonl").exists()


def test_undeliverable_alerts_go_to_the_dead_letter_file(receiver: tuple[str, type[_Receiver]],
                                                          monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    url, handler = receiver
    handler.failures_left = 100
    monkeypatch.setenv("REDTHREAD_MONITOR_RETRY_PAUSE", "0.01")
    monkeypatch.setenv("REDTHREAD_MONITOR_DEAD_LETTER", str(tmp_path / "dead.jsonl"))
    assert notify.deliver(url, "webhook", {"id": 7, "kind": "new_match"}) is False
    assert handler.failures_left == 100 - notify.ATTEMPTS
    (line,) = (tmp_path / "dead.jsonl").read_text().splitlines()
    entry = orjson.loads(line)
    assert entry["alert"] == {"id": 7, "kind": "new_match"} and "503" in entry["error"]
    assert entry["attempts"] == notify.ATTEMPTS


def test_command_receives_each_alert_on_stdin(tmp_path: Path) -> None:
    out = tmp_path / "got.jsonl"
    script = tmp_path / "sink.py"
    script.write_text(f"import sys\nopen({str(out)!r}, 'ab').write(sys.stdin.buffer.read() + b'\\n')\n")
    counts = notify.send_all(type("W", (), {"webhook": None, "command": f"{sys.executable} {script}"})(),
                             [{"id": 1}, {"id": 2}])
    assert counts == {"delivered": 2, "dead_letter": 0}
    assert [orjson.loads(x)["id"] for x in out.read_text().splitlines()] == [1, 2]


def test_cli_watchlist_alerts_triage_audit(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDTHREAD_STORE", case.url)
    runner = CliRunner()
    res = runner.invoke(cli_app, ["ingest", str(case.v1), "-d", "lists", "-f", "ftm", "--source", "list.json"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(cli_app, ["watchlist", "add", "book", "--file", str(case.watchlist), "--user", "alice"])
    assert res.exit_code == 0, res.output
    assert "5 added" in res.output
    res = runner.invoke(cli_app, ["watchlist", "list", "--json"])
    assert [w["name"] for w in orjson.loads(res.stdout)] == ["book"]
    res = runner.invoke(cli_app, ["ingest", str(case.v2), "-d", "lists", "-f", "ftm", "--source", "list.json"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(cli_app, ["alerts", "--watchlist", "book", "--status", "open", "--json"])
    items = [orjson.loads(x) for x in res.stdout.splitlines()]
    assert {(a["kind"], a["counterparty"]["id"]) for a in items} >= {("new_match", "c4"), ("match_gone", "c2")}
    assert all(a["counterparty"]["name"] and a["entity"]["id"] and a["evidence"] for a in items)
    target = next(a for a in items if a["kind"] == "new_match")
    res = runner.invoke(cli_app, ["triage", str(target["id"]), "false_positive", "--note", "other firm",
                                  "--user", "bob"])
    assert res.exit_code == 0 and "false_positive" in res.output
    res = runner.invoke(cli_app, ["alerts", "--status", "open", "--json"])
    assert target["id"] not in [orjson.loads(x)["id"] for x in res.stdout.splitlines()]
    res = runner.invoke(cli_app, ["audit", "export", "-o", str(tmp_path / "trail.jsonl")])
    assert res.exit_code == 0, res.output
    trail = [orjson.loads(x) for x in (tmp_path / "trail.jsonl").read_text().splitlines()]
    assert trail[-1]["action"] == "decide" and trail[-1]["actor"] == "bob"
    assert trail[-1]["detail"]["note"] == "other firm"
    assert runner.invoke(cli_app, ["audit", "verify"]).exit_code == 0
    res = runner.invoke(cli_app, ["watchlist", "show", "book", "--json"])
    shown = orjson.loads(res.stdout)
    assert {r["id"] for r in shown["rows"] if r["matches"]} == {"c1", "c3", "c4"}


def test_refresh_loads_configured_lists_then_rescreens(case: Case, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDTHREAD_STORE", case.url)
    case.load(case.v1)
    watchlist.add(case.db, "book", case.watchlist, actor="alice")
    rescreen.run(case.db, "book", actor="alice", notify=False)
    live = tmp_path / "live.ftm.json"
    live.write_bytes(case.v2.read_bytes())
    config = tmp_path / "refresh.yaml"
    config.write_text(f"lists:\n  - path: {live.name}\n    dataset: lists\n    format: ftm\n    source: list.json\n")
    res = CliRunner().invoke(cli_app, ["refresh", "--config", str(config)])
    assert res.exit_code == 0, res.output
    kinds = {(a["row_id"], a["kind"]) for a in __import__("redthread.monitor.alerts", fromlist=["x"]).list_alerts(
        case.db, watchlist="book") if a["run_id"] == 2}
    assert ("c4", "new_match") in kinds and ("c2", "match_gone") in kinds
    res = CliRunner().invoke(cli_app, ["refresh", "--config", str(config)])  # unchanged file: no new run alerts
    assert "unchanged" in res.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("lists: []\n")
    res = CliRunner().invoke(cli_app, ["refresh", "--config", str(bad)])
    assert res.exit_code != 0


def test_api_watchlist_alerts_decision_audit(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDTHREAD_LOOPBACK_WRITES", "1")  # keyless loopback writes, by the operator's consent
    case.load(case.v1)
    client = TestClient(create_app(case.url))
    res = client.post("/watchlists/book", files={"file": ("wl.csv", case.watchlist.read_bytes(), "text/csv")},
                      data={"four_eyes": "true", "user": "alice"})
    assert res.status_code == 201, res.text
    assert res.json()["rows"]["added"] == 5 and res.json()["run"]["alerts"] == 3
    with case.v2.open("rb") as fh:
        res = client.post("/ingest", files={"file": ("v2.ftm.json", fh)}, data={"dataset": "lists", "format": "ftm"})
    assert res.status_code == 200, res.text
    alerts_now = client.get("/alerts", params={"watchlist": "book", "kind": "new_match"}).json()["alerts"]
    assert "c4" in {a["counterparty"]["id"] for a in alerts_now}  # the upload re-screened
    aid = alerts_now[0]["id"]
    res = client.post(f"/alerts/{aid}/decision", json={"decision": "true_match", "user": "alice"})
    assert res.json()["status"] == "pending"
    res = client.post(f"/alerts/{aid}/decision", json={"decision": "true_match", "user": "alice", "confirm": True})
    assert res.status_code == 400
    res = client.post(f"/alerts/{aid}/decision", json={"decision": "true_match", "user": "bob", "confirm": True})
    assert res.json()["status"] == "true_match"
    assert client.get("/alerts/999999").status_code == 404
    assert client.get("/alerts", params={"status": "nonsense"}).status_code == 400
    trail = client.get("/audit", params={"format": "csv"})
    assert trail.status_code == 200 and trail.text.splitlines()[0].startswith("id,at,actor")
    assert client.get("/watchlists/book").json()["rows"] == 5
    page = client.get("/alerts.html")
    assert page.status_code == 200 and 'src="alerts.js"' in page.text
    assert "/alerts/${alert.id}/decision" in client.get("/alerts.js").text
    assert client.delete("/watchlists/book").status_code == 200
    assert client.get("/watchlists/book").status_code == 404
