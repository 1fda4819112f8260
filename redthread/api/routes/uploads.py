"""``POST /ingest``: upload a file and load it into a dataset (analyst)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, File, Form, HTTPException, UploadFile

from redthread.api.deps import get_case, require_role
from redthread.api.schemas import IngestOut, LoadOut
from redthread.api.uploads import safe_name, save_upload
from redthread.case import Case
from redthread.errors import RedthreadError
from redthread.trade.mapping import beside

router = APIRouter(tags=["ingest"])


@router.post("/ingest", response_model=IngestOut, dependencies=[require_role("analyst")])
def upload_ingest(
    file: UploadFile = File(..., description="the file to load"),
    dataset: str = Form(..., description="dataset the load belongs to"),
    fmt: str | None = Form(None, alias="format", description="input format (detected when omitted)"),
    skip_errors: bool = Form(False),
    mapping: UploadFile | None = File(None, description="column mapping YAML for customs records (CSV, Parquet)"),
    case: Case = Depends(get_case),
) -> IngestOut:
    """Store the upload under the data folder, then load it through the case like ``redthread ingest``
    (watchlists are re-screened after it).

    Customs records need their column mapping: sent as ``mapping``, it is
    kept beside the records (``<records>.mapping.yaml``), as on disk.
    """
    path = save_upload(file.file, file.filename)  # too large: TooLarge, 413 by the app's handler
    if mapping is not None and mapping.filename:
        try:
            saved = save_upload(mapping.file, mapping.filename)
        except RedthreadError:
            path.unlink(missing_ok=True)  # keep no orphan records without their mapping
            raise
        saved.replace(beside(path))
        fmt = fmt or "customs"
    try:
        results, errors = case.load([path], dataset, fmt or None, skip_errors=skip_errors,
                                    source=safe_name(file.filename))
    except RedthreadError as exc:
        path.unlink(missing_ok=True)  # nothing was stored: keep no orphan file
        beside(path).unlink(missing_ok=True)
        detail = str(exc).replace(str(path.parent) + "/", "")  # the server's folders are not the caller's business
        raise HTTPException(status_code=exc.status_code, detail=detail) from exc
    return {
        "file": path.name,
        "results": [LoadOut(dataset=r.dataset, source=r.source, added=r.added, kept=r.kept, removed=r.removed,
                            unchanged=r.unchanged, entities_added=r.entities_added,
                            entities_removed=r.entities_removed, entities_changed=r.entities_changed)
                    for r in results],
        "skipped": [e.location_message().replace(str(path.parent) + "/", "") for e in errors],
    }
