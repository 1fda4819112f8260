"""Monitoring over HTTP: watchlists, re-screening, alerts, triage, the audit trail.

``GET /watchlists`` (viewer); ``POST /watchlists/{name}`` uploads a CSV or FtM
JSON lines file and screens it (analyst); ``GET/DELETE /watchlists/{name}``;
``POST /rescreen`` (analyst); ``GET /alerts`` and ``GET /alerts/{id}``
(viewer); ``POST /alerts/{id}/decision`` (analyst; four eyes: a second
caller confirms); ``GET /audit`` (admin: JSON lines or CSV). ``POST /ingest``
re-screens through its case (:meth:`redthread.case.Case.load`).
"""

from __future__ import annotations

import io
from typing import TypedDict

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel

from redthread.api.deps import authenticate, get_case, require_role
from redthread.api.schemas import (
    AlertOut,
    AlertsOut,
    Counterparty,
    RowsRemovedOut,
    RunsOut,
    WatchlistAddedOut,
    WatchlistDetailOut,
    WatchlistsOut,
)
from redthread.api.uploads import save_upload
from redthread.case import Case
from redthread.errors import InputError, RedthreadError
from redthread.monitor import alerts, audit, decisions, rescreen, watchlist
from redthread.monitor.alerts import Alert
from redthread.screen.matching import DEFAULT_THRESHOLD
from redthread.screen.scorers import DEFAULT

#: Alert ids are 64-bit integers in both stores: larger ones are refused with 422, not passed to SQL.
AlertId = PathParam(..., ge=1, le=2**63 - 1)

router = APIRouter(tags=["monitoring"])


def _actor(caller: str, user: str | None) -> str:
    return f"api:{caller}" + (f":{user}" if user else "")


def _fail(exc: RedthreadError) -> HTTPException:
    code = 404 if str(exc).startswith(("no watchlist", "no alert")) else 400
    return HTTPException(status_code=code, detail=str(exc))


class DecisionIn(BaseModel):
    decision: str
    note: str = ""
    user: str | None = None
    confirm: bool = False


class AlertList(TypedDict):
    """A page of alerts as the library gives them (declared to clients as ``AlertsOut``)."""

    alerts: list[Alert]
    total: int


@router.get("/watchlists", response_model=WatchlistsOut, dependencies=[require_role("viewer")])
def list_watchlists(case: Case = Depends(get_case)) -> WatchlistsOut:
    return {"watchlists": [w.to_dict() for w in watchlist.list_all(case.monitor)]}


@router.post("/watchlists/{name}", response_model=WatchlistAddedOut, status_code=201, dependencies=[require_role("analyst")])
def put_watchlist(
    name: str,
    file: UploadFile = File(..., description="counterparties CSV (column 'name') or FtM JSON lines"),
    dataset: str | None = Form(None),
    threshold: float = Form(DEFAULT_THRESHOLD),
    algorithm: str = Form(DEFAULT),
    four_eyes: bool = Form(False),
    user: str | None = Form(None),
    case: Case = Depends(get_case),
    caller: str = Depends(authenticate),
) -> WatchlistAddedOut:
    """Create or update a watchlist from an upload, then screen its new or changed rows."""
    try:
        path = save_upload(file.file, file.filename)
    except InputError as exc:
        raise HTTPException(status_code=413, detail=str(exc)) from exc
    db = case.monitor
    try:
        counts, errors = watchlist.add(db, name, path, actor=_actor(caller, user), dataset=dataset,
                                       threshold=threshold, algorithm=algorithm, four_eyes=four_eyes)
        run = rescreen.run(db, name, actor=_actor(caller, user), trigger="watchlist")
    except RedthreadError as exc:
        raise HTTPException(status_code=422, detail=str(exc).replace(str(path.parent) + "/", "")) from exc
    finally:
        path.unlink(missing_ok=True)
    return {"watchlist": name, "rows": counts, "run": run.to_dict(),
            "skipped": [e.location_message().replace(str(path.parent) + "/", "") for e in errors]}


@router.get("/watchlists/{name}", response_model=WatchlistDetailOut, dependencies=[require_role("viewer")])
def get_watchlist(name: str, limit: int = Query(500, ge=1, le=100_000),
                  case: Case = Depends(get_case)) -> WatchlistDetailOut:
    db = case.monitor
    try:
        wl = watchlist.get(db, name)
    except RedthreadError as exc:
        raise _fail(exc) from None
    rows = watchlist.rows(db, name)[:limit]
    return {**wl.to_dict(), "counterparties": [Counterparty(id=r.row_id, name=r.name, schema=r.schema,
                                                            columns=r.columns) for r in rows]}


@router.delete("/watchlists/{name}", response_model=RowsRemovedOut, dependencies=[require_role("analyst")])
def delete_watchlist(name: str, case: Case = Depends(get_case),
                     caller: str = Depends(authenticate)) -> dict[str, int]:
    try:
        return watchlist.remove(case.monitor, name, actor=_actor(caller, None))
    except RedthreadError as exc:
        raise _fail(exc) from None


@router.post("/rescreen", response_model=RunsOut, dependencies=[require_role("analyst")])
def post_rescreen(name: str | None = Query(None), full: bool = Query(False), case: Case = Depends(get_case),
                  caller: str = Depends(authenticate)) -> RunsOut:
    db = case.monitor
    try:
        names = [name] if name else [w.name for w in watchlist.list_all(db)]
        runs = [rescreen.run(db, n, actor=_actor(caller, None), full=full) for n in names]
    except RedthreadError as exc:
        raise _fail(exc) from None
    return {"runs": [r.to_dict() for r in runs]}


@router.get("/alerts", response_model=AlertsOut, dependencies=[require_role("viewer")])
def get_alerts(
    watchlist_name: str | None = Query(None, alias="watchlist"),
    status: str | None = Query(None),
    kind: str | None = Query(None),
    limit: int = Query(200, ge=1, le=10_000),
    case: Case = Depends(get_case),
) -> AlertList:
    try:
        items = alerts.list_alerts(case.monitor, watchlist=watchlist_name, status=status, kind=kind,
                                   limit=limit)
    except RedthreadError as exc:
        raise _fail(exc) from None
    return AlertList(alerts=items, total=len(items))


@router.get("/alerts/{alert_id}", response_model=AlertOut, dependencies=[require_role("viewer")])
def get_alert(alert_id: int = AlertId, case: Case = Depends(get_case)) -> Alert:
    try:
        return alerts.get_alert(case.monitor, alert_id)
    except RedthreadError as exc:
        raise _fail(exc) from None


@router.post("/alerts/{alert_id}/decision", response_model=AlertOut, dependencies=[require_role("analyst")])
def post_decision(body: DecisionIn, alert_id: int = AlertId, case: Case = Depends(get_case),
                  caller: str = Depends(authenticate)) -> Alert:
    """Record a decision; with four eyes on, another reviewer confirms it (``confirm: true``)."""
    try:
        return decisions.decide(case.monitor, alert_id, body.decision, actor=_actor(caller, body.user),
                                note=body.note, confirm=body.confirm)
    except RedthreadError as exc:
        raise _fail(exc) from None


@router.get("/audit", dependencies=[require_role("admin")], response_class=PlainTextResponse)
def get_audit(fmt: str = Query("jsonl", alias="format", pattern="^(jsonl|csv)$"),
              watchlist_name: str | None = Query(None, alias="watchlist"),
              case: Case = Depends(get_case)) -> PlainTextResponse:
    """The audit trail (append-only), as JSON lines or CSV."""
    out = io.StringIO()
    audit.export(case.monitor, out, fmt, watchlist_name)
    media = "text/csv" if fmt == "csv" else "application/x-ndjson"
    return PlainTextResponse(out.getvalue(), media_type=media)
