"""The engine interface: the batch analytics, written once, run on several backends.

An engine answers two questions over integer node ids:

- ``blocked``: the ownership fixed point of the 50 % rule. Seeds (sanctioned
  parties) are blocked; an asset is blocked when the stakes held directly by
  blocked owners add up to at least ``threshold`` percent (more than it, when
  ``strict``), or, when control links are given, when a blocked party
  controls it; blocked assets count as blocked owners in turn, until nothing
  changes.
- ``exposure``: a multi-source search from the seeds over undirected weighted
  links, up to ``max_hops``: for each node reached, the fewest hops to a seed
  and the strongest tie (the largest product of link weights over walks of at
  most ``max_hops`` links).

:class:`SQLEngine` implements both once, in SQL written in DuckDB's dialect and
transpiled by sqlglot for the backend (splink's pattern: a few primitives per
backend, one algorithm). :class:`redthread.engines.memory.MemoryEngine` is a
vectorised numpy implementation of the same contract.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import sqlglot


@dataclass
class BlockedResult:
    """Blocked node ids (seeds excluded, in no particular order) and the round each was blocked in."""

    def sorted(self) -> BlockedResult:
        """The same result ordered by node id (for comparing engines)."""
        order = np.argsort(self.ids, kind="stable")
        return BlockedResult(self.ids[order], self.rounds[order])

    ids: np.ndarray
    rounds: np.ndarray


@dataclass
class ExposureResult:
    """Every node reached (seeds included, with 0 hops and strength 1), in no particular order."""

    def sorted(self) -> ExposureResult:
        """The same result ordered by node id (for comparing engines)."""
        order = np.argsort(self.ids, kind="stable")
        return ExposureResult(self.ids[order], self.hops[order], self.strength[order])

    ids: np.ndarray
    hops: np.ndarray
    strength: np.ndarray


class Engine(abc.ABC):
    """One backend for the batch analytics."""

    name: str = ""

    @abc.abstractmethod
    def blocked(
        self,
        owner: np.ndarray,
        asset: np.ndarray,
        pct: np.ndarray,
        seeds: np.ndarray,
        *,
        threshold: float = 50.0,
        strict: bool = False,
        controller: np.ndarray | None = None,
        controlled: np.ndarray | None = None,
    ) -> BlockedResult:
        """The 50 % rule fixed point (see the module docstring)."""

    @abc.abstractmethod
    def exposure(
        self, src: np.ndarray, dst: np.ndarray, weight: np.ndarray, seeds: np.ndarray, max_hops: int = 3
    ) -> ExposureResult:
        """Hops and strongest tie from the nearest seed, links taken both ways."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release the backend's resources."""

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class SQLEngine(Engine):
    """The algorithms as SQL; a backend supplies the primitives below.

    Inputs are loaded once per engine: passing the same arrays again (the
    same objects, treated as immutable) reuses the loaded tables, so a graph
    held in memory is copied into the backend once, not once per question.
    """

    #: sqlglot dialect the SQL is transpiled to.
    dialect: str = "duckdb"

    def __init__(self) -> None:
        self._inputs: dict[str, tuple[Any, ...]] = {}

    @abc.abstractmethod
    def load(self, name: str, table: pa.Table) -> None:
        """Make ``table`` queryable as ``name``."""

    @abc.abstractmethod
    def materialize(self, name: str, sql: str, count: bool = False) -> int:
        """Compute ``sql`` (backend dialect) into table ``name``.

        Returns the row count when ``count`` is true (else 0); a lazy backend
        may defer the work until a count or fetch needs it.
        """

    @abc.abstractmethod
    def fetch(self, sql: str) -> pa.Table:
        """Run ``sql`` (backend dialect) and return the result."""

    @abc.abstractmethod
    def drop(self, name: str) -> None:
        """Forget table ``name``."""

    def fixpoint(self, columns: str, key: str, seed: str, step: str, result: str) -> pa.Table:
        """Iterate ``step`` from ``seed`` over a keyed state until a step yields no rows.

        The state holds one row per ``key`` (columns ``columns``). ``step``
        reads ``{work}`` (the rows the previous iteration yielded; the seed
        rows at first) and ``{state}`` (every key's latest row) and yields at
        most one row per key; its rows replace the state's rows with the same
        key. ``result`` then selects from ``{state}``. These are the semantics
        of DuckDB's ``WITH RECURSIVE ... USING KEY``; this default runs one
        statement per iteration on any backend, and a backend with keyed
        recursion overrides it with one statement. All SQL in DuckDB dialect.
        """
        self._mat("rt_fx_state0", seed)
        self._mat("rt_fx_work0", "SELECT * FROM rt_fx_state0")
        i = 0
        while True:
            i += 1
            n = self._mat(f"rt_fx_work{i}", step.format(work=f"rt_fx_work{i - 1}", state=f"rt_fx_state{i - 1}"),
                          count=True)
            self.drop(f"rt_fx_work{i - 1}")
            if n == 0:
                break
            self._mat(f"rt_fx_state{i}", f"SELECT * FROM rt_fx_state{i - 1} AS s WHERE NOT EXISTS "
                      f"(SELECT 1 FROM rt_fx_work{i} AS w WHERE w.{key} = s.{key}) "
                      f"UNION ALL SELECT * FROM rt_fx_work{i}")
            self.drop(f"rt_fx_state{i - 1}")
        try:
            return self.fetch(self.sql(result.format(state=f"rt_fx_state{i - 1}")))
        finally:
            self.drop(f"rt_fx_state{i - 1}")
            self.drop(f"rt_fx_work{i}")

    def sql(self, query: str) -> str:
        """``query`` (DuckDB dialect) in this backend's dialect."""
        if self.dialect == "duckdb":
            return query
        return str(sqlglot.transpile(query, read="duckdb", write=self.dialect)[0])

    def _mat(self, name: str, query: str, count: bool = False) -> int:
        return self.materialize(name, self.sql(query), count)

    def _load_once(self, name: str, columns: dict[str, tuple[np.ndarray, pa.DataType]],
                   derive: Any = None) -> None:
        """Load ``columns`` as ``name`` unless these very arrays are loaded already.

        ``derive`` (optional) turns the arrays into the table to load (for
        tables built from the inputs, like both directions of a link).
        """
        arrays = tuple(a for a, _ in columns.values())
        if name in self._inputs and len(self._inputs[name]) == len(arrays) and all(
                a is b for a, b in zip(self._inputs[name], arrays, strict=True)):
            return
        if derive is not None:
            table = derive(*arrays)
        else:
            table = pa.table({col: pa.array(np.asarray(a), t) for col, (a, t) in columns.items()})
        self.load(name, table)
        self._inputs[name] = arrays

    def _forget(self, name: str) -> None:
        self._inputs.pop(name, None)
        self.drop(name)

    def close(self) -> None:
        for name in list(self._inputs):
            self._forget(name)

    # -- the 50 % rule ---------------------------------------------------------
    def blocked(
        self,
        owner: np.ndarray,
        asset: np.ndarray,
        pct: np.ndarray,
        seeds: np.ndarray,
        *,
        threshold: float = 50.0,
        strict: bool = False,
        controller: np.ndarray | None = None,
        controlled: np.ndarray | None = None,
    ) -> BlockedResult:
        self._load_once("rt_own", {"owner": (owner, pa.int64()), "asset": (asset, pa.int64()),
                                   "pct": (pct, pa.float64())})
        has_control = controller is not None and controlled is not None and len(controller) > 0
        if has_control:
            assert controller is not None and controlled is not None
            self._load_once("rt_ctl", {"controller": (controller, pa.int64()),
                                       "controlled": (controlled, pa.int64())})
        seed_ids = np.unique(np.asarray(seeds, dtype=np.int64))
        self.load("rt_seed", pa.table({"id": pa.array(seed_ids, pa.int64())}))
        cmp = ">" if strict else ">="
        # State per party: the share held by blocked owners so far, the round
        # it was blocked in (NULL: not blocked) and the iteration that wrote
        # the row. Each step expands only the parties blocked in the previous
        # one (``rnd = it``): their full direct stakes are added to each
        # asset's share, and control links block outright.
        hits = ("SELECT o.asset AS id, o.pct AS d, 0 AS ctl, w.it + 1 AS it FROM rt_own AS o "
                "JOIN {work} AS w ON o.owner = w.id WHERE w.rnd = w.it")
        if has_control:
            hits += (" UNION ALL SELECT c.controlled AS id, CAST(0.0 AS DOUBLE) AS d, 1 AS ctl, w.it + 1 AS it "
                     "FROM rt_ctl AS c JOIN {work} AS w ON c.controller = w.id WHERE w.rnd = w.it")
        total = "COALESCE(s.share, 0.0) + d.d"
        step = (f"WITH hit AS ({hits}), "
                "delta AS (SELECT id, SUM(d) AS d, MAX(ctl) AS ctl, MAX(it) AS it FROM hit GROUP BY id) "
                f"SELECT d.id AS id, {total} AS share, "
                f"CASE WHEN s.rnd IS NOT NULL THEN s.rnd WHEN d.ctl = 1 OR {total} {cmp} {float(threshold)!r} "
                "THEN d.it END AS rnd, d.it AS it "
                "FROM delta AS d LEFT JOIN {state} AS s ON d.id = s.id")
        out = self.fixpoint("id, share, rnd, it", "id",
                            "SELECT id, CAST(0.0 AS DOUBLE) AS share, 0 AS rnd, 0 AS it FROM rt_seed",
                            step, "SELECT id, rnd FROM {state} WHERE rnd > 0")
        self.drop("rt_seed")
        return BlockedResult(out.column("id").to_numpy().astype(np.int64),
                             out.column("rnd").to_numpy().astype(np.int64))

    # -- exposure ----------------------------------------------------------------
    def exposure(
        self, src: np.ndarray, dst: np.ndarray, weight: np.ndarray, seeds: np.ndarray, max_hops: int = 3
    ) -> ExposureResult:
        def both_ways(s: np.ndarray, d: np.ndarray, w: np.ndarray) -> pa.Table:
            return pa.table({"src": np.concatenate([s, d]).astype(np.int64),
                             "dst": np.concatenate([d, s]).astype(np.int64),
                             "w": np.concatenate([w, w]).astype(np.float64)})

        self._load_once("rt_edge", {"src": (src, pa.int64()), "dst": (dst, pa.int64()),
                                    "w": (weight, pa.float64())}, derive=both_ways)
        seed_ids = np.unique(np.asarray(seeds, dtype=np.int64))
        self.load("rt_seed", pa.table({"id": pa.array(seed_ids, pa.int64())}))
        # Walks of exactly k links, k = 0..max_hops, as a chain of CTEs: the
        # strongest k-walk to each node is the best (k-1)-walk times the link.
        # A node's hops is the least k that reaches it, its strength the best
        # over every k — one statement, no recursion, any SQL backend.
        ctes = ["rt_w0 AS (SELECT id, CAST(1.0 AS DOUBLE) AS s FROM rt_seed)"]
        for k in range(1, max_hops + 1):
            ctes.append(f"rt_w{k} AS (SELECT e.dst AS id, MAX(p.s * e.w) AS s FROM rt_edge AS e "
                        f"JOIN rt_w{k - 1} AS p ON e.src = p.id GROUP BY e.dst)")
        walks = " UNION ALL ".join(f"SELECT id, {k} AS hops, s FROM rt_w{k}" for k in range(max_hops + 1))
        out = self.fetch(self.sql("WITH " + ", ".join(ctes) + " SELECT id, MIN(hops) AS hops, MAX(s) AS strength "
                                  f"FROM ({walks}) AS u GROUP BY id"))
        self.drop("rt_seed")
        return ExposureResult(out.column("id").to_numpy().astype(np.int64),
                              out.column("hops").to_numpy().astype(np.int64),
                              out.column("strength").to_numpy().astype(np.float64))
