"""Loading very large graphs without a Python object per statement.

The statements a graph needs are read into Arrow tables through the store's
bulk read (:meth:`redthread.store.Store.table`, on the store's own
connection), then pivoted, resolved to canonical ids and numbered by DuckDB;
only the final columns reach Python as numpy arrays.
:func:`redthread.analyze.graph.load_graph` uses this path for
``evidence=False`` loads, and its row-by-row path otherwise; both give the
same graph (tests check it).

Why not read the SQLite file directly (ADBC, DuckDB's scanner)? Each carries
its own copy of SQLite: when such a connection closes, it drops the POSIX
locks of the server's connections on the same file and deletes the WAL under
them ("disk I/O error", then "database disk image is malformed").
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from redthread import settings
from redthread.store import Store


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


def available(store: Store) -> bool:
    """Whether the columnar path can run (it needs DuckDB; any store will do)."""
    try:
        import duckdb  # noqa: F401
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
    """Read links (and node names/schemata) through the store's bulk read, then DuckDB.

    ``edge_schemata`` maps schema -> (source prop, target prop). ``extra_props``
    are props of non-edge entities returned as plain rows (``extra_rows``:
    ``(entity_id, schema, prop, value, dataset, source)``) for the caller.
    """
    import duckdb

    srcs = {s for s, _ in edge_schemata.values()}
    tgts = {t for _, t in edge_schemata.values()}
    edge_props = srcs | tgts | {"percentage", *label_props, *date_props}
    node_props = {"id", "name"} | extra_props
    # Two bulk reads through the store's own connection (see Store.rows): the
    # link entities' props, and the few props every other entity contributes.
    columns = ("entity_id", "schema", "prop", "value", "confidence", "hedge", "dataset", "source")
    edge_part = store.table(columns, edge_props, schemata=edge_schemata)
    node_part = store.table(columns, node_props, skip_schemata=edge_schemata)
    stmts = pa.concat_tables([edge_part, node_part])
    del edge_part, node_part
    cmap = store.canonical_map()
    canon = pa.table({"entity_id": pa.array(list(cmap), pa.string()),
                      "canonical_id": pa.array(list(cmap.values()), pa.string())})
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
        con.register("stmts_read", stmts)
        con.execute("CREATE TEMP VIEW stmts AS SELECT entity_id, schema, prop, value, confidence, "
                    "CASE WHEN hedge IS NULL OR hedge = '' THEN 0 ELSE 1 END AS hedged, dataset, source "
                    "FROM stmts_read")
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
        con.execute("DROP VIEW stmts")
        con.unregister("stmts_read")
        del stmts
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
