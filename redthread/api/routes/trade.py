"""Trade: flows, patterns, a party's series, capacity, designation impact, charts."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from fastapi import APIRouter, Body, Depends, HTTPException, Query, Response
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import TypeAdapter

from redthread.api.deps import get_store, require_role
from redthread.api.schemas import (
    BuyerImpactOut,
    CapacityOut,
    ChainOut,
    EntrantOut,
    FlowOut,
    ImpactOut,
    MonthOut,
    SpikeOut,
)
from redthread.model.jsondata import JSONObject
from redthread.store import Store

if TYPE_CHECKING:  # the routes import the trade modules (duckdb, pyarrow) when first called
    from redthread.model.analysis import BuyerImpact, Capacity, Impact
    from redthread.trade.engine import SqlRow

_FLOWS = TypeAdapter(list[FlowOut])
router = APIRouter(prefix="/trade", tags=["trade"], dependencies=[require_role("viewer")])


# The library functions are called directly: their deliberate errors (``InputError``...) reach
# the app's one handler, and their typed results (:mod:`redthread.model.analysis`; a trade query's
# rows, whose columns are the query's own, as ``SqlRow``) are what each route returns.


@router.get("/flows", response_model=list[FlowOut])
def get_flows(
    by: str = Query("supplier,buyer", description="Comma-separated dimensions (see docs/trade.md)."),
    chpl_only: bool = False,
    date_from: str | None = Query(None, alias="from"),
    date_to: str | None = Query(None, alias="to"),
    top: int | None = Query(50, ge=1, le=10000),
    store: Store = Depends(get_store),
) -> Response:
    """Aggregated flows, largest value first."""
    from redthread.trade.flows import flows

    rows = flows(store, by, chpl_only=chpl_only, date_from=date_from, date_to=date_to, top=top)
    # Checked against the declared shape here, then sent as produced: the requested dimensions lead
    # each row (tables show columns in key order), which a response model would move behind its fields.
    _FLOWS.validate_python(rows)
    return JSONResponse(jsonable_encoder(rows))


@router.get("/entrants", response_model=list[EntrantOut])
def get_entrants(
    since: str | None = None, role: str = "buyer", chpl_only: bool = False,
    top: int | None = Query(50, ge=1, le=10000), store: Store = Depends(get_store),
) -> list[SqlRow]:
    """Parties first seen (as buyer or supplier) on or after ``since``."""
    from redthread.trade.patterns import new_entrants

    return new_entrants(store, since=since, role=role, chpl_only=chpl_only, top=top)


@router.get("/spikes", response_model=list[SpikeOut])
def get_spikes(
    role: str = "buyer", factor: float = Query(2.5, gt=1.0), chpl_only: bool = False,
    top: int | None = Query(50, ge=1, le=10000), store: Store = Depends(get_store),
) -> list[SqlRow]:
    """Months where a party's value is ``factor`` times its own earlier average."""
    from redthread.trade.patterns import spikes

    return spikes(store, role=role, factor=factor, chpl_only=chpl_only, top=top)


@router.get("/chains", response_model=list[ChainOut])
def get_chains(
    days: int = Query(30, ge=0, le=365), tolerance: float = Query(0.25, ge=0.0, le=5.0), chpl_only: bool = False,
    top: int | None = Query(100, ge=1, le=10000), store: Store = Depends(get_store),
) -> list[SqlRow]:
    """Re-export chains A -> B -> C with both records' provenance."""
    from redthread.trade.patterns import reexport_chains

    return reexport_chains(store, max_days=days, tolerance=tolerance, chpl_only=chpl_only, top=top)


@router.get("/series/{party_id}", response_model=list[MonthOut])
def get_series(party_id: str, role: str = "buyer", store: Store = Depends(get_store)) -> list[SqlRow]:
    """One party's monthly value and record count."""
    from redthread.trade.flows import series

    return series(store, party_id, role)


# A computation that stores nothing: a viewer may run it (like ``POST /match``);
# POST only because a bill of materials does not fit in a URL.
@router.post("/capacity", dependencies=[require_role("viewer")], response_model=CapacityOut)
def post_capacity(
    buyer: str = Body(..., description="Buyer entity id."),
    bom: JSONObject | str = Body(..., description="Bill of materials: YAML text or the same as JSON."),
    date_from: str | None = Body(None),
    date_to: str | None = Body(None),
    store: Store = Depends(get_store),
) -> Capacity:
    """Units per month the component flows into ``buyer`` support; binding component; claims."""
    from redthread.trade.capacity import capacity, parse_bom

    try:
        data = yaml.safe_load(bom) if isinstance(bom, str) else bom
    except yaml.YAMLError as exc:
        raise HTTPException(status_code=422, detail=f"bom: not valid YAML: {exc}") from exc
    parsed = parse_bom(data, "<request>")
    if store.entity(buyer) is None:
        raise HTTPException(status_code=404, detail=f"no entity {buyer!r}")
    return capacity(store, buyer, parsed, date_from=date_from, date_to=date_to)


@router.get("/impact", response_model=list[ImpactOut])
def get_impact(
    top: int | None = Query(20, ge=1, le=1000),
    owned: bool = Query(True, description="Count parties owned 50 % or more by sanctioned ones as sanctioned."),
    store: Store = Depends(get_store),
) -> list[Impact]:
    """Not-yet-sanctioned parties ranked by the flow a designation would cut."""
    from redthread.trade.impact import impact

    return impact(store, top=top, owned=owned)


@router.get("/impact/buyers", response_model=list[BuyerImpactOut])
def get_impact_buyers(
    top: int | None = Query(10, ge=1, le=200),
    owned: bool = Query(True, description="Count parties owned 50 % or more by sanctioned ones as sanctioned."),
    bom: str | None = Query(None, max_length=20000, description="Bill of materials (YAML text): adds each "
                            "buyer's estimated capacity."),
    store: Store = Depends(get_store),
) -> list[BuyerImpact]:
    """Not-yet-sanctioned buyers of CHPL goods with red flags, by CHPL-weighted value received, with evidence."""
    from redthread.trade.buyers import buyer_impact
    from redthread.trade.capacity import parse_bom

    parsed = None
    if bom:
        try:
            data = yaml.safe_load(bom)
        except yaml.YAMLError as exc:
            raise HTTPException(status_code=422, detail=f"bom: not valid YAML: {exc}") from exc
        parsed = parse_bom(data, "<bom>")
    return buyer_impact(store, top=top, bom=parsed, owned=owned)


def _image(draw: Callable[[Path], object], fmt: str) -> Response:
    if fmt not in ("svg", "png"):
        raise HTTPException(status_code=422, detail="format must be svg or png")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"chart.{fmt}"
        draw(path)
        media = "image/svg+xml" if fmt == "svg" else "image/png"
        return Response(content=path.read_bytes(), media_type=media)


@router.get("/charts/flows.{fmt}", response_class=Response,
            responses={200: {"content": {"image/svg+xml": {}, "image/png": {}}}})
def chart_flows(
    fmt: str, split: str = "chpl_tier", chpl_only: bool = False,
    date_from: str | None = Query(None, alias="from"), date_to: str | None = Query(None, alias="to"),
    store: Store = Depends(get_store),
) -> Response:
    """Monthly flows stacked by ``split`` (a flow dimension), as SVG or PNG."""
    from redthread.trade.charts import flow_chart

    return _image(lambda p: flow_chart(store, p, split=split, chpl_only=chpl_only, date_from=date_from,
                                       date_to=date_to), fmt)


@router.get("/charts/sankey.{fmt}", response_class=Response,
            responses={200: {"content": {"image/svg+xml": {}, "image/png": {}}}})
def chart_sankey(
    fmt: str, days: int = Query(30, ge=0, le=365), chpl_only: bool = False,
    top: int | None = Query(100, ge=1, le=10000), store: Store = Depends(get_store),
) -> Response:
    """Supplier -> intermediary -> buyer Sankey of re-export chains, as SVG or PNG."""
    from redthread.trade.charts import sankey
    from redthread.trade.patterns import reexport_chains

    rows = reexport_chains(store, max_days=days, chpl_only=chpl_only, top=top)
    return _image(lambda p: sankey(rows, p), fmt)
