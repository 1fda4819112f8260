"""The in-memory engine: the same contract as the SQL engines, vectorised with numpy.

Both algorithms walk a frontier: only nodes that changed in the last round
are expanded, through a CSR index (links sorted by their start node), so a
round costs time proportional to the links it touches, not the whole graph.
"""

from __future__ import annotations

import numpy as np

from redthread.engines.base import BlockedResult, Engine, ExposureResult
from redthread.engines.registry import register


class CSR:
    """Links sorted by start node: ``targets[indptr[u]:indptr[u + 1]]`` are u's."""

    def __init__(self, start: np.ndarray, end: np.ndarray, values: np.ndarray, n: int) -> None:
        order = np.argsort(start, kind="stable")
        self.targets = end[order]
        self.values = values[order]
        counts = np.bincount(start, minlength=n)
        self.degree = counts
        self.indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(counts, out=self.indptr[1:])

    def select(self, nodes: np.ndarray) -> np.ndarray:
        """Positions (into ``targets``/``values``) of every link leaving ``nodes``."""
        starts = self.indptr[nodes]
        lengths = self.indptr[nodes + 1] - starts
        total = int(lengths.sum())
        if total == 0:
            return np.empty(0, dtype=np.int64)
        # positions = concatenation of arange(start, start + length) per node, vectorised.
        offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
        return offsets + np.arange(total, dtype=np.int64)


class MemoryEngine(Engine):
    """numpy on one machine: the fastest choice when the graph fits in memory."""

    name = "memory"

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
        n: int | None = None,
        csr: CSR | None = None,
    ) -> BlockedResult:
        """See :meth:`Engine.blocked`; ``n`` (node count) and a prebuilt ``csr`` save work."""
        seeds = np.unique(np.asarray(seeds, dtype=np.int64))
        if n is None:
            parts = [owner, asset, seeds]
            if controller is not None and controlled is not None:
                parts += [controller, controlled]
            n = int(max((int(p.max()) for p in parts if len(p)), default=-1)) + 1
        own = csr or CSR(owner, asset, pct, n)
        ctl = CSR(controller, controlled, np.zeros(len(controller)), n) \
            if controller is not None and controlled is not None and len(controller) else None
        blocked = np.zeros(n, dtype=bool)
        blocked[seeds] = True
        rounds = np.zeros(n, dtype=np.int64)
        share = np.zeros(n, dtype=np.float64)
        frontier = seeds
        rnd = 0
        while frontier.size:
            rnd += 1
            pos = own.select(frontier)
            targets = own.targets[pos]
            if pos.size < 4096:
                np.add.at(share, targets, own.values[pos])
            else:
                _add_bincount(share, targets, own.values[pos])
            touched = _distinct(targets, n)
            ok = share[touched] > threshold if strict else share[touched] >= threshold
            new = touched[ok & ~blocked[touched]]
            if ctl is not None:
                cpos = ctl.select(frontier)
                new = np.union1d(new, ctl.targets[cpos][~blocked[ctl.targets[cpos]]])
            blocked[new] = True
            rounds[new] = rnd
            frontier = new
        ids = np.flatnonzero(rounds > 0)
        return BlockedResult(ids.astype(np.int64), rounds[ids])

    def exposure(
        self, src: np.ndarray, dst: np.ndarray, weight: np.ndarray, seeds: np.ndarray, max_hops: int = 3,
        n: int | None = None, csr: CSR | None = None,
    ) -> ExposureResult:
        """See :meth:`Engine.exposure`; ``n`` (node count) and a prebuilt ``csr`` save work."""
        seeds = np.unique(np.asarray(seeds, dtype=np.int64))
        if n is None:
            n = int(max(int(src.max()) if len(src) else -1, int(dst.max()) if len(dst) else -1,
                        int(seeds.max()) if len(seeds) else -1)) + 1
        adj = csr or CSR(np.concatenate([src, dst]), np.concatenate([dst, src]),
                         np.concatenate([weight, weight]).astype(np.float64), n)
        hops = np.full(n, -1, dtype=np.int64)
        strength = np.zeros(n, dtype=np.float64)
        hops[seeds] = 0
        strength[seeds] = 1.0
        changed = seeds
        for step in range(1, max_hops + 1):
            if changed.size == 0:
                break
            pos = adj.select(changed)
            targets = adj.targets[pos]
            cand = np.repeat(strength[changed], adj.degree[changed]) * adj.values[pos]
            best = np.zeros(n, dtype=np.float64)
            np.maximum.at(best, targets, cand)  # numpy >= 2 runs this in a fast loop
            touched = _distinct(targets, n)
            newly = touched[hops[touched] < 0]
            hops[newly] = step
            improved = touched[best[touched] > strength[touched]]
            strength[improved] = best[improved]
            changed = improved
        ids = np.flatnonzero(hops >= 0)
        return ExposureResult(ids.astype(np.int64), hops[ids], strength[ids])


def _add_bincount(acc: np.ndarray, idx: np.ndarray, values: np.ndarray) -> None:
    acc += np.bincount(idx, weights=values, minlength=acc.shape[0])


def _distinct(idx: np.ndarray, n: int) -> np.ndarray:
    """The distinct values of ``idx`` (node ids below ``n``), sorted, without sorting ``idx``."""
    if idx.size < n // 64:
        return np.unique(idx)
    seen = np.zeros(n, dtype=bool)
    seen[idx] = True
    return np.flatnonzero(seen)


register("memory", MemoryEngine)
