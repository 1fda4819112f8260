"""Who owns whom: effective ownership through chains, and the 50 % rule.

Effective ownership multiplies percentages along a chain and sums over
chains (each chain a simple path, so cycles cannot inflate a share).

The **50 % rule** (OFAC, US variant): an entity is blocked when the stakes
held *directly* by blocked persons add up to 50 % or more. Each blocked
owner counts with its full direct stake (not multiplied down a chain);
entities blocked this way count as blocked owners in turn, to a fixed point.
The **EU variant** blocks at *more than* 50 %, and also blocks entities
controlled by a blocked party. Sanctioned parties are those with a Sanction
from the chosen authority (see :mod:`redthread.analyze.sanctions`).

When one owner → asset stake is stated by several sources (or twice), it
counts once, with the largest stated percentage.

Indirect holdings ("directly or indirectly"): a stake published only as an
indirect interest, with no chain of direct stakes from holder to entity in
the graph, counts as the holder's stake; when the chain is there, the chain
counts and the stated indirect stake does not (no double count).
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass

import numpy as np

from redthread.analyze.graph import JOINT_MARK, KIND, Graph, load_graph, parse_percentage
from redthread.engines import Engine, get_engine
from redthread.engines.memory import CSR, MemoryEngine
from redthread.errors import NotFound, RedthreadError
from redthread.model.analysis import (
    Blocked,
    BlockedBounds,
    BlockedOwner,
    BoundedOwner,
    EffectiveOwner,
    IndirectInterest,
    JointHolder,
    NamedRef,
    OwnershipChild,
    OwnershipNode,
    OwnershipTree,
)
from redthread.model.records import Link
from redthread.store import Store


@dataclass(frozen=True)
class Variant:
    """One legal reading of "owned or controlled"."""

    name: str
    threshold: float
    strict: bool
    control: bool
    description: str


VARIANTS: dict[str, Variant] = {
    "us": Variant("us", 50.0, False, False,
                  "OFAC 50 % rule: blocked owners' direct stakes add up to 50 % or more"),
    "eu": Variant("eu", 50.0, True, True,
                  "EU: blocked owners hold more than 50 %, or a blocked party controls it"),
}


def get_variant(name: str) -> Variant:
    """The variant called ``name`` (``us`` or ``eu``)."""
    try:
        return VARIANTS[name.lower()]
    except KeyError:
        raise RedthreadError(f"unknown variant {name!r}: use one of {', '.join(VARIANTS)}") from None


def ownership_links(graph: Graph) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Deduplicated stakes: (owner, asset, pct, link index), one per owner → asset pair.

    Links without a stated percentage are left out (an unknown stake cannot
    count toward a threshold).
    """
    cached = graph.cache.get("ownership")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    sel = np.flatnonzero(_counted(graph) & ~np.isnan(graph.pct))
    owner, asset, pct = graph.src[sel], graph.dst[sel], graph.pct[sel]
    if sel.size:
        key = owner * graph.n_nodes + asset
        # Largest percentage first within each pair, then keep the first of each pair.
        order = np.lexsort((-pct, key))
        key_s = key[order]
        first = np.ones(key_s.shape[0], dtype=bool)
        first[1:] = key_s[1:] != key_s[:-1]
        keep = order[first]
        result = (owner[keep], asset[keep], pct[keep], sel[keep])
    else:
        empty = np.empty(0, dtype=np.int64)
        result = (empty, empty, np.empty(0, dtype=np.float64), empty)
    graph.cache["ownership"] = result
    return result


def indirect_only(graph: Graph) -> np.ndarray:
    """Indirect holdings (``IndirectOwnership`` link indices) with no chain of direct stakes behind them.

    OFAC counts ownership "directly or indirectly". When the graph holds a
    chain of direct Ownership links from the holder to the entity through at
    least one intermediary, the chain carries the holding and the stated
    indirect stake is left out (counting both would count it twice). When the
    source published only the indirect stake, that stake is all there is, so
    it counts as the holder's stake in the entity.
    """
    cached = graph.cache.get("indirect_only")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    indirect = np.flatnonzero(graph.kind == KIND["IndirectOwnership"])
    down: dict[int, list[tuple[int, int]]] = {}
    if indirect.size:
        for j in np.flatnonzero(graph.kind == KIND["Ownership"]).tolist():
            down.setdefault(int(graph.src[j]), []).append((int(graph.dst[j]), j))
    keep = [j for j in indirect.tolist() if path_through(down, int(graph.src[j]), int(graph.dst[j])) is None]
    result = np.array(keep, dtype=np.int64)
    graph.cache["indirect_only"] = result
    return result


def path_through(down: dict[int, list[tuple[int, int]]], holder: int, entity: int,
                 max_hops: int | None = None) -> list[int] | None:
    """The shortest path of links from ``holder`` down to ``entity`` through at least one intermediary
    (breadth first), as link indices in order; None when there is none (within ``max_hops`` links).

    ``down`` maps a node to its (target, link index) pairs. An indirect interest is held through
    someone else, so the direct link ``holder → entity`` itself is never the path.
    """
    back: dict[int, tuple[int, int]] = {holder: (-1, -1)}  # node -> (the node before it, the link)
    frontier = [holder]
    hops = 0
    while frontier and (max_hops is None or hops < max_hops):
        hops += 1
        nxt: list[int] = []
        for n in frontier:
            for t, j in down.get(n, []):
                if t not in back and not (n == holder and t == entity):
                    back[t] = (n, j)
                    nxt.append(t)
        if entity in back:
            path: list[int] = []
            at = entity
            while back[at][0] != -1:
                at, j = back[at]
                path.append(j)
            return path[::-1]
        frontier = nxt
    return None


def _counted(graph: Graph) -> np.ndarray:
    """Mask of links that count as stakes: direct Ownership, and indirect holdings without a chain."""
    mask: np.ndarray = graph.kind == KIND["Ownership"]
    mask[indirect_only(graph)] = True
    return mask


def _is_indirect(graph: Graph, j: int) -> bool:
    return bool(graph.kind[j] == KIND["IndirectOwnership"])


def _joint_in(graph: Graph) -> dict[int, list[int]]:
    """Joint holdings: holding node → its joint holders' Ownership links (role marked ``(joint)``)."""
    cached = graph.cache.get("joint_in")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    found: dict[int, list[int]] = {}
    for j in np.flatnonzero(graph.kind == KIND["Ownership"]).tolist():
        if JOINT_MARK in graph.link_labels[j]:
            found.setdefault(int(graph.dst[j]), []).append(j)
    graph.cache["joint_in"] = found
    return found


def _joint_holders(graph: Graph, node: int, mask: np.ndarray, sanctioned: np.ndarray) -> list[JointHolder]:
    """When ``node`` is a joint holding, its co-holders (else none), each with its link and evidence,
    so the 50 % rule reports a joint stake as held together."""
    out: list[JointHolder] = []
    for j in _joint_in(graph).get(node, []):
        h = int(graph.src[j])
        out.append({"id": graph.ids[h], "name": graph.caption[h], "sanctioned": bool(sanctioned[h]),
                    "blocked": bool(mask[h]), "link": graph.link(j)})
    return sorted(out, key=lambda o: (o["name"], o["id"]))


def _engine(engine: str | Engine | None) -> Engine:
    return engine if isinstance(engine, Engine) else get_engine(engine)


def blocked_mask(
    graph: Graph, authority: str | None = "OFAC", variant_name: str = "us", engine: str | Engine | None = None
) -> np.ndarray:
    """Boolean mask of nodes that are sanctioned or blocked by the rule's fixed point."""
    mask, _ = _fixed_point(graph, authority, variant_name, engine)
    return mask


def _fixed_point(
    graph: Graph, authority: str | None, variant_name: str, engine: str | Engine | None
) -> tuple[np.ndarray, np.ndarray]:
    key = ("blocked", authority, variant_name)
    if key in graph.cache:
        return graph.cache[key]  # type: ignore[no-any-return]
    var = get_variant(variant_name)
    owner, asset, pct, _ = ownership_links(graph)
    mask, rounds = _run_rule(graph, owner, asset, pct, graph.sanctioned(authority), var, engine, "ownership_csr")
    graph.cache[key] = (mask, rounds)
    return mask, rounds


def _run_rule(graph: Graph, owner: np.ndarray, asset: np.ndarray, pct: np.ndarray, sanctioned: np.ndarray,
              var: Variant, engine: str | Engine | None, csr_key: str) -> tuple[np.ndarray, np.ndarray]:
    """The fixed point over the given stakes: (blocked-or-sanctioned mask, rounds). The memory engine's
    owner-sorted index of these stakes is built once per graph, cached under ``csr_key``."""
    controller = controlled = None
    if var.control:
        cm = graph.kind == KIND["Control"]
        controller, controlled = graph.src[cm], graph.dst[cm]
    eng = _engine(engine)
    try:
        seeds = np.flatnonzero(sanctioned)
        if isinstance(eng, MemoryEngine):
            if csr_key not in graph.cache:
                graph.cache[csr_key] = CSR(owner, asset, pct, graph.n_nodes)
            result = eng.blocked(owner, asset, pct, seeds, threshold=var.threshold, strict=var.strict,
                                 controller=controller, controlled=controlled, n=graph.n_nodes,
                                 csr=graph.cache[csr_key])
        else:
            result = eng.blocked(owner, asset, pct, seeds, threshold=var.threshold, strict=var.strict,
                                 controller=controller, controlled=controlled)
    finally:
        if not isinstance(engine, Engine):
            eng.close()
    mask = sanctioned.copy()
    mask[result.ids] = True
    rounds = np.zeros(graph.n_nodes, dtype=np.int64)
    rounds[result.ids] = result.rounds
    return mask, rounds


def _link_brief(graph: Graph, j: int) -> Link:
    return graph.link(j)


def blocked(
    store: Store,
    authority: str | None = "OFAC",
    variant: str = "us",
    *,
    engine: str | Engine | None = None,
    graph: Graph | None = None,
) -> list[Blocked]:
    """Entities blocked by operation of law (not themselves sanctioned), by name.

    Each item: ``id``, ``name``, ``schema``, ``blocked_share`` (aggregate
    percentage held directly by blocked owners), ``owners`` (the blocked
    owners with their stakes), ``controllers`` (EU variant), ``round`` (how
    many steps from a sanctioned party), ``sanctioned_roots`` and ``chain``:
    the ownership (and control) links from the sanctioned parties down to the
    entity, each with its evidence. A stake published only as an indirect
    holding (no chain of direct links behind it, see :func:`indirect_only`)
    counts as that holder's stake: its owner is marked ``indirect: true`` and
    ``via_indirect`` lists those links with their evidence (empty otherwise).
    An owner that is a joint holding (BODS arrangement) lists its ``joint_holders``
    (each with ``sanctioned``, ``blocked`` and its link with evidence); its stake
    counts once, however many of them are blocked. Other owners have none.
    """
    graph = graph or load_graph(store)
    var = get_variant(variant)
    mask, rounds = _fixed_point(graph, authority, var.name, engine)
    sanctioned = graph.sanctioned(authority)
    owner, asset, pct, link_idx = ownership_links(graph)
    into: dict[int, list[int]] = {}
    for k, a in enumerate(asset.tolist()):
        into.setdefault(a, []).append(k)
    ctl_into: dict[int, list[int]] = {}
    if var.control:
        for j in np.flatnonzero(graph.kind == KIND["Control"]).tolist():
            ctl_into.setdefault(int(graph.dst[j]), []).append(j)
    out: list[Blocked] = []
    for i in np.flatnonzero(mask & ~sanctioned).tolist():
        owners: list[BlockedOwner] = []
        via_indirect: list[Link] = []
        share = 0.0
        for k in into.get(i, []):
            o = int(owner[k])
            if mask[o]:
                share += float(pct[k])
                j = int(link_idx[k])
                stake: BlockedOwner = {"id": graph.ids[o], "name": graph.caption[o], "share": float(pct[k]),
                                       "sanctioned": bool(sanctioned[o]), "indirect": _is_indirect(graph, j)}
                if joint := _joint_holders(graph, o, mask, sanctioned):
                    stake["joint_holders"] = joint
                owners.append(stake)
                if _is_indirect(graph, j):
                    via_indirect.append(graph.link(j))
        controllers: list[NamedRef] = [
            {"id": graph.ids[int(graph.src[j])], "name": graph.caption[int(graph.src[j])]}
            for j in ctl_into.get(i, []) if mask[int(graph.src[j])]
        ]
        chain, roots = _chain(graph, i, mask, sanctioned, into, owner, link_idx, ctl_into)
        out.append({
            "id": graph.ids[i],
            "name": graph.caption[i],
            "schema": graph.schema[i],
            "blocked_share": round(min(share, 100.0), 6),
            "variant": var.name,
            "authority": authority,
            "round": int(rounds[i]),
            "owners": sorted(owners, key=lambda o: (-o["share"], o["name"])),
            "controllers": controllers,
            "sanctioned_roots": [{"id": graph.ids[r], "name": graph.caption[r],
                                  "sanctions": graph.sanctions.get(r, [])} for r in roots],
            "chain": chain,
            "via_indirect": via_indirect,
        })
    out.sort(key=lambda e: (e["name"].lower(), e["id"]))
    return out


def _chain(
    graph: Graph, i: int, mask: np.ndarray, sanctioned: np.ndarray, into: dict[int, list[int]],
    owner: np.ndarray, link_idx: np.ndarray, ctl_into: dict[int, list[int]],
) -> tuple[list[Link], list[int]]:
    """Links from blocked owners into ``i``, walked up to the sanctioned parties."""
    links: list[Link] = []
    seen_links: set[int] = set()
    roots: list[int] = []
    queue = deque([i])
    visited = {i}
    while queue:
        node = queue.popleft()
        if sanctioned[node]:
            roots.append(node)
            continue
        ups = [(int(owner[k]), int(link_idx[k])) for k in into.get(node, [])]
        ups += [(int(graph.src[j]), j) for j in ctl_into.get(node, [])]
        for up, j in ups:
            if not mask[up] or j in seen_links:
                continue
            seen_links.add(j)
            links.append(graph.link(j))
            if up not in visited:
                visited.add(up)
                queue.append(up)
    return links, sorted(roots, key=lambda r: graph.ids[r])


def effective_owners(graph: Graph, node: int, max_depth: int = 12) -> list[EffectiveOwner]:
    """Everyone owning ``node`` directly or through chains, with effective shares.

    The effective share sums, over every simple ownership path, the product
    of the percentages along it. Owners with nobody above them are the
    ultimate beneficial owners (``ultimate: true``). Each owner lists its
    chains (lists of link ids, from the owner down).
    """
    owner, asset, pct, link_idx = ownership_links(graph)
    into: dict[int, list[int]] = {}
    for k, a in enumerate(asset.tolist()):
        into.setdefault(a, []).append(k)
    totals: dict[int, float] = {}
    chains: dict[int, list[list[str]]] = {}

    def walk(current: int, factor: float, path: list[int], on_path: set[int]) -> None:
        if len(path) >= max_depth:
            return
        for k in into.get(current, []):
            up = int(owner[k])
            if up in on_path:
                continue  # a cycle: this path would count a stake twice
            f = factor * float(pct[k]) / 100.0
            totals[up] = totals.get(up, 0.0) + f
            new_path = [int(link_idx[k]), *path]
            chains.setdefault(up, []).append([graph.link_ids[j] for j in new_path])
            walk(up, f, new_path, on_path | {up})

    walk(node, 1.0, [], {node})
    out: list[EffectiveOwner] = []
    for up, share in totals.items():
        out.append({
            "id": graph.ids[up], "name": graph.caption[up], "schema": graph.schema[up],
            "effective_share": round(min(share * 100.0, 100.0), 6),
            "ultimate": up not in into,
            "chains": chains[up],
        })
    out.sort(key=lambda o: (-o["effective_share"], o["name"]))
    return out


def owners_tree(
    store: Store, entity_id: str, *, depth: int = 6, authority: str | None = "OFAC",
    graph: Graph | None = None,
) -> OwnershipTree:
    """The tree of owners (up) and holdings (down) of one entity, with percentages.

    Returns ``{id, name, schema, sanctioned, blocked, owners: [...], holdings:
    [...], ultimate_owners: [...]}``; each child is ``{link, node}`` where
    ``link`` is the ownership or control link with its evidence and ``node``
    the same structure one level further (owners up, holdings down). A node
    met again on the same branch is marked ``cycle: true`` and not expanded.
    ``indirect_owners`` / ``indirect_holdings`` list the indirect interests
    stated about the entity (kept apart: they are not direct stakes), each with
    the ``chain`` of direct ownership or control links that makes it up when
    the store holds one.
    """
    graph = graph or load_graph(store)
    i = graph.node(entity_id)
    if i is None:
        raise NotFound(f"no entity {entity_id!r} in the graph; try `redthread search`")
    sanctioned = graph.sanctioned(authority)
    mask = blocked_mask(graph, authority, "us")
    kinds = (KIND["Ownership"], KIND["Control"])
    up_links: dict[int, list[int]] = {}
    down_links: dict[int, list[int]] = {}
    for j in np.flatnonzero(np.isin(graph.kind, kinds)).tolist():
        up_links.setdefault(int(graph.dst[j]), []).append(j)
        down_links.setdefault(int(graph.src[j]), []).append(j)

    def node_info(n: int) -> OwnershipNode:
        return {"id": graph.ids[n], "name": graph.caption[n], "schema": graph.schema[n],
                "sanctioned": bool(sanctioned[n]), "blocked": bool(mask[n] and not sanctioned[n])}

    def expand(n: int, level: int, upward: bool, path: set[int]) -> list[OwnershipChild]:
        if level >= depth:
            return []
        children: list[OwnershipChild] = []
        links = (up_links if upward else down_links).get(n, [])
        for j in sorted(links, key=lambda j: graph.caption[int(graph.src[j] if upward else graph.dst[j])]):
            other = int(graph.src[j]) if upward else int(graph.dst[j])
            child = node_info(other)
            if other in path:
                child["cycle"] = True
            elif upward:
                child["owners"] = expand(other, level + 1, upward, path | {other})
            else:
                child["holdings"] = expand(other, level + 1, upward, path | {other})
            children.append({"link": graph.link(j), "node": child})
        return children

    down_to: dict[int, list[tuple[int, int]]] = {
        n: [(int(graph.dst[j]), j) for j in links] for n, links in down_links.items()}

    def chain(owner: int, asset: int) -> list[Link]:
        """The shortest path of direct links from ``owner`` down to ``asset`` through at least one
        intermediary: an indirect interest is held through someone else."""
        return [graph.link(j) for j in path_through(down_to, owner, asset, depth) or []]

    indirect = np.flatnonzero(graph.kind == KIND["IndirectOwnership"]).tolist()

    def indirect_links(upward: bool) -> list[IndirectInterest]:
        out: list[IndirectInterest] = []
        for j in indirect:
            owner, asset = int(graph.src[j]), int(graph.dst[j])
            if (asset if upward else owner) != i:
                continue
            out.append({"link": graph.link(j), "node": node_info(owner if upward else asset),
                        "chain": chain(owner, asset)})
        return out

    node = node_info(i)
    return {
        "id": node["id"], "name": node["name"], "schema": node["schema"],
        "sanctioned": node["sanctioned"], "blocked": node["blocked"],
        "indirect_owners": indirect_links(True),
        "indirect_holdings": indirect_links(False),
        "owners": expand(i, 0, True, {i}),
        "holdings": expand(i, 0, False, {i}),
        "ultimate_owners": [o for o in effective_owners(graph, i) if o["ultimate"]],
    }


# -- percentages that come as ranges ------------------------------------------------

_NUMBER = r"(\d+(?:[.,]\d+)?)"
_RANGE_PCT = re.compile(rf"^\D*?{_NUMBER}\s*%?[\s-]*(?:-|–|to|and)[\s-]*{_NUMBER}\s*%?\D*$", re.I)
_MORE_THAN = re.compile(rf"(?:more|greater)[-\s]than[-\s]{_NUMBER}", re.I)


def percentage_bounds(value: str) -> tuple[float, float] | None:
    """A stated stake as (lowest, highest) percent: ``50`` → (50, 50); ``25-50``, ``25 to 50 %``,
    ``ownership-of-shares-25-to-50-percent`` → (25, 50); ``more-than-25-percent`` → (25, 100).

    Registers publish bands, not numbers (UK PSC, BODS min/max); a band is
    kept as its two ends so the 50 % rule can say what holds at each.
    """
    exact = parse_percentage(value)
    if exact is not None:
        return exact, exact
    text = value.strip()
    if m := _RANGE_PCT.match(text):
        low, high = (float(g.replace(",", ".")) for g in m.groups())
        if 0 <= low <= high:
            return low, min(high, 100.0)
    if m := _MORE_THAN.search(text):
        return min(float(m.group(1).replace(",", ".")), 100.0), 100.0
    return None


def stake_bounds(graph: Graph, store: Store | None = None,
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every ownership stake with bounds: (owner, asset, low, high, link index), one per owner → asset pair.

    Exact percentages are their own bounds; stakes stated only as a band
    (which :func:`ownership_links` leaves out) come from the store's
    ``percentage`` values. Several statements of one pair: the largest of
    each bound counts, as for exact stakes.
    """
    cached = graph.cache.get("stake_bounds")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    owner, asset, pct, idx = ownership_links(graph)
    rows: dict[tuple[int, int], list[float]] = {}
    for o, a, p, j in zip(owner.tolist(), asset.tolist(), pct.tolist(), idx.tolist(), strict=True):
        rows[(o, a)] = [p, p, j]
    banded = np.flatnonzero(_counted(graph) & np.isnan(graph.pct))
    store = store or graph.store
    if banded.size and store is not None:
        by_link = {graph.link_ids[j]: j for j in banded.tolist()}
        for stmt in store.statements(entity_ids=list(by_link)):
            bounds = percentage_bounds(stmt.value) if stmt.prop == "percentage" else None
            if bounds is None:
                continue
            j = by_link[stmt.entity_id]
            key = (int(graph.src[j]), int(graph.dst[j]))
            old = rows.get(key)
            if old is None:
                rows[key] = [bounds[0], bounds[1], j]
            else:
                old[0], old[1] = max(old[0], bounds[0]), max(old[1], bounds[1])
    keys = sorted(rows)
    result = (
        np.array([k[0] for k in keys], dtype=np.int64),
        np.array([k[1] for k in keys], dtype=np.int64),
        np.array([rows[k][0] for k in keys], dtype=np.float64),
        np.array([rows[k][1] for k in keys], dtype=np.float64),
        np.array([int(rows[k][2]) for k in keys], dtype=np.int64),
    )
    graph.cache["stake_bounds"] = result
    return result


def blocked_bounds(
    store: Store,
    authority: str | None = "OFAC",
    variant: str = "us",
    *,
    engine: str | Engine | None = None,
    graph: Graph | None = None,
) -> list[BlockedBounds]:
    """The 50 % rule when stakes are bands: blocked, possibly blocked, with the bounds and evidence.

    The fixed point runs twice: with every stake at its lowest and at its
    highest. ``blocked`` holds at the lowest (so whatever the true numbers
    are); ``possibly blocked`` holds only if the upper bounds hold. Each item:
    ``id``, ``name``, ``schema``, ``status``, ``share_min`` / ``share_max``
    (the blocked owners' direct stakes added up in each case), ``owners``
    (each with ``min``, ``max``, ``indirect`` and the link with its evidence)
    and ``via_indirect`` (the indirect-only holdings counted, as in
    :func:`blocked`). Entities not blocked even at the upper bounds are not
    listed.
    """
    graph = graph or load_graph(store)
    var = get_variant(variant)
    sanctioned = graph.sanctioned(authority)
    owner, asset, low, high, link_idx = stake_bounds(graph, store)
    lo_mask, _ = _run_rule(graph, owner, asset, low, sanctioned, var, engine, "bounds_csr_low")
    hi_mask, _ = _run_rule(graph, owner, asset, high, sanctioned, var, engine, "bounds_csr_high")
    into: dict[int, list[int]] = {}
    for k, a in enumerate(asset.tolist()):
        into.setdefault(a, []).append(k)
    out: list[BlockedBounds] = []
    for i in np.flatnonzero(hi_mask & ~sanctioned).tolist():
        status = "blocked" if lo_mask[i] else "possibly blocked"
        owners: list[BoundedOwner] = []
        via_indirect: list[Link] = []
        share_min = share_max = 0.0
        for k in into.get(i, []):
            o = int(owner[k])
            j = int(link_idx[k])
            if lo_mask[o]:
                share_min += float(low[k])
            if hi_mask[o]:
                share_max += float(high[k])
                link = graph.link(j)
                bounded: BoundedOwner = {"id": graph.ids[o], "name": graph.caption[o], "min": float(low[k]),
                                         "max": float(high[k]), "sanctioned": bool(sanctioned[o]),
                                         "indirect": _is_indirect(graph, j), "link": link}
                if joint := _joint_holders(graph, o, hi_mask, sanctioned):
                    bounded["joint_holders"] = joint
                owners.append(bounded)
                if _is_indirect(graph, j):
                    via_indirect.append(link)
        out.append({
            "id": graph.ids[i], "name": graph.caption[i], "schema": graph.schema[i], "status": status,
            "share_min": round(min(share_min, 100.0), 6), "share_max": round(min(share_max, 100.0), 6),
            "variant": var.name, "authority": authority,
            "owners": sorted(owners, key=lambda o: (-o["max"], o["name"])),
            "via_indirect": via_indirect,
        })
    out.sort(key=lambda e: (e["status"] != "blocked", e["name"].lower(), e["id"]))
    return out
