"""The party network: an entity's neighbourhood and the path between two parties."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Query

from redthread.api.deps import get_store, require_role
from redthread.api.schemas import NetworkOut, NetworkPathOut
from redthread.report.network import cached_network, neighbourhood, shortest_path
from redthread.store import Store

router = APIRouter(tags=["network"])


@router.get("/network/path", response_model=NetworkPathOut, dependencies=[require_role("viewer")])
def network_path(source: str = Query(..., min_length=1), target: str = Query(..., min_length=1),
                 max_hops: int = Query(8, ge=1, le=12), store: Store = Depends(get_store)) -> NetworkPathOut:
    """A shortest chain of links between two parties, with the parties on it."""
    net = cached_network(store, customs=True)
    a, b = store.canonical_id(source), store.canonical_id(target)
    for eid in (a, b):
        if eid not in net.nodes:
            raise HTTPException(status_code=404, detail=f"no party {eid!r} in the network")
    path = shortest_path(net, a, b, max_hops=max_hops)
    if path is None:
        return {"source": a, "target": b, "found": False, "nodes": [], "edges": []}
    ids = {a, b} | {e.source for e in path} | {e.target for e in path}
    return {"source": a, "target": b, "found": True,
            "nodes": [net.nodes[i] for i in ids], "edges": path}


@router.get("/network/{entity_id}", response_model=NetworkOut, dependencies=[require_role("viewer")])
def network(entity_id: str, depth: int = Query(1, ge=1, le=4), limit: int = Query(300, ge=1, le=2000),
            store: Store = Depends(get_store)) -> NetworkOut:
    """The parties within ``depth`` links of an entity, and the links between them."""
    net = cached_network(store, customs=True)
    cid = store.canonical_id(entity_id)
    if cid not in net.nodes:
        raise HTTPException(status_code=404, detail=f"no party {entity_id!r} in the network")
    sub = neighbourhood(net, cid, depth=depth, limit=limit)
    body = sub.to_dict()
    return NetworkOut(center=cid, nodes=body["nodes"], edges=body["edges"])
