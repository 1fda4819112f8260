"""The entity page's header and trade panel: ``/entities/{id}/status`` and ``/entities/{id}/trade``."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Query

from redthread.analyze.status import entity_status
from redthread.api.deps import get_store, require_role
from redthread.api.schemas import PartyTradeOut, StatusOut
from redthread.model.analysis import EntityStatus, PartyTrade
from redthread.store import Store
from redthread.trade.summary import party_trade

router = APIRouter(tags=["entities"])


def _known(store: Store, entity_id: str) -> str:
    if store.entity(entity_id) is None:
        raise HTTPException(status_code=404, detail=f"no entity {entity_id!r}")
    return store.canonical_id(entity_id)


@router.get("/entities/{entity_id}/status", dependencies=[require_role("viewer")], response_model=StatusOut)
def get_status(entity_id: str, authority: str = Query("all", description="OFAC, EU, UK, UN, BIS or all."),
               store: Store = Depends(get_store)) -> EntityStatus:
    """Sanctioned, blocked by ownership, exposed (within three links), or clear; with the why."""
    return entity_status(store, _known(store, entity_id), authority=authority)


@router.get("/entities/{entity_id}/trade", dependencies=[require_role("viewer")], response_model=PartyTradeOut)
def get_trade(entity_id: str, top: int = Query(5, ge=1, le=50), store: Store = Depends(get_store)) -> PartyTrade:
    """Trade as buyer and supplier: totals, top counterparties, goods, CHPL share, monthly series."""
    return party_trade(store, _known(store, entity_id), top=top)
