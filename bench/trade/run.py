"""Trade benchmark: redthread vs pandas, polars and plain DuckDB SQL, side by side.

    .venv/bin/python bench/trade/run.py               # 10,000,000 rows
    .venv/bin/python bench/trade/run.py --rows 200000 # quick

Generates realistic customs rows with a fixed seed (parties with Zipf-like
activity, HS codes in mixed formats, five currencies, dates over 3.5 years),
writes them as Parquet and CSV, then times, each task in its own process
(so peak memory is per task):

- ingest from Parquet and from CSV (each run ``--repeat`` times in fresh
  processes; the median is what counts, the best is shown too):
  redthread's customs load (validation, HS normalisation, CHPL tiers, FX
  to USD, party keys, into the trade table) against a plain load into
  memory (pandas, polars) or a table (DuckDB);
- the high-cardinality group-by sender x receiver x HS-4 (sum of value):
  redthread's ``flows`` top 100 (named) and the full group-by over the
  stored rows (parties as the integer keys redthread stores), against the
  same group-by in each peer over the name columns they loaded;
- one buyer's monthly series (group-by and series: the median of three
  calls, warm, in every tool).

Peers load without validation, FX or party keys, so they do less work.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

MAPPING = """
currency: USD
columns:
  declaration_number: decl_no
  date: date
  sender: shipper
  sender_country: shipper_country
  receiver: consignee
  receiver_country: consignee_country
  hs_code: hs_code
  goods_description: goods
  value: value
  currency: currency
  quantity: qty
  unit: unit
  origin_country: origin
  destination_country: destination
"""

WORDS = ["Golden", "Bright", "Eastern", "Northern", "Silk", "Harbor", "Dragon", "Crystal", "Pioneer", "Summit",
         "Unity", "Prime", "Delta", "Orient", "Vector", "Nova", "Falcon", "Lotus", "Atlas", "Zenith"]
TRADES = ["Electronics", "Trading", "Technology", "Import Export", "Components", "Logistics", "Industrial",
          "Supply", "Machinery", "Seafood"]
SENDER_COUNTRIES = ["CN", "CN", "CN", "HK", "HK", "TR", "AE", "IN", "KZ", "DE"]
RECEIVER_COUNTRIES = ["RU"] * 7 + ["KZ", "KG", "AM"]
CURRENCIES = np.array(["USD", "CNY", "EUR", "RUB", "HKD"])
CURRENCY_P = [0.5, 0.25, 0.1, 0.1, 0.05]


def _names(prefix: str, n: int, suffix: str, rng: np.random.Generator) -> list[str]:
    w = rng.integers(0, len(WORDS), n)
    t = rng.integers(0, len(TRADES), n)
    return [f"{WORDS[w[i]]} {TRADES[t[i]]} {prefix}{i:06d} {suffix}" for i in range(n)]


def generate(rows: int, seed: int = 42) -> pa.Table:
    """A customs table of ``rows`` rows; the same for the same seed."""
    rng = np.random.default_rng(seed)
    n_send, n_recv = max(200, rows // 200), max(500, rows // 50)
    senders = _names("S", n_send, "Co., Ltd.", rng)
    receivers = _names("R", n_recv, "LLC", rng)
    send_cc = [SENDER_COUNTRIES[i] for i in rng.integers(0, len(SENDER_COUNTRIES), n_send)]
    recv_cc = [RECEIVER_COUNTRIES[i] for i in rng.integers(0, len(RECEIVER_COUNTRIES), n_recv)]
    # HS codes: 1,500 national lines in chapters that matter, CHPL headings over-represented.
    chapters = np.array([84, 85, 85, 85, 90, 88, 39, 73, 87, 3])
    heads = rng.integers(1, 99, 1500)
    subs = rng.integers(0, 9999, 1500)
    chpl = ["85423100", "85423900", "85176200", "85269100", "85322400", "85044000", "85076000", "85258900",
            "85013100", "88073000", "90131000", "84718000"]
    codes = [f"{chapters[i % len(chapters)]:02d}{heads[i]:02d}{subs[i]:04d}" for i in range(1500)] + chpl * 20
    dotted = [f"{c[:4]}.{c[4:6]}.{c[6:]}" for c in codes]
    hs_pool = np.array(codes + dotted)
    # Activity is skewed: a few parties trade a lot (Zipf-like ranks).
    s_idx = np.minimum((rng.pareto(1.2, rows) * n_send / 20).astype(np.int64), n_send - 1)
    r_idx = np.minimum((rng.pareto(1.1, rows) * n_recv / 20).astype(np.int64), n_recv - 1)
    rng.shuffle(s_idx)
    days = rng.integers(0, 1277, rows).astype("int32")  # 2022-01-01 .. 2025-06-30
    values = np.round(rng.lognormal(9.0, 1.6, rows), 2)
    currency = CURRENCIES[rng.choice(len(CURRENCIES), rows, p=CURRENCY_P)]
    fx = {"USD": 1.0, "CNY": 7.0, "EUR": 0.92, "RUB": 85.0, "HKD": 7.8}
    values = values * np.vectorize(fx.get)(currency)
    hs_i = rng.integers(0, len(hs_pool), rows)
    goods = np.array(["integrated circuits", "brushless motors", "lithium batteries", "cameras", "radio modules",
                      "machine parts", "frozen fish", "plastic parts", "cables", "transformers"])
    sender_arr = pa.DictionaryArray.from_arrays(pa.array(s_idx.astype("int32")), pa.array(senders)).cast(pa.string())
    recv_arr = pa.DictionaryArray.from_arrays(pa.array(r_idx.astype("int32")), pa.array(receivers)).cast(pa.string())
    return pa.table({
        "decl_no": pa.array(np.char.add("D", np.arange(rows).astype(str))),
        "date": pa.array(np.datetime64("2022-01-01", "D") + days.astype("timedelta64[D]"), pa.date32()),
        "shipper": sender_arr,
        "shipper_country": pa.DictionaryArray.from_arrays(pa.array(s_idx.astype("int32")),
                                                          pa.array(send_cc)).cast(pa.string()),
        "consignee": recv_arr,
        "consignee_country": pa.DictionaryArray.from_arrays(pa.array(r_idx.astype("int32")),
                                                            pa.array(recv_cc)).cast(pa.string()),
        "hs_code": pa.array(hs_pool[hs_i]),
        "goods": pa.array(goods[hs_i % len(goods)]),
        "value": pa.array(np.round(values, 2)),
        "currency": pa.array(currency),
        "qty": pa.array(rng.integers(1, 5000, rows).astype("float64")),
        "unit": pa.array(np.where(rng.random(rows) < 0.8, "pcs", "kg")),
        "origin": pa.array(np.where(rng.random(rows) < 0.85, "CN", "HK")),
        "destination": pa.array(np.where(rng.random(rows) < 0.9, "RU", "KZ")),
    })


# ---------------------------------------------------------------------------------------------- tasks
class PeakMemory:
    """Samples this process's resident memory in a thread; ``peak_mb`` is the largest seen.

    (``ru_maxrss`` would not do: Linux keeps the parent's peak across fork and exec.)
    """

    def __init__(self, interval: float = 0.02) -> None:
        import threading

        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(interval,), daemon=True)
        self._thread.start()

    @staticmethod
    def rss() -> int:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    def _run(self, interval: float) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.rss())
            self._stop.wait(interval)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.rss())
        return self.peak / 1e6


def _median_time(fn: Any, n: int = 3) -> tuple[float, Any]:
    """Median wall time of ``n`` calls of ``fn`` (the machine's speed drifts), and the last result."""
    times, out = [], None
    for _ in range(n):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return sorted(times)[n // 2], out


def _import_pandas_if_installed() -> None:
    """Import pandas now, outside the clock, where it is installed.

    pyarrow imports pandas on its first array conversion whenever pandas is
    installed (~0.3 s). A redthread install has no pandas (only the dev extra,
    for these peers, brings it), so this import is not part of a load; every
    tool's imports happen before its clock starts.
    """
    try:
        import pandas  # noqa: F401
    except ImportError:  # pragma: no cover - not a dev install
        pass


def task_ingest_redthread(path: str, work: str) -> dict[str, Any]:
    import yaml

    from redthread.trade import table
    from redthread.trade.mapping import parse_mapping
    from redthread.trade.records import load_records

    mapping = parse_mapping(yaml.safe_load(MAPPING))
    _import_pandas_if_installed()
    folder = Path(work) / f"trade-{Path(path).suffix[1:]}"
    shutil.rmtree(folder, ignore_errors=True)
    con = table.work_connection()
    t = time.perf_counter()
    result = load_records(con, Path(path), mapping, dataset="bench", source=Path(path).name, strict=False,
                          folder=folder)
    secs = time.perf_counter() - t
    con.close()
    return {"seconds": secs, "rows": result.rows_loaded, "parties": len({p.party_id for p in result.parties}),
            "bad": result.error_count}


def task_ingest_peer(tool: str, path: str, work: str) -> dict[str, Any]:
    db = Path(work) / "plain.duckdb"
    for old in (db, db.with_name(db.name + ".wal")):  # DuckDB loads into a fresh database, as a user would
        old.unlink(missing_ok=True)
    import duckdb
    import pandas as pd
    import polars as pl

    t = time.perf_counter()  # imports outside the clock, as for redthread
    if tool == "pandas":
        df = pd.read_parquet(path) if path.endswith(".parquet") else pd.read_csv(path, engine="pyarrow")
        n = len(df)
    elif tool == "polars":
        df = pl.read_parquet(path) if path.endswith(".parquet") else pl.read_csv(path)
        n = df.height
    else:
        con = duckdb.connect(str(Path(work) / "plain.duckdb"))
        reader = "read_parquet" if path.endswith(".parquet") else "read_csv"
        con.execute(f"CREATE TABLE t AS SELECT * FROM {reader}('{path}')")
        n = con.execute("SELECT count(*) FROM t").fetchone()[0]  # type: ignore[index]
        con.close()
    return {"seconds": time.perf_counter() - t, "rows": n}


def task_query_redthread(work: str, buyer: str) -> dict[str, Any]:

    from redthread.trade.engine import DuckDBTrade
    from redthread.trade.flows import flows, series

    eng = DuckDBTrade.for_folder(Path(work) / "trade-parquet")
    t = time.perf_counter()
    top = flows(eng, ["supplier", "buyer", "hs4"], top=100)
    top_s = time.perf_counter() - t
    # The stored rows keep parties as integer keys (named through ``parties``): group those.
    full_s, full = _median_time(lambda: eng.con.execute(
        "SELECT sender_key, receiver_key, hs4, sum(value_usd) AS v FROM trade_records GROUP BY ALL"
    ).to_arrow_table())
    pid = eng.con.execute("SELECT party_id FROM parties WHERE name = ?", [buyer]).fetchone()[0]  # type: ignore[index]
    series(eng, pid)  # warm
    series_s, months = _median_time(lambda: series(eng, pid))
    eng.close()
    return {"top_seconds": top_s, "groupby_seconds": full_s, "groups": full.num_rows, "series_seconds": series_s,
            "months": len(months), "top_value": top[0]["value_usd"]}


def task_query_peer(tool: str, path: str, buyer: str) -> dict[str, Any]:
    if tool == "pandas":
        import pandas as pd

        df = pd.read_parquet(path, columns=["shipper", "consignee", "hs_code", "value", "date"])
        df["hs4"] = df["hs_code"].str.replace(".", "", regex=False).str[:4]
        gs, g = _median_time(lambda: df.groupby(["shipper", "consignee", "hs4"], sort=False, observed=True)["value"].sum())
        groups = len(g)
        df["month"] = df["date"].astype("datetime64[s]").dt.to_period("M")
        ss, s = _median_time(lambda: df[df["consignee"] == buyer].groupby("month")["value"].sum())
        months = len(s)
    elif tool == "polars":
        import polars as pl

        df = pl.read_parquet(path, columns=["shipper", "consignee", "hs_code", "value", "date"]).with_columns(
            pl.col("hs_code").str.replace_all(".", "", literal=True).str.slice(0, 4).alias("hs4"),
            pl.col("date").dt.strftime("%Y-%m").alias("month"),
        )
        gs, g = _median_time(lambda: df.group_by(["shipper", "consignee", "hs4"]).agg(pl.col("value").sum()))
        groups = g.height
        ss, s = _median_time(lambda: df.filter(pl.col("consignee") == buyer).group_by("month").agg(pl.col("value").sum()))
        months = s.height
    else:
        import duckdb

        con = duckdb.connect()
        con.execute(f"CREATE TABLE t AS SELECT shipper, consignee, replace(hs_code, '.', '')[1:4] AS hs4, value, "
                    f"strftime(date, '%Y-%m') AS month FROM read_parquet('{path}')")
        gs, g = _median_time(lambda: con.execute("SELECT shipper, consignee, hs4, sum(value) FROM t GROUP BY ALL")
                             .to_arrow_table())
        groups = g.num_rows
        ss, s = _median_time(lambda: con.execute("SELECT month, sum(value) FROM t WHERE consignee = ? GROUP BY month",
                                                 [buyer]).fetchall())
        months = len(s)
    return {"groupby_seconds": gs, "groups": groups, "series_seconds": ss, "months": months}


def _child(conn: Any, fn_name: str, args: tuple[Any, ...]) -> None:
    try:
        mem = PeakMemory()
        out = globals()[fn_name](*args)
        out["peak_mb"] = mem.stop()
        conn.send(out)
    except Exception as exc:  # report, don't hang the parent
        conn.send({"error": f"{type(exc).__name__}: {exc}"})
    conn.close()


def run(fn_name: str, *args: Any) -> dict[str, Any]:
    """Run a task in a fresh process; its result with the process's peak memory."""
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_child, args=(child, fn_name, args))
    proc.start()
    out: dict[str, Any] = parent.recv()
    proc.join()
    return out


def repeated(n: int, fn_name: str, *args: Any) -> dict[str, Any]:
    """``fn_name`` run ``n`` times, each in a fresh process: ``seconds`` is the median, ``best`` the least,
    ``runs`` all of them (this machine's speed drifts by 10-20 % over minutes), ``peak_mb`` the largest."""
    runs = [run(fn_name, *args) for _ in range(n)]
    failed = [r for r in runs if "error" in r]
    if failed:
        return failed[0]
    secs = sorted(r["seconds"] for r in runs)
    out = dict(runs[0])
    out.update(seconds=secs[len(secs) // 2], best=secs[0], runs=secs, peak_mb=max(r["peak_mb"] for r in runs))
    return out


def fmt_ratio(ours: float, theirs: float) -> str:
    return f"{theirs / ours:5.2f}x" if ours > 0 else "-"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--work", type=Path, default=None, help="Folder for the generated files (default: a temp dir).")
    ap.add_argument("--keep", action="store_true", help="Keep the generated files.")
    ap.add_argument("--json", type=Path, default=None, help="Also write the results as JSON here.")
    ap.add_argument("--only", choices=["redthread"], default=None, help="Skip the peers.")
    ap.add_argument("--repeat", type=int, default=3,
                    help="Runs of each ingest, each in a fresh process; the median is reported (and the best).")
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="rt-bench-trade-"))
    work.mkdir(parents=True, exist_ok=True)
    parquet, csv = work / "records.parquet", work / "records.csv"
    if parquet.exists() and csv.exists() and pq.read_metadata(parquet).num_rows == args.rows:
        print(f"reusing the {args.rows:,} rows in {work}", flush=True)
        buyer = str(pq.read_table(parquet, columns=["consignee"]).column("consignee")[0])
    else:
        print(f"generating {args.rows:,} rows (seed {args.seed}) in {work} ...", flush=True)
        t = time.perf_counter()
        table = generate(args.rows, args.seed)
        pq.write_table(table, parquet, compression="zstd")
        pacsv.write_csv(table, csv)
        buyer = str(table.column("consignee")[0])
        del table
        print(f"  {time.perf_counter() - t:.1f} s", flush=True)
    print(f"  Parquet {parquet.stat().st_size / 1e6:.0f} MB, CSV {csv.stat().st_size / 1e6:.0f} MB; "
          f"cores: {os.cpu_count()}; load average {os.getloadavg()[0]:.1f}", flush=True)
    peers = () if args.only else ("duckdb", "polars", "pandas")
    results: dict[str, Any] = {"rows": args.rows, "cores": os.cpu_count(), "load": os.getloadavg()[0]}
    for label, path in (("parquet", parquet), ("csv", csv)):
        ours = repeated(args.repeat, "task_ingest_redthread", str(path), str(work))
        results[f"ingest_{label}"] = {"redthread": ours}
        print(f"\ningest from {label.upper()} ({args.rows:,} rows; median and best of {args.repeat} runs)")
        print(f"  {'tool':<12}{'median s':>9}{'best s':>8}{'rows/s':>14}{'peak MB':>10}  vs redthread (median)")
        print(f"  {'redthread':<12}{ours['seconds']:9.2f}{ours['best']:8.2f}{ours['rows'] / ours['seconds']:14,.0f}"
              f"{ours['peak_mb']:10.0f}  (validation, HS, CHPL, FX, {ours['parties']:,} party keys)")
        for tool in peers:
            peer = repeated(args.repeat, "task_ingest_peer", tool, str(path), str(work))
            results[f"ingest_{label}"][tool] = peer
            if "error" in peer:
                print(f"  {tool:<12} failed: {peer['error']}")
                continue
            print(f"  {tool:<12}{peer['seconds']:9.2f}{peer['best']:8.2f}{peer['rows'] / peer['seconds']:14,.0f}"
                  f"{peer['peak_mb']:10.0f}  {fmt_ratio(ours['seconds'], peer['seconds'])} (plain load)")
    ours = run("task_query_redthread", str(work), buyer)
    results["queries"] = {"redthread": ours}
    print(f"\ngroup-by sender x receiver x HS-4 ({ours['groups']:,} groups) and one buyer's monthly series")
    print(f"  {'tool':<12}{'group-by s':>11}{'series ms':>11}{'peak MB':>10}  group-by vs redthread")
    print(f"  {'redthread':<12}{ours['groupby_seconds']:11.2f}{ours['series_seconds'] * 1000:11.1f}"
          f"{ours['peak_mb']:10.0f}  (flows top 100: {ours['top_seconds']:.2f} s)")
    for tool in peers:
        peer = run("task_query_peer", tool, str(parquet), buyer)
        results["queries"][tool] = peer
        if "error" in peer:
            print(f"  {tool:<12} failed: {peer['error']}")
            continue
        print(f"  {tool:<12}{peer['groupby_seconds']:11.2f}{peer['series_seconds'] * 1000:11.1f}"
              f"{peer['peak_mb']:10.0f}  {fmt_ratio(ours['groupby_seconds'], peer['groupby_seconds'])}")
    ing = results["ingest_parquet"]["redthread"]
    print("\ntargets: ingest >= 2,000,000 rows/s from Parquet: "
          f"{ing['rows'] / ing['seconds']:,.0f} (median; best {ing['rows'] / ing['best']:,.0f}); "
          f"group-by <= 2 s: {ours['groupby_seconds']:.2f}; "
          f"series <= 50 ms: {ours['series_seconds'] * 1000:.1f}; memory <= 4096 MB: "
          f"{max(ing['peak_mb'], ours['peak_mb']):.0f}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str))
    if not args.keep and args.work is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
