"""The columnar trade table: where bulk customs records live.

Records are never exploded into statements. They sit in a DuckDB file that
follows the store: beside a SQLite store (``store.db`` -> ``store.trade.duckdb``),
or under ``REDTHREAD_HOME/trade/<hash of the store URL>.duckdb`` for other
stores, so each store (and each test) has its own. Every record keeps its
provenance (dataset, source file, row) and is keyed to FtM party ids.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from redthread import settings

RECORDS_DDL = """
CREATE TABLE IF NOT EXISTS records (
    dataset VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    "row" BIGINT NOT NULL,
    declaration_number VARCHAR,
    date DATE NOT NULL,
    month VARCHAR NOT NULL,
    sender_id VARCHAR NOT NULL,
    receiver_id VARCHAR NOT NULL,
    declarant_id VARCHAR,
    sender_country VARCHAR,
    receiver_country VARCHAR,
    hs_code VARCHAR NOT NULL,
    hs2 VARCHAR NOT NULL,
    hs4 VARCHAR,
    hs6 VARCHAR,
    chpl_tier VARCHAR,
    goods_description VARCHAR,
    value DOUBLE NOT NULL,
    currency VARCHAR NOT NULL,
    value_usd DOUBLE NOT NULL,
    quantity DOUBLE,
    unit VARCHAR,
    origin_country VARCHAR,
    destination_country VARCHAR,
    trading_country VARCHAR
)
"""

PARTIES_DDL = """
CREATE TABLE IF NOT EXISTS parties (
    party_id VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    country VARCHAR,
    schema VARCHAR NOT NULL
)
"""

#: Record columns in table order (what loaders must produce).
RECORD_COLUMNS = (
    "dataset", "source", "row", "declaration_number", "date", "month", "sender_id", "receiver_id",
    "declarant_id", "sender_country", "receiver_country", "hs_code", "hs2", "hs4", "hs6", "chpl_tier",
    "goods_description", "value", "currency", "value_usd", "quantity", "unit", "origin_country",
    "destination_country", "trading_country",
)


def table_path(store_url: str | None = None) -> Path:
    """The DuckDB file holding the trade records of the store at ``store_url``."""
    url = store_url or settings.store_url()
    if url.startswith("sqlite:///") and not url.endswith(":memory:"):
        db = Path(url[len("sqlite:///"):])
        return db.with_name(db.stem + ".trade.duckdb")
    digest = hashlib.sha1(url.encode("utf-8")).hexdigest()[:16]
    folder = settings.home() / "trade"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{digest}.duckdb"


def init_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(RECORDS_DDL)
    con.execute(PARTIES_DDL)


@contextmanager
def connect(store_url: str | None = None, path: Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to the trade table (created on first use), closed afterwards.

    Connections are short-lived because DuckDB lets one process write a file
    at a time.
    """
    target = path or table_path(store_url)
    target.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(target))
    try:
        init_schema(con)
        yield con
    finally:
        con.close()


def record_count(con: duckdb.DuckDBPyConnection, dataset: str | None = None) -> int:
    sql = "SELECT count(*) FROM records" + (" WHERE dataset = ?" if dataset else "")
    row = con.execute(sql, [dataset] if dataset else []).fetchone()
    return int(row[0]) if row else 0
