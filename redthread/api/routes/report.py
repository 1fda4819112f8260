"""Dossiers over HTTP: ``GET /report?entity_id=...&format=html|pdf`` (the whole case without an id)."""

from __future__ import annotations

import re

from fastapi import APIRouter, Depends, Query, Response

from redthread.api.deps import get_store, require_role
from redthread.report.dossier import build_dossier, pdf_bytes, render_html
from redthread.store import Store

router = APIRouter(tags=["report"])


@router.get("/report", dependencies=[require_role("viewer")], response_class=Response)
def report(entity_id: str | None = Query(None, description="The entity; omit for the whole case."),
           fmt: str = Query("html", alias="format", pattern="^(html|pdf)$"),
           store: Store = Depends(get_store)) -> Response:
    """An investigation dossier (the same as ``redthread report``), as HTML or PDF."""
    html = render_html(build_dossier(store, entity_id))
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", entity_id or "case")
    if fmt == "pdf":
        return Response(pdf_bytes(html), media_type="application/pdf",
                        headers={"Content-Disposition": f'attachment; filename="dossier-{name}.pdf"'})
    return Response(html, media_type="text/html; charset=utf-8")
