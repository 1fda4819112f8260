"""Loading very large graphs without a Python object per statement.

For an SQLite store, the statements a graph needs are read straight into an
Arrow table through ADBC (``adbc-driver-sqlite``), then pivoted, resolved to
canonical ids and numbered by DuckDB; only the final columns reach Python as
numpy arrays. :func:`redthread.analyze.graph.load_graph` uses this path for
``evidence=False`` loads when the driver is installed, and falls back to a
database-side pivot otherwise. Both give the same graph (tests check it).
"""

from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from redthread import settings
from redthread.store import Store

#: How long a reader waits for a lock held briefly by another connection.
BUSY_TIMEOUT_MS = 30_000


@dataclass
class Columns:
    """Links and nodes as columns (see :class:`redthread.analyze.graph.Graph`)."""

    ids: list[str]
    schema: list[str]
    caption: list[str]
    src: np.ndarray
    dst: np.ndarray
    kinds: Any  # Arrow column of link schema names
    pct: np.ndarray
    conf: np.ndarray
    hedged: np.ndarray
    link_ids: list[str]
    labels: list[str]
    dates: list[dict[str, str]]
    extra_rows: list[tuple[Any, ...]]
    extra_names: dict[str, str]


def sqlite_path(store: Store) -> str | None:
    """The database file of an SQLite store, or None for other stores."""
    url = getattr(store, "url", "")
    dialect = getattr(store, "dialect", None)
    if dialect is None or getattr(dialect, "name", "") != "sqlite" or not url.startswith("sqlite:///"):
        return None
    path = url[len("sqlite:///"):]
    return None if path in ("", ":memory:") else path


def available(store: Store) -> bool:
    if sqlite_path(store) is None:
        return False
    try:
        import adbc_driver_sqlite.dbapi  # noqa: F401
    except ImportError:
        return False
    return True


def _lst(values: Any) -> str:
    return ", ".join("'" + str(v).replace("'", "''") + "'" for v in sorted(values))


def load_columns(
    store: Store,
    edge_schemata: dict[str, tuple[str, str]],
    label_props: tuple[str, ...],
    date_props: tuple[str, ...],
    extra_props: set[str],
) -> Columns:
    """Read links (and node names/schemata) with ADBC + DuckDB.

    ``edge_schemata`` maps schema -> (source prop, target prop). ``extra_props``
    are props of non-edge entities returned as plain rows (``extra_rows``:
    ``(entity_id, schema, prop, value, dataset, source)``) for the caller.
    """
    import adbc_driver_sqlite.dbapi as adbc
    import duckdb

    path = sqlite_path(store)
    assert path is not None
    srcs = {s for s, _ in edge_schemata.values()}
    tgts = {t for _, t in edge_schemata.values()}
    edge_props = srcs | tgts | {"percentage", *label_props, *date_props}
    node_props = {"id", "name"} | extra_props
    sql = (
        "SELECT entity_id, schema, prop, value, confidence, "
        "CASE WHEN hedge IS NULL OR hedge = '' THEN 0 ELSE 1 END AS hedged, "
        # provenance is only needed for the few rows handed back as plain rows
        # (empty strings, not NULL: ADBC infers a column's type from its first rows)
        f"CASE WHEN prop IN ({_lst(extra_props)}) THEN dataset ELSE '' END AS dataset, "
        f"CASE WHEN prop IN ({_lst(extra_props)}) THEN source ELSE '' END AS source "
        "FROM statements NOT INDEXED WHERE removed_at IS NULL AND ("
        f"(schema IN ({_lst(edge_schemata)}) AND prop IN ({_lst(edge_props)})) OR "
        f"(schema NOT IN ({_lst(edge_schemata)}) AND prop IN ({_lst(node_props)})))"
    )
    # ADBC infers column types from the data: make them explicit.
    stmt_schema = pa.schema([("entity_id", pa.string()), ("schema", pa.string()), ("prop", pa.string()),
                             ("value", pa.string()), ("confidence", pa.float64()), ("hedged", pa.int64()),
                             ("dataset", pa.string()), ("source", pa.string())])

    def read(query: str) -> pa.Table:
        with adbc.connect(path) as conn:
            cur = conn.cursor()
            # Readers opening at once may meet SQLite's WAL recovery: wait, don't fail.
            cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cur.execute(query)
            table = cur.fetch_arrow_table()
            cur.close()
        return table

    # This connection stays open while the parts are read: closing the last
    # connection checkpoints and removes the WAL, which readers opening at the
    # same moment would find locked.
    keeper = adbc.connect(path)
    try:
        cur = keeper.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("SELECT MIN(rowid), MAX(rowid) FROM statements")
        low, high = cur.fetchone() or (None, None)
        cur.close()
        # The scan is split into rowid ranges read in parallel (ADBC releases the GIL).
        parts = max(1, min(os.cpu_count() or 1, 8))
        if low is None or high is None or high - low < 200_000:
            queries = [sql]
        else:
            step = (high - low) // parts + 1
            queries = [f"{sql} AND rowid >= {low + k * step} AND rowid < {low + (k + 1) * step}"
                       for k in range(parts)]
        with ThreadPoolExecutor(len(queries)) as pool:
            tables = list(pool.map(read, queries))
        canon = read("SELECT entity_id, canonical_id FROM canonical")
    finally:
        keeper.close()
    stmts = pa.concat_tables([t.cast(stmt_schema) for t in tables if t.num_rows] or [tables[0].cast(stmt_schema)])
    canon = canon.cast(pa.schema([("entity_id", pa.string()), ("canonical_id", pa.string())]))
    con = duckdb.connect(":memory:")
    con.execute("SET enable_progress_bar = false")
    timings = settings.debug_timings()

    def run(query: str) -> Any:
        """Execute one step; with REDTHREAD_DEBUG_TIMINGS set, print its CPU time (for tuning)."""
        t0 = time.process_time()
        result = con.execute(query)
        if timings:
            print(f"{time.process_time() - t0:7.3f}s  {' '.join(query.split())[:70]}", file=sys.stderr)
        return result

    try:
        con.register("stmts", stmts)
        con.register("canon", canon)
        ends = srcs | tgts
        dates_sql = ", ".join(f"MIN(value) FILTER (WHERE prop = '{d}') AS \"{d}\"" for d in date_props)
        # No FtM edge schema uses a prop as its source that another uses as its
        # target, so one IN list per side picks the ends of every schema.
        assert not srcs & tgts
        run(f"""
            CREATE TEMP TABLE edges AS
            SELECT entity_id AS link_id, MIN(schema) AS schema,
              LIST(value) FILTER (WHERE prop IN ({_lst(srcs)})) AS sources,
              LIST(value) FILTER (WHERE prop IN ({_lst(tgts)})) AS targets,
              MAX(CASE WHEN p >= 0 THEN LEAST(p, 100.0) END) AS pct,
              COALESCE(MIN(confidence) FILTER (WHERE prop IN ({_lst(ends)})), 1.0) AS conf,
              COALESCE(MAX(hedged) FILTER (WHERE prop IN ({_lst(ends)})), 0) > 0 AS hedged,
              ARRAY_TO_STRING(LIST_SORT(LIST_DISTINCT(
                  LIST(value) FILTER (WHERE prop IN ({_lst(label_props)})))), '; ') AS label,
              {dates_sql}
            FROM (SELECT *, CASE WHEN prop = 'percentage' THEN
                    TRY_CAST(REPLACE(TRIM(RTRIM(TRIM(value), '%')), ',', '.') AS DOUBLE) END AS p
                  FROM stmts WHERE schema IN ({_lst(edge_schemata)})) AS s
            GROUP BY entity_id""")
        # Caption: the canonical entity's own shortest name, else any member's.
        run("""
            CREATE TEMP TABLE named AS
            SELECT COALESCE(c.canonical_id, s.entity_id) AS id,
                   ARG_MIN(s.value, {'other': c.canonical_id IS NOT NULL AND c.canonical_id <> s.entity_id,
                                     'len': LENGTH(s.value), 'value': s.value})
                     FILTER (WHERE s.prop = 'name') AS caption,
                   ARG_MIN(s.schema, {'other': c.canonical_id IS NOT NULL AND c.canonical_id <> s.entity_id,
                                      'schema': s.schema}) AS schema
            FROM stmts AS s LEFT JOIN canon AS c ON c.entity_id = s.entity_id
            WHERE s.prop IN ('id', 'name') AND s.schema NOT IN (""" + _lst(edge_schemata) + """)
            GROUP BY 1""")
        # One scan for the few rows the caller reads row by row (sanctions, addresses).
        run(f"""
            CREATE TEMP TABLE small AS SELECT entity_id, schema, prop, value, dataset, source FROM stmts
            WHERE schema NOT IN ({_lst(edge_schemata)}) AND prop IN ({_lst(extra_props)})""")
        extra = run("SELECT entity_id, schema, prop, value, dataset, source FROM small").fetchall()
        # Names of parties that may join the graph later (by a shared address).
        named_extra = dict(run("""
            SELECT m.id, m.caption FROM named AS m WHERE m.caption IS NOT NULL AND m.id IN
              (SELECT COALESCE(c.canonical_id, x.entity_id) FROM small AS x
               LEFT JOIN canon AS c ON c.entity_id = x.entity_id
               WHERE x.prop IN ('address', 'addressEntity'))""").fetchall())
        run("""
            CREATE TEMP TABLE sanctioned AS
            SELECT DISTINCT COALESCE(c.canonical_id, x.value) AS id FROM small AS x
            LEFT JOIN canon AS c ON c.entity_id = x.value
            WHERE x.schema = 'Sanction' AND x.prop = 'entity'""")
        # Everything below reads DuckDB's own tables: let the statements go (peak memory).
        con.unregister("stmts")
        del stmts, tables
        date_cols = ", ".join(f'e."{d}"' for d in date_props)
        run(f"""
            CREATE TEMP TABLE links AS
            SELECT p.link_id, p.schema, COALESCE(cs.canonical_id, p.s) AS s, COALESCE(ct.canonical_id, p.t) AS t,
                   p.pct, p.conf, p.hedged, p.label, {date_cols.replace('e."', 'p."')}
            FROM (SELECT e.*, a.s, b.t FROM edges AS e, UNNEST(e.sources) AS a(s), UNNEST(e.targets) AS b(t)) AS p
            LEFT JOIN canon AS cs ON cs.entity_id = p.s
            LEFT JOIN canon AS ct ON ct.entity_id = p.t
            WHERE COALESCE(cs.canonical_id, p.s) <> COALESCE(ct.canonical_id, p.t)""")
        # Nodes: link ends and sanctioned parties (as the row-by-row loader makes them).
        run("""
            CREATE TEMP TABLE nodes AS
            SELECT id, ROW_NUMBER() OVER () - 1 AS ix FROM
              (SELECT s AS id FROM links UNION SELECT t FROM links
               UNION SELECT id FROM sanctioned) AS u""")
        node_tab = run("""
            SELECT n.id, COALESCE(m.schema, '') AS schema, COALESCE(m.caption, '') AS caption
            FROM nodes AS n LEFT JOIN named AS m ON m.id = n.id ORDER BY n.ix""").to_arrow_table()
        link_tab = run(f"""
            SELECT l.link_id, l.schema, ns.ix AS src, nt.ix AS dst, l.pct, l.conf, l.hedged,
                   COALESCE(l.label, '') AS label, {', '.join(f'l."{d}"' for d in date_props)}
            FROM links AS l JOIN nodes AS ns ON ns.id = l.s JOIN nodes AS nt ON nt.id = l.t
            ORDER BY src, dst, l.link_id""").to_arrow_table()
    finally:
        con.close()
    dates: list[dict[str, str]] = []
    empty: dict[str, str] = {}
    if any(link_tab.column(d).null_count < link_tab.num_rows for d in date_props):
        date_lists = [link_tab.column(d).to_pylist() for d in date_props]
        for row in zip(*date_lists, strict=True):
            got = {d: v for d, v in zip(date_props, row, strict=True) if v is not None}
            dates.append(got or empty)
    else:
        dates = [empty] * link_tab.num_rows
    return Columns(
        ids=node_tab.column("id").to_pylist(),
        schema=node_tab.column("schema").to_pylist(),
        caption=node_tab.column("caption").to_pylist(),
        kinds=link_tab.column("schema"),
        src=link_tab.column("src").to_numpy().astype(np.int64),
        dst=link_tab.column("dst").to_numpy().astype(np.int64),
        pct=link_tab.column("pct").to_numpy(zero_copy_only=False).astype(np.float64),
        conf=link_tab.column("conf").to_numpy().astype(np.float64),
        hedged=link_tab.column("hedged").to_numpy(zero_copy_only=False).astype(bool),
        link_ids=link_tab.column("link_id").to_pylist(),
        labels=link_tab.column("label").to_pylist(),
        dates=dates,
        extra_rows=extra,
        extra_names=named_extra,
    )
