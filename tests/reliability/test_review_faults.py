"""Faults an outside review found (issue #16): each test failed on the code before its fix.

See docs/reliability.md, "Review findings", for the case behind each test.
"""

from __future__ import annotations

import ast
import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from redthread.analyze.graph import load_graph
from redthread.api.app import create_app
from redthread.errors import StoreError
from redthread.ingest import ingest
from redthread.ingest.base import IngestContext, file_hash, get_loader
from redthread.keys import KeyRing
from redthread.model import Statement
from redthread.store import Document, LoadBatch, open_store
from redthread.trade import table

PACKAGE = Path(__file__).resolve().parents[2] / "redthread"


# -- 1. one SQLite library per file ----------------------------------------------------------------
def test_fast_graph_load_keeps_the_servers_wal(tmp_path: Path, fixtures: Path) -> None:
    """The columnar graph read must not delete the WAL under the store's live connection."""
    db = tmp_path / "live.db"
    url = f"sqlite:///{db}"
    server = open_store(url)  # a long-lived connection, as the API keeps one per thread
    ingest(server, [fixtures / "starter.ftm.jsonl"], "starter")
    assert Path(f"{db}-wal").exists()
    graph = load_graph(server, evidence=False)
    assert graph.n_nodes > 0
    assert Path(f"{db}-wal").exists(), "a second SQLite library closed the file and removed the WAL"
    other = open_store(url)
    ingest(other, [fixtures / "starter.ftm.jsonl"], "again")
    other.close()
    assert {d.name for d in server.datasets()} >= {"starter", "again"}
    server.close()


def test_nothing_outside_the_store_opens_its_database() -> None:
    """No module outside ``store/`` imports a SQLite library or reaches for a store's connection."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.startswith("store/"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n == "sqlite3" or n.startswith("adbc_driver") for n in names):
                offenders.append(f"{rel}:{node.lineno} imports {names}")
            if (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "getattr" and len(node.args) >= 2
                    and isinstance(node.args[1], ast.Constant) and node.args[1].value == "conn"):
                offenders.append(f"{rel}:{node.lineno} getattr(store, 'conn')")
    assert not offenders, offenders


@pytest.mark.parametrize("evidence", [True, False])
def test_bulk_read_gives_the_same_rows_as_statements(tmp_path: Path, fixtures: Path, evidence: bool) -> None:
    st = open_store(f"sqlite:///{tmp_path / 'rows.db'}")
    ingest(st, [fixtures / "starter.ftm.jsonl"], "starter")
    cols = ("entity_id", "schema", "prop", "value", "confidence") if evidence else ("entity_id", "prop")
    props = {"name", "country"}
    fast = sorted(st.rows(cols, props, skip_schemata={"Ownership"}))
    slow = sorted(tuple(getattr(s, c) for c in cols) for s in st.statements()
                  if s.prop in props and s.schema != "Ownership")
    assert fast == slow and fast
    assert st.table(cols, props, skip_schemata={"Ownership"}).num_rows == len(fast)
    with pytest.raises(ValueError, match="unknown statement column"):
        list(st.rows(("value; DROP TABLE statements",), props))
    st.close()


# -- 4. the key before the body; bodies capped per route --------------------------------------------
def _asgi(app: Any, method: str, path: str, headers: dict[str, str], chunks: list[bytes]) -> tuple[int, int]:
    """Run one request through the ASGI app; returns (status, how many body chunks the app pulled)."""
    pulled = 0
    status = 0

    async def receive() -> dict[str, Any]:
        nonlocal pulled
        if pulled < len(chunks):
            pulled += 1
            return {"type": "http.request", "body": chunks[pulled - 1], "more_body": pulled < len(chunks)}
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = status or message["status"]

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
             "client": ("127.0.0.1", 5000), "server": ("127.0.0.1", 8000)}
    asyncio.run(app(scope, receive, send))
    return status, pulled


@pytest.fixture
def keyed_url(tmp_path: Path, fixtures: Path) -> tuple[str, str]:
    url = f"sqlite:///{tmp_path / 'gate.db'}"
    st = open_store(url)
    ingest(st, [fixtures / "starter.ftm.jsonl"], "starter")
    _, key = KeyRing(st).create("analyst", "gate")
    st.close()
    return url, key


def test_anonymous_upload_is_refused_before_its_body_is_read(keyed_url: tuple[str, str]) -> None:
    url, _ = keyed_url
    app = create_app(url)
    big = [b"x" * 1024 * 1024] * 64  # 64 MB offered, chunked
    for path, ctype in (("/ingest", "multipart/form-data; boundary=zz"), ("/match/default", "application/json")):
        status, pulled = _asgi(app, "POST", path, {"host": "localhost", "content-type": ctype}, big)
        assert status == 401 and pulled == 0, (path, status, pulled)


def test_bodies_over_the_route_cap_are_refused(keyed_url: tuple[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    url, key = keyed_url
    monkeypatch.setenv("REDTHREAD_MAX_BODY_MB", "1")
    app = create_app(url)
    auth = {"host": "localhost", "authorization": f"ApiKey {key}", "content-type": "application/json"}
    # Declared too large: refused from the header alone.
    status, pulled = _asgi(app, "POST", "/match/default", {**auth, "content-length": str(700 * 1024 * 1024)},
                           [b"{}"])
    assert (status, pulled) == (413, 0)
    # Streamed without a length: cut off at the cap, not read to the end.
    status, pulled = _asgi(app, "POST", "/match/default", auth, [b" " * 512 * 1024] * 40)
    assert status == 413 and pulled <= 4
    # The upload route has its own (larger) cap: a 2 MB upload is not refused by the 1 MB JSON cap.
    client = TestClient(app, headers={"Authorization": f"ApiKey {key}"})
    body = b'{"id": "x1", "schema": "Person", "properties": {"name": ["Ann ' + b"a" * (2 * 1024 * 1024) + b'"]}}\n'
    res = client.post("/ingest", data={"dataset": "up"}, files={"file": ("big.ftm.jsonl", body)})
    assert res.status_code == 200, res.text


# -- 5. no writes from other origins, none without a key, no rebound host names ---------------------
def test_cross_site_writes_are_refused(keyed_url: tuple[str, str], fixtures: Path) -> None:
    url, key = keyed_url
    client = TestClient(create_app(url), headers={"Authorization": f"ApiKey {key}"})
    data = (fixtures / "starter.ftm.jsonl").read_bytes()
    for headers in ({"Origin": "https://attacker.example"}, {"Origin": "null"}, {"Sec-Fetch-Site": "cross-site"}):
        res = client.post("/ingest", data={"dataset": "planted"}, files={"file": ("x.ftm.jsonl", data)},
                          headers=headers)
        assert res.status_code == 403 and "cross-site" in res.json()["detail"], headers
    assert "planted" not in {d["name"] for d in client.get("/datasets").json()["datasets"]}
    # The UI's own origin (and a command-line client sending none) may write.
    res = client.post("/ingest", data={"dataset": "mine"}, files={"file": ("x.ftm.jsonl", data)},
                      headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"})
    assert res.status_code == 200, res.text


def test_keyless_loopback_reads_but_does_not_write(tmp_path: Path, fixtures: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'keyless.db'}"
    st = open_store(url)
    ingest(st, [fixtures / "starter.ftm.jsonl"], "starter")
    st.close()
    data = (fixtures / "starter.ftm.jsonl").read_bytes()
    local = TestClient(create_app(url))
    assert local.get("/stats").status_code == 200
    res = local.post("/ingest", data={"dataset": "planted"}, files={"file": ("x.ftm.jsonl", data)})
    assert res.status_code == 403 and "REDTHREAD_LOOPBACK_WRITES" in res.json()["detail"]
    assert local.post("/keys", json={"role": "admin"}).status_code == 403
    # DNS rebinding: the browser connects to 127.0.0.1 but names the attacker's host.
    assert local.get("/stats", headers={"Host": "attacker.example"}).status_code == 403
    monkeypatch.setenv("REDTHREAD_LOOPBACK_WRITES", "1")  # the operator's explicit opt-out
    res = local.post("/ingest", data={"dataset": "mine"}, files={"file": ("x.ftm.jsonl", data)})
    assert res.status_code == 200, res.text


def test_allowed_hosts_and_content_security_policy(keyed_url: tuple[str, str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    url, key = keyed_url
    client = TestClient(create_app(url), headers={"Authorization": f"ApiKey {key}"})
    res = client.get("/")
    assert "script-src 'self'" in res.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in client.get("/stats").headers["content-security-policy"]
    monkeypatch.setenv("REDTHREAD_ALLOWED_HOSTS", "redthread.example.org")
    assert client.get("/stats").status_code == 421
    assert client.get("/stats", headers={"Host": "redthread.example.org:8443"}).status_code == 200


# -- 2. a customs load is one unit of work -----------------------------------------------------------
TRADE = Path(__file__).resolve().parents[1] / "fixtures" / "trade"


def _trade_rows(url: str) -> int:
    with table.connect(url) as con:
        return table.record_count(con)


def _leftovers(url: str) -> list[str]:
    folder = table.table_dir(url)
    return sorted(p.name for p in folder.rglob("*") if p.is_file() and not p.name.endswith(".parquet"))


def test_customs_records_are_not_published_when_the_store_refuses_the_load(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "unit.db"
    url = f"sqlite:///{db}"
    st = open_store(url)
    # The store refuses the write (as when it is locked, or its disk fails) after the files were staged.
    raw = sqlite3.connect(db)
    raw.execute("CREATE TRIGGER refuse BEFORE INSERT ON loads BEGIN SELECT RAISE(ABORT, 'refused'); END")
    raw.commit()
    with pytest.raises(StoreError, match="nothing was stored"):
        ingest(st, [TRADE / "records.csv"], "customs")
    assert _trade_rows(url) == 0, "trade records visible while the store knows nothing of the load"
    assert _leftovers(url) == []
    raw.execute("DROP TRIGGER refuse")
    raw.commit()
    raw.close()
    ingest(st, [TRADE / "records.csv"], "customs")
    assert _trade_rows(url) > 0 and [r["dataset"] for r in st.loads()] == ["customs"]
    assert _leftovers(url) == []
    st.close()


def _stage_and_maybe_commit(st: Any, url: str, commit: bool) -> None:
    """What an ingest does up to a crash: stage and journal the files, commit the store (or not)."""
    path = TRADE / "records.csv"
    batches = list(get_loader("customs").read(path, IngestContext(dataset="customs", store_url=url)))
    for batch in batches:
        batch.content_hash, batch.origin = file_hash(path), "customs"
        batch.staged.write_journal(batch.content_hash, 0)
    if commit:
        st.write_many(batches)
    # ... the process dies here: nothing is published.


@pytest.mark.parametrize("committed", [True, False])
def test_an_interrupted_customs_load_is_completed_or_rolled_back(tmp_path: Path, fixtures: Path,
                                                                 committed: bool) -> None:
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    st = open_store(url)
    _stage_and_maybe_commit(st, url, committed)
    assert _trade_rows(url) == 0
    # The next ingest (of anything) first finishes or undoes the interrupted one.
    ingest(st, [fixtures / "starter.ftm.jsonl"], "starter")
    parties = {s.entity_id for s in st.statements(dataset="customs")}
    assert bool(parties) == committed
    assert (_trade_rows(url) > 0) == committed
    assert _leftovers(url) == []
    st.close()


def test_disk_full_while_staging_customs_records_is_a_clear_error(tmp_path: Path) -> None:
    """A staged file that lands on a full device (``/dev/full``) fails with a one-line error."""
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    url = f"sqlite:///{tmp_path / 'full.db'}"
    st = open_store(url)
    target = table.source_files(table.table_dir(url), "customs", "records.csv")["records"]
    target.parent.mkdir(parents=True)
    table.part_file(target).symlink_to("/dev/full")
    with pytest.raises(StoreError) as caught:
        ingest(st, [TRADE / "records.csv"], "customs")
    message = str(caught.value)
    assert "records.csv" in message and "disk is full" in message and "nothing was stored" in message
    assert "\n" not in message and st.stats()["statements"] == 0
    st.close()


# -- 3. documents of the same name in two datasets ---------------------------------------------------
def test_same_file_name_in_two_datasets_keeps_both_documents(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = "Orion Parts LLC shipped valves to Tellus Freight Ltd in 2022."
    second = "An unrelated note about the weather and some quiet harbour mornings."
    (tmp_path / "a" / "memo.txt").write_text(first, encoding="utf-8")
    (tmp_path / "b" / "memo.txt").write_text(second, encoding="utf-8")
    st = open_store(f"sqlite:///{tmp_path / 'docs.db'}")
    ingest(st, [tmp_path / "a" / "memo.txt"], "alpha")
    ingest(st, [tmp_path / "b" / "memo.txt"], "beta")
    docs = {d.dataset: d for d in st.documents()}
    assert set(docs) == {"alpha", "beta"} and docs["alpha"].id != docs["beta"].id
    assert docs["alpha"].text == first and docs["beta"].text == second
    spans = [s for s in st.statements(dataset="alpha") if s.span_start is not None and s.span_end is not None]
    assert spans and all(s.source == docs["alpha"].id for s in spans)
    assert all(first[s.span_start:s.span_end] == s.value for s in spans if s.prop == "name")
    # The store itself refuses to let one dataset's load overwrite another's document.
    before = st.stats()["statements"]
    with pytest.raises(StoreError, match="belongs to dataset 'alpha'"):
        st.write(LoadBatch("beta", "other", [Statement("x1", "Company", "id", "x1", "beta", source="other")],
                           documents=[Document(docs["alpha"].id, "beta", text="overwritten")]))
    assert st.document(docs["alpha"].id).text == first and st.stats()["statements"] == before
    st.close()


# -- 7. CSV formula injection --------------------------------------------------------------------------
FORMULAS = ["=cmd|' /C calc'!A0", "+SUM(1+1)", "@SUM(1+1)", '=HYPERLINK("http://x.example","click")',
            "-2+3+cmd|' /C calc'!A0"]


def _formula_entities(path: Path) -> None:
    lines = [json.dumps({"id": f"f{i}", "schema": "Company", "properties": {"name": [name]}})
             for i, name in enumerate(FORMULAS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_csv_outputs_escape_formulas(tmp_path: Path) -> None:
    import csv
    import io

    from redthread.export import export
    from redthread.screen.screening import screen_file

    src = tmp_path / "formulas.ftm.jsonl"
    _formula_entities(src)
    st = open_store(f"sqlite:///{tmp_path / 'csv.db'}")
    ingest(st, [src], "lists")
    out = io.StringIO()
    export(st, "csv", out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    names = {r["value"] for r in rows if r["prop"] == "name"}
    assert names == {"'" + f for f in FORMULAS}
    assert all(not str(v).startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows for v in r.values())
    # Screening results: the query name and the matched list names come from untrusted files.
    people = tmp_path / "counterparties.csv"
    people.write_text("id,name\n1,=cmd|' /C calc'!A0\n2,@SUM(1+1)\n", encoding="utf-8")
    result = tmp_path / "hits.csv"
    screen_file(st, people, result, threshold=0.5)
    cells = [c for row in csv.reader(result.open(encoding="utf-8")) for c in row]
    assert "'=cmd|' /C calc'!A0" in cells
    assert not any(c.startswith(("=", "+", "@", "\t", "\r")) for c in cells)
    assert not any(c.startswith("-") and not c.lstrip("-").replace(".", "").isdigit() for c in cells)
    st.close()


def test_numbers_are_not_escaped() -> None:
    from redthread.export.safe_csv import cell

    assert [cell(v) for v in ("-0.5", "+7", "-3e2", -1.5, "=1", "\t=1", "\r@x")] == [
        "-0.5", "+7", "-3e2", -1.5, "'=1", "'\t=1", "'\r@x"]


# -- 12. Rich markup in data; mistyped options ------------------------------------------------------------
def test_cli_prints_markup_in_names_literally(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from redthread.cli import app as cli_app

    monkeypatch.setenv("REDTHREAD_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("REDTHREAD_STORE", f"sqlite:///{tmp_path / 'markup.db'}")
    monkeypatch.setenv("COLUMNS", "250")
    names = ["[/] Broken Markup Ltd", "[link=https://attacker.example]Click Trading[/link]", "[bold red]Loud LLC"]
    src = tmp_path / "markup.ftm.jsonl"
    src.write_text("\n".join(json.dumps({"id": f"m{i}", "schema": "Company", "properties": {
        "name": [name], "country": ["ru"]}}) for i, name in enumerate(names)) + "\n", encoding="utf-8")
    runner = CliRunner()
    res = runner.invoke(cli_app, ["ingest", str(src), "-d", "lists"])
    assert res.exit_code == 0, res.output
    for args in (["search", "Markup"], ["search", "Click"], ["entity", "m0"], ["entity", "m1"], ["claims"],
                 ["loads"], ["datasets"]):
        res = runner.invoke(cli_app, args)
        assert res.exit_code == 0 and res.exception is None, (args, res.output, res.exception)
    out = runner.invoke(cli_app, ["search", "Click"]).output
    assert "[link=https://attacker.example]Click Trading[/link]" in out
    assert "[/] Broken Markup Ltd" in runner.invoke(cli_app, ["entity", "m0"]).output


def test_mistyped_option_is_a_one_line_error(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "REDTHREAD_HOME": str(tmp_path), "PYTHONPATH": str(PACKAGE.parent)}
    for args in (["stats", "--foo"], ["review", "--no-such-option"]):
        proc = subprocess.run([sys.executable, "-m", "redthread.cli", *args], capture_output=True, text=True,
                              env=env, timeout=120)
        assert proc.returncode == 2, proc.stderr
        assert "Traceback" not in proc.stderr and "No such option" in proc.stderr
        assert len(proc.stderr.strip().splitlines()) <= 4, proc.stderr
    # An error message quoting input with markup in it is printed as it is.
    proc = subprocess.run([sys.executable, "-m", "redthread.cli", "ingest", str(tmp_path), "-d", "[/]bad"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 2 and "'[/]bad'" in proc.stderr and "Traceback" not in proc.stderr, proc.stderr


# -- 9. engines are the operator's setting; Spark views are per call ---------------------------------------
def test_requests_cannot_choose_the_engine(keyed_url: tuple[str, str]) -> None:
    url, key = keyed_url
    client = TestClient(create_app(url), headers={"Authorization": f"ApiKey {key}"})
    for path in ("/blocked", "/exposure"):
        res = client.get(path, params={"engine": "spark"})
        assert res.status_code == 400 and "REDTHREAD_ENGINE" in res.json()["detail"], res.text
        assert client.get(path).status_code == 200
        assert client.get(path, params={"engine": "duckdb"}).status_code == 200  # the configured one


def test_spark_engines_at_once_keep_their_own_views() -> None:
    pytest.importorskip("pyspark")
    import pyarrow as pa

    from redthread.engines import get_engine

    with get_engine("spark") as one, get_engine("spark") as two:
        one.load("rt_links", pa.table({"v": pa.array([1, 2, 3], pa.int64())}))
        two.load("rt_links", pa.table({"v": pa.array([7], pa.int64())}))
        assert one.fetch("SELECT SUM(v) AS s FROM rt_links").column("s").to_pylist() == [6]
        assert two.fetch("SELECT SUM(v) AS s FROM rt_links").column("s").to_pylist() == [7]
        two.drop("rt_links")
        assert one.fetch("SELECT COUNT(*) AS n FROM rt_links").column("n").to_pylist() == [3]


# -- 10. /match batches are bounded --------------------------------------------------------------------------
def test_match_batches_and_values_are_capped(keyed_url: tuple[str, str]) -> None:
    from redthread.api.routes.match import MAX_QUERIES, MAX_VALUES

    url, key = keyed_url
    client = TestClient(create_app(url), headers={"Authorization": f"ApiKey {key}"})
    one = {"schema": "Company", "properties": {"name": ["Komax"]}}
    ok = client.post("/match/default", json={"queries": {f"q{i}": one for i in range(MAX_QUERIES)}})
    assert ok.status_code == 200 and len(ok.json()["responses"]) == MAX_QUERIES
    res = client.post("/match/default", json={"queries": {f"q{i}": one for i in range(MAX_QUERIES + 1)}})
    assert res.status_code == 413 and str(MAX_QUERIES) in res.json()["detail"]
    many = {"schema": "Company", "properties": {"name": [f"Name {i}" for i in range(MAX_VALUES + 1)]}}
    res = client.post("/match/default", json={"queries": {"q": many}})
    assert res.status_code == 422 and "'name'" in res.json()["detail"]


# -- low: LIKE wildcards, absolute paths, SQL in errors; 11. passwords in store URLs ----------------------
def test_search_matches_wildcards_literally(tmp_path: Path, fixtures: Path) -> None:
    st = open_store(f"sqlite:///{tmp_path / 'like.db'}")
    ingest(st, [fixtures / "starter.ftm.jsonl"], "starter")
    assert st.search("%") == [] and st.search("_") == []
    assert st.search("komax")  # ordinary text still matches
    src = tmp_path / "pct.ftm.jsonl"
    src.write_text(json.dumps({"id": "p1", "schema": "Company", "properties": {"name": ["100% Parts_Co"]}}) + "\n",
                   encoding="utf-8")
    ingest(st, [src], "pct")
    assert st.search("0% parts_") == ["p1"] and st.search("%") == ["p1"]
    st.close()


def test_documents_do_not_reveal_server_paths(keyed_url: tuple[str, str], tmp_path: Path) -> None:
    url, key = keyed_url
    client = TestClient(create_app(url), headers={"Authorization": f"ApiKey {key}"})
    text = b"Orion Parts LLC shipped valves to Tellus Freight Ltd in 2022."
    assert client.post("/ingest", data={"dataset": "notes"}, files={"file": ("memo.txt", text)}).status_code == 200
    (doc,) = client.get("/documents", params={"dataset": "notes"}).json()["documents"]
    body = client.get(f"/documents/{doc['id']}").json()
    assert body["path"].endswith("memo.txt") and "/" not in body["path"] and str(tmp_path) not in str(body)


def test_trade_query_errors_do_not_echo_sql(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'tsql.db'}"
    st = open_store(url)
    ingest(st, [TRADE / "records.csv"], "customs")
    st.close()
    client = TestClient(create_app(url))
    res = client.get("/trade/entrants", params={"since": "2024-13-45"})
    assert res.status_code == 400 and "2024-13-45" in res.json()["detail"]
    assert not any(w in res.json()["detail"] for w in ("SELECT", "LINE 1", "SQL:", "\n"))


def test_store_urls_never_show_passwords() -> None:
    from redthread.store.sql import redact_url

    assert redact_url("postgresql://rt:hunter2@db.example/rt") == "postgresql://rt:***@db.example/rt"
    assert redact_url("postgresql://rt@db.example/rt?password=hunter2&sslmode=require") == (
        "postgresql://rt@db.example/rt?password=***&sslmode=require")
    assert "hunter2" not in redact_url("postgresql:///rt?host=/run/pg&PASSWORD=hunter2")
    assert redact_url("sqlite:////tmp/x.db") == "sqlite:////tmp/x.db"


# -- 6. PDF decompression bombs -------------------------------------------------------------------------
def _pdf_bomb(inflated_mb: int) -> bytes:
    """A small PDF whose one content stream inflates to ``inflated_mb`` MB of spaces."""
    import zlib

    deflate = zlib.compressobj(9)
    block = b" " * (1024 * 1024)
    stream = b"".join(deflate.compress(block) for _ in range(inflated_mb)) + deflate.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def test_pdf_decompression_bomb_is_refused() -> None:
    from redthread.errors import InputError
    from redthread.extract.readers import MAX_PDF_UNPACKED, read_bytes

    bomb = _pdf_bomb(MAX_PDF_UNPACKED // (1024 * 1024) + 8)
    assert len(bomb) < 1024 * 1024  # well under any upload or input size limit
    with pytest.raises(InputError, match="decompression bomb") as caught:
        read_bytes(bomb, "bomb.pdf")
    assert "bomb.pdf" in str(caught.value)
    # An ordinary compressed PDF (a few MB inflated) is still read.
    with pytest.raises(InputError, match="no text layer"):
        read_bytes(_pdf_bomb(2), "blank.pdf")


# -- low: NUL bytes (PostgreSQL text cannot hold them) ------------------------------------------------------
def test_nul_bytes_cost_only_their_value(tmp_path: Path) -> None:
    from redthread.errors import InputError
    from redthread.ingest.base import NUL_STAND_IN, _nul_free

    memo = tmp_path / "nul.txt"
    text = "Orion\x00 Parts LLC shipped valves to Tellus Freight Ltd in 2022."
    memo.write_text(text, encoding="utf-8")
    st = open_store(f"sqlite:///{tmp_path / 'nul.db'}")
    ingest(st, [memo], "docs")
    (doc,) = st.documents("docs")
    assert "\x00" not in doc.text and len(doc.text) == len(text) and NUL_STAND_IN in doc.text
    stored = list(st.statements(dataset="docs"))
    assert stored and not any("\x00" in (s.quote or "") + s.value for s in stored)
    st.close()
    # A value with a NUL: refused naming file, line and property; with skip_errors only it goes.
    def batch() -> LoadBatch:
        return LoadBatch("d", "s.csv", [
            Statement("e1", "Company", "name", "Good Name Ltd", "d", source="s.csv", location="s.csv:7"),
            Statement("e1", "Company", "alias", "Bad\x00Name", "d", source="s.csv", location="s.csv:7"),
        ])
    with pytest.raises(InputError) as caught:
        _nul_free(batch(), Path("s.csv"), skip_errors=False)
    assert caught.value.line == 7 and caught.value.field == "alias" and "NUL" in str(caught.value)
    kept = batch()
    errors = _nul_free(kept, Path("s.csv"), skip_errors=True)
    assert [s.prop for s in kept.statements] == ["name"] and len(errors) == 1


# -- low: a second writer queues and says so ---------------------------------------------------------------
def test_second_writer_waits_with_a_message(tmp_path: Path, fixtures: Path, caplog: pytest.LogCaptureFixture,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import threading
    import time

    url = f"sqlite:///{tmp_path / 'queue.db'}"
    first, second = open_store(url), open_store(url)
    first.conn.execute("BEGIN IMMEDIATE")  # a load in progress holds the write lock
    done: list[Any] = []
    worker = threading.Thread(target=lambda: done.append(ingest(second, [fixtures / "starter.ftm.jsonl"], "q")))
    with caplog.at_level("WARNING", logger="redthread.store"):
        worker.start()
        time.sleep(2.5)
        assert not done  # queued, not failed
        first.conn.execute("COMMIT")
        worker.join(60)
    assert done and done[0][0][0].added > 0
    assert any("waiting for it to finish" in r.getMessage() for r in caplog.records)
    # With a limit, it gives up with a clear error and stores nothing.
    monkeypatch.setenv("REDTHREAD_WRITE_WAIT_S", "1")
    first.conn.execute("BEGIN IMMEDIATE")
    with pytest.raises(StoreError, match="another writer .* REDTHREAD_WRITE_WAIT_S"):
        ingest(second, [fixtures / "starter.ftm.jsonl"], "r")
    first.conn.execute("ROLLBACK")
    assert "r" not in {d.name for d in second.datasets()}
    first.close()
    second.close()
