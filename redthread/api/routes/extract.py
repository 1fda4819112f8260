"""``POST /extract``: text in, FtM entities (and provenance statements) out; nothing is stored.

To extract *and store*, upload the document to ``POST /ingest``: the
``document`` loader runs the same extraction.
"""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from redthread.api.deps import require_role
from redthread.api.schemas import ExtractOut
from redthread.extract import extract_text

router = APIRouter(tags=["extract"])

MAX_CHARS = 2_000_000


class ExtractRequest(BaseModel):
    text: str = Field(..., min_length=1, max_length=MAX_CHARS, description="plain text of the document")
    doc_id: str = Field("request", description="document id used for entity ids and statement sources")
    dataset: str = Field("extract", description="dataset name put on the statements")
    backend: str = Field("rules", description="rules (offline) or llm")
    statements: bool = Field(False, description="also return the statements with spans and quotes")


@router.post("/extract", response_model=ExtractOut, dependencies=[require_role("viewer")])
def extract(req: ExtractRequest) -> ExtractOut:
    """Extract parties and relations from ``text`` with the chosen backend."""
    result = extract_text(req.text, doc_id=req.doc_id, dataset=req.dataset, backend=req.backend)
    out: ExtractOut = {
        "document": {"id": result.document.id, "title": result.document.title},
        "backend": result.backend,
        "entities": result.entities,
    }
    if req.statements:
        out["statements"] = [s.to_dict() for s in result.statements]
    return out
