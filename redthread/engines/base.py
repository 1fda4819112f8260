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
transpiled by sqlglot for the backend (splink's pattern: four primitives per
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
    """Blocked node ids (seeds excluded) and the round each was blocked in."""

    ids: np.ndarray
    rounds: np.ndarray


@dataclass
class ExposureResult:
    """Every node reached (seeds included, with 0 hops and strength 1)."""

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
    """The algorithms as SQL; a backend supplies the four primitives below."""

    #: sqlglot dialect the SQL is transpiled to.
    dialect: str = "duckdb"

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

    def sql(self, query: str) -> str:
        """``query`` (DuckDB dialect) in this backend's dialect."""
        if self.dialect == "duckdb":
            return query
        return str(sqlglot.transpile(query, read="duckdb", write=self.dialect)[0])

    def _mat(self, name: str, query: str, count: bool = False) -> int:
        return self.materialize(name, self.sql(query), count)

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
        self.load("rt_own", pa.table({"owner": pa.array(owner, pa.int64()), "asset": pa.array(asset, pa.int64()),
                                      "pct": pa.array(pct, pa.float64())}))
        has_control = controller is not None and controlled is not None and len(controller) > 0
        if has_control:
            assert controller is not None and controlled is not None
            self.load("rt_ctl", pa.table({"controller": pa.array(controller, pa.int64()),
                                          "controlled": pa.array(controlled, pa.int64())}))
        seed_ids = np.unique(np.asarray(seeds, dtype=np.int64))
        self.load("rt_seed", pa.table({"id": pa.array(seed_ids, pa.int64())}))
        cmp = ">" if strict else ">="
        # Tables are versioned by round (rt_blk3 is built from rt_blk2) so no
        # statement reads the table it replaces.
        self._mat("rt_blk0", "SELECT id, 0 AS round FROM rt_seed")
        self._mat("rt_new0", "SELECT id FROM rt_seed")
        self._mat("rt_acc0", "SELECT asset, pct AS share FROM rt_own WHERE 1 = 0")
        rnd = 0
        while True:
            rnd += 1
            prev = rnd - 1
            # Stakes newly held by the owners blocked last round ...
            delta = (f"WITH delta AS (SELECT o.asset, SUM(o.pct) AS share FROM rt_own AS o "
                     f"JOIN rt_new{prev} AS f ON o.owner = f.id GROUP BY o.asset) ")
            # ... added to each asset's running share.
            self._mat(f"rt_acc{rnd}", delta + "SELECT asset, SUM(share) AS share FROM "
                      f"(SELECT asset, share FROM rt_acc{prev} UNION ALL SELECT asset, share FROM delta) AS u "
                      "GROUP BY asset")
            candidates = (f"SELECT a.asset AS id FROM rt_acc{rnd} AS a JOIN delta AS d "
                          f"ON a.asset = d.asset WHERE a.share {cmp} {float(threshold)!r}")
            if has_control:
                candidates += (f" UNION SELECT c.controlled AS id FROM rt_ctl AS c "
                               f"JOIN rt_new{prev} AS f ON c.controller = f.id")
            n = self._mat(f"rt_new{rnd}", delta + f"SELECT DISTINCT c.id FROM ({candidates}) AS c "
                          f"LEFT JOIN rt_blk{prev} AS b ON c.id = b.id WHERE b.id IS NULL", count=True)
            for old in (f"rt_acc{prev}", f"rt_new{prev}"):
                self.drop(old)
            if n == 0:
                break
            self._mat(f"rt_blk{rnd}", f"SELECT id, round FROM rt_blk{prev} "
                      f"UNION ALL SELECT id, {rnd} AS round FROM rt_new{rnd}")
            self.drop(f"rt_blk{prev}")
        out = self.fetch(self.sql(f"SELECT id, round FROM rt_blk{rnd - 1} WHERE round > 0 ORDER BY id"))
        for name in ("rt_own", "rt_ctl", "rt_seed", f"rt_blk{rnd - 1}", f"rt_acc{rnd}", f"rt_new{rnd}"):
            self.drop(name)
        return BlockedResult(out.column("id").to_numpy().astype(np.int64),
                             out.column("round").to_numpy().astype(np.int64))

    # -- exposure ----------------------------------------------------------------
    def exposure(
        self, src: np.ndarray, dst: np.ndarray, weight: np.ndarray, seeds: np.ndarray, max_hops: int = 3
    ) -> ExposureResult:
        both_src = np.concatenate([src, dst]).astype(np.int64)
        both_dst = np.concatenate([dst, src]).astype(np.int64)
        both_w = np.concatenate([weight, weight]).astype(np.float64)
        self.load("rt_edge", pa.table({"src": both_src, "dst": both_dst, "w": both_w}))
        seed_ids = np.unique(np.asarray(seeds, dtype=np.int64))
        self.load("rt_seed", pa.table({"id": pa.array(seed_ids, pa.int64())}))
        self._mat("rt_dist0", "SELECT id, 0 AS hops, CAST(1.0 AS DOUBLE) AS strength FROM rt_seed")
        self._mat("rt_chg0", "SELECT id, hops, strength FROM rt_dist0")
        step = 0
        for step in range(1, max_hops + 1):
            prev = step - 1
            # Only nodes whose distance or strength changed can improve their neighbours.
            self._mat(f"rt_dist{step}", "WITH cand AS (SELECT e.dst AS id, MIN(c.hops) + 1 AS hops, "
                      f"MAX(c.strength * e.w) AS strength FROM rt_edge AS e JOIN rt_chg{prev} AS c "
                      "ON e.src = c.id GROUP BY e.dst) "
                      "SELECT id, MIN(hops) AS hops, MAX(strength) AS strength FROM "
                      f"(SELECT id, hops, strength FROM rt_dist{prev} UNION ALL "
                      "SELECT id, hops, strength FROM cand) AS u GROUP BY id")
            n = self._mat(f"rt_chg{step}", f"SELECT n.id, n.hops, n.strength FROM rt_dist{step} AS n "
                          f"LEFT JOIN rt_dist{prev} AS o ON n.id = o.id "
                          "WHERE o.id IS NULL OR n.strength > o.strength", count=True)
            for old in (f"rt_chg{prev}", f"rt_dist{prev}"):
                self.drop(old)
            if n == 0:
                break
        out = self.fetch(self.sql(f"SELECT id, hops, strength FROM rt_dist{step} ORDER BY id"))
        for name in ("rt_edge", "rt_seed", f"rt_dist{step}", f"rt_chg{step}"):
            self.drop(name)
        return ExposureResult(out.column("id").to_numpy().astype(np.int64),
                              out.column("hops").to_numpy().astype(np.int64),
                              out.column("strength").to_numpy().astype(np.float64))
