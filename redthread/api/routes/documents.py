"""Source documents: their text, and the spans its statements were taken from."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Query

from redthread.api.deps import get_store, require_role
from redthread.api.schemas import DocumentBrief, DocumentOut, DocumentsOut, Span, SpanEntity
from redthread.store import Store

router = APIRouter(tags=["documents"])


@router.get("/documents", response_model=DocumentsOut, dependencies=[require_role("viewer")])
def list_documents(dataset: str | None = Query(None), store: Store = Depends(get_store)) -> DocumentsOut:
    """Documents kept in the store (without their text)."""
    return {"documents": [
        DocumentBrief(id=d.id, dataset=d.dataset, title=d.title, mime=d.mime, publisher=d.publisher,
                      published_at=d.published_at, length=len(d.text))
        for d in store.documents(dataset)
    ]}


def document_spans(store: Store, doc_id: str) -> DocumentOut | None:
    """A document's text, every statement span inside it (sorted by position) and the
    caption and schema of each entity those statements are about."""
    doc = store.document(doc_id)
    if doc is None:
        return None
    cmap = store.canonical_map()
    spans: list[Span] = []
    for s in store.statements(dataset=doc.dataset):
        if s.source != doc.id or s.span_start is None or s.span_end is None:
            continue
        if not (0 <= s.span_start < s.span_end <= len(doc.text)):
            continue
        spans.append(Span(
            start=s.span_start, end=s.span_end, entity_id=cmap.get(s.entity_id, s.entity_id),
            schema=s.schema, prop=s.prop, value=s.value, statement_id=s.id,
            origin=s.origin, confidence=s.confidence, hedge=s.hedge,
        ))
    spans.sort(key=lambda x: (x["start"], -x["end"]))
    entities: dict[str, SpanEntity] = {}
    for eid in dict.fromkeys(sp["entity_id"] for sp in spans):
        ent = store.entity(eid)
        entities[eid] = SpanEntity(caption=ent.caption if ent else eid, schema=ent.schema if ent else None)
    # Only the file name: the full path would tell callers where the server keeps its files.
    path = doc.path.replace("\\", "/").rsplit("/", 1)[-1] if doc.path else doc.path
    return {"id": doc.id, "dataset": doc.dataset, "title": doc.title, "path": path, "mime": doc.mime,
            "publisher": doc.publisher, "published_at": doc.published_at, "text": doc.text, "spans": spans,
            "entities": entities}


@router.get("/documents/{doc_id:path}", response_model=DocumentOut, dependencies=[require_role("viewer")])
def get_document(doc_id: str, store: Store = Depends(get_store)) -> DocumentOut:
    """The document's text with the spans of its statements, for highlighting."""
    body = document_spans(store, doc_id)
    if body is None:
        raise HTTPException(status_code=404, detail=f"no document {doc_id!r}")
    return body
