"""Network analytics: ownership, the 50 % rule, exposure, paths, red flags, claims, timeline, graph."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import APIRouter, Depends, HTTPException, Query

from redthread.analyze.claims import claims
from redthread.analyze.exposure import exposure, paths
from redthread.analyze.graph import load_graph
from redthread.analyze.ownership import blocked, owners_tree
from redthread.analyze.redflags import evaluate
from redthread.analyze.timeline import timeline
from redthread.analyze.views import neighbourhood
from redthread.api.deps import get_store, require_role
from redthread.api.schemas import (
    BlockedOut,
    ClaimOut,
    ConflictOut,
    EventOut,
    ExposureOut,
    GraphOut,
    OwnershipOut,
)
from redthread.model.analysis import Blocked, Claim, Conflict, Event, Exposure, Neighbourhood, OwnershipTree
from redthread.model.records import Flag, Path
from redthread.store import Store

router = APIRouter(tags=["analytics"])
T = TypeVar("T")
VIEWER = [require_role("viewer")]


def _call(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a library function; its deliberate errors carry their status to the app's one handler."""
    return fn(*args, **kwargs)


def _engine(requested: str | None) -> None:
    """The engine is the operator's setting (``REDTHREAD_ENGINE``), never a caller's choice.

    ``?engine=spark`` from a viewer started an 845 MB JVM inside the server; the
    parameter stays accepted only when it names the engine already configured.
    """
    from redthread.engines import default_engine

    if requested is not None and requested != default_engine():
        raise HTTPException(status_code=400, detail=(
            f"the engine is set by the server's operator (REDTHREAD_ENGINE={default_engine()}); "
            "a request cannot choose another"))


def _known(store: Store, entity_id: str) -> str:
    if store.entity(entity_id) is None:
        raise HTTPException(status_code=404, detail=f"no entity {entity_id!r}")
    return store.canonical_id(entity_id)


@router.get("/ownership/{entity_id}", dependencies=VIEWER, response_model=OwnershipOut)
def get_ownership(entity_id: str, depth: int = Query(6, ge=1, le=20), authority: str = "OFAC",
                  store: Store = Depends(get_store)) -> OwnershipTree:
    """Owners and holdings of an entity as a tree, with percentages, evidence and UBOs."""
    return _call(owners_tree, store, _known(store, entity_id), depth=depth, authority=authority)


@router.get("/blocked", dependencies=VIEWER, response_model=list[BlockedOut])
def get_blocked(authority: str = "OFAC", variant: str = Query("us", pattern="^(us|eu)$"),
                engine: str | None = None, store: Store = Depends(get_store)) -> list[Blocked]:
    """Entities blocked by the 50 % rule: id, name, blocked_share, owners, chain with sources."""
    _engine(engine)
    return _call(blocked, store, authority, variant)


@router.get("/exposure", dependencies=VIEWER, response_model=list[ExposureOut])
def get_exposure(max_hops: int = Query(3, ge=1, le=6), top: int | None = Query(None, ge=1),
                 authority: str = Query("all", description="Whose sanctions count: OFAC, EU, UK, UN, ... "
                                        "or all (every list loaded: a UK-only designation is not 'nothing found')."),
                 engine: str | None = None,
                 store: Store = Depends(get_store)) -> list[Exposure]:
    """Parties ranked by exposure to sanctioned parties, each with its path and evidence."""
    _engine(engine)
    return _call(exposure, store, max_hops, top, authority=authority)


@router.get("/paths", dependencies=VIEWER)
def get_paths(a: str = Query(..., min_length=1), b: str = Query(..., min_length=1),
              store: Store = Depends(get_store)) -> list[Path]:
    """The shortest and the strongest path between two parties."""
    return _call(paths, store, _known(store, a), _known(store, b))


@router.get("/redflags", dependencies=VIEWER)
def get_redflags(entity: str | None = None, rule: list[str] | None = Query(None),
                 store: Store = Depends(get_store)) -> list[Flag]:
    """Red flags (rule, title, why, entity, evidence), optionally for one entity or some rules."""
    from redthread.analyze.redflags import RULES

    unknown = [r for r in rule or [] if r not in RULES]
    if unknown:
        raise HTTPException(status_code=400, detail=f"unknown rule(s) {unknown}; known: {sorted(RULES)}")
    eid = _known(store, entity) if entity else None
    return _call(evaluate, store, eid, rules=rule or None)


@router.get("/claims", dependencies=VIEWER, response_model=list[ClaimOut | ConflictOut])
def get_claims(conflicts: bool = False, single_source: bool = False, entity: str | None = None,
               store: Store = Depends(get_store)) -> list[Claim] | list[Conflict]:
    """Facts with their supporting sources, or (``conflicts=true``) contradictions between sources."""
    eid = _known(store, entity) if entity else None
    return _call(claims, store, conflicts_only=conflicts, single_source=single_source, entity_id=eid)


@router.get("/timeline", dependencies=VIEWER, response_model=list[EventOut])
def get_timeline(entity: str | None = None,
                 customs: bool = Query(True, description="Include customs records (kind 'customs')."),
                 store: Store = Depends(get_store)) -> list[Event]:
    """Dated facts and events in order, for one entity or the whole case."""
    eid = _known(store, entity) if entity else None
    return _call(timeline, store, eid, customs=customs)


@router.get("/graph/{entity_id}", dependencies=VIEWER, response_model=GraphOut)
def get_graph(entity_id: str, depth: int = Query(1, ge=1, le=4), limit: int = Query(300, ge=1, le=5000),
              store: Store = Depends(get_store)) -> Neighbourhood:
    """The neighbourhood of an entity for a graph view: nodes (sanctioned/blocked flags) and edges."""
    eid = _known(store, entity_id)
    return neighbourhood(load_graph(store), eid, depth=depth, limit=limit)
