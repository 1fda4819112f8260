"""The LLM backend against a local fake OpenAI-compatible server replaying a recorded response."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest

from redthread.errors import ConfigError, InputError, RedthreadError
from redthread.extract import extract_text

FIXTURES = Path(__file__).parents[1] / "fixtures" / "extract"
SAMPLE = (FIXTURES / "sample.txt").read_text(encoding="utf-8")


class FakeServer:
    """Serves /v1/chat/completions from a recorded response file; remembers the requests."""

    def __init__(self, response: Path | None, status: int = 200) -> None:
        self.requests: list[dict[str, Any]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server API
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                owner.requests.append({"path": self.path, "body": body, "auth": self.headers.get("Authorization")})
                payload = response.read_bytes() if response else b'{"error": "boom"}'
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeServer]:
    srv = FakeServer(FIXTURES / "llm_response_sample.json")
    monkeypatch.setenv("REDTHREAD_LLM_URL", srv.url)
    monkeypatch.setenv("REDTHREAD_LLM_MODEL", "fixture-model")
    monkeypatch.setenv("REDTHREAD_LLM_KEY", "secret-token")
    yield srv
    srv.close()


def test_llm_backend_builds_entities_with_spans(server: FakeServer) -> None:
    result = extract_text(SAMPLE, doc_id="sample.txt", dataset="t", backend="llm")
    (req,) = server.requests
    assert req["path"] == "/v1/chat/completions"
    assert req["auth"] == "Bearer secret-token"
    body = req["body"]
    assert body["model"] == "fixture-model"
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["schema"]["required"] == ["parties", "relations"]
    assert body["messages"][-1]["content"] == SAMPLE

    by_name = {e["properties"]["name"][0]: e for e in result.entities if "name" in e["properties"]}
    assert by_name["Ruslan Gareev"]["schema"] == "Person"
    assert "Руслан Гареев" in by_name["Ruslan Gareev"]["properties"]["alias"]
    (flow,) = [e for e in result.entities if e["schema"] == "EconomicActivity"]
    assert flow["properties"]["customsAmount"] == ["304000000"]
    assert flow["properties"]["description"] == ["currency: USD"]
    (own,) = [e for e in result.entities if e["schema"] == "Ownership"]
    assert own["properties"]["percentage"] == ["60"]
    (addr,) = [e for e in result.entities if e["schema"] == "Address"]
    assert addr["id"] in by_name["Kama Trade LLP"]["properties"]["addressEntity"]

    for s in result.statements:
        assert s.origin.startswith("redthread.extract.llm/")
    located = [s for s in result.statements if s.entity_id == own["id"]]
    assert all(SAMPLE[s.span_start : s.span_end] == s.quote for s in located)
    # a quote the model invented is kept, but without a span and with low confidence
    (made_up,) = [e for e in result.entities if e["schema"] == "Directorship"]
    weak = [s for s in result.statements if s.entity_id == made_up["id"]]
    assert all(s.confidence < 0.5 and s.span_end == 0 for s in weak)


def test_llm_backend_needs_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REDTHREAD_LLM_URL", raising=False)
    with pytest.raises(ConfigError, match="REDTHREAD_LLM_URL"):
        extract_text("Foo Ltd.", doc_id="x", dataset="t", backend="llm")


def test_llm_backend_reports_server_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    srv = FakeServer(None, status=500)
    try:
        monkeypatch.setenv("REDTHREAD_LLM_URL", srv.url)
        monkeypatch.setenv("REDTHREAD_LLM_MODEL", "m")
        with pytest.raises(RedthreadError, match="answered 500"):
            extract_text("Foo Ltd.", doc_id="x", dataset="t", backend="llm")
    finally:
        srv.close()


def test_unknown_backend_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="known: llm, rules"):
        extract_text("x", doc_id="x", dataset="t", backend="nope")
