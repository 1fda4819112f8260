"""Manual facts over HTTP: add an entity, a link or a property, retype a party, undo.

``GET /edits`` lists edits (viewer); ``POST /edits/entity``, ``/edits/link``,
``/edits/property``, ``/edits/retype`` record one (analyst), each with the
caller as the analyst and a required note; ``DELETE /edits/{edit_id}``
undoes one (its statements are marked removed, never deleted).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel, Field

from redthread.api.deps import authenticate, get_store, require_role
from redthread.api.schemas import EditDoneOut, EditsOut
from redthread.errors import InputError, RedthreadError
from redthread.resolve import edits
from redthread.store import Store

router = APIRouter(tags=["edits"])


class EntityIn(BaseModel):
    schema_: str = Field("Company", alias="schema")
    name: str
    note: str
    properties: dict[str, list[str]] = Field(default_factory=dict)
    user: str | None = None


class LinkIn(BaseModel):
    schema_: str = Field(..., alias="schema", description="FtM link schema: Ownership, Directorship, ...")
    source_id: str
    target_id: str
    note: str
    properties: dict[str, list[str]] = Field(default_factory=dict)
    user: str | None = None


class PropertyIn(BaseModel):
    entity_id: str
    prop: str
    value: str
    note: str
    user: str | None = None


class RetypeIn(BaseModel):
    entity_id: str
    schema_: str = Field(..., alias="schema")
    note: str
    user: str | None = None


def _who(body_user: str | None, caller: str) -> str:
    """The analyst named in the body, kept with the caller's role (``alice (analyst)``)."""
    return f"{body_user.strip()} ({caller})" if body_user and body_user.strip() else f"api:{caller}"


def _run(fn: Callable[..., edits.Edit], *args: Any, **kwargs: Any) -> EditDoneOut:
    try:
        return EditDoneOut(edit=fn(*args, **kwargs).to_dict())
    except InputError as err:
        raise HTTPException(status_code=422, detail={"message": str(err), "field": err.field}) from None
    except RedthreadError as err:
        raise HTTPException(status_code=404, detail=str(err)) from None


@router.get("/edits", dependencies=[require_role("viewer")], response_model=EditsOut)
def list_edits(entity_id: str | None = Query(None, description="Only edits touching this entity."),
               store: Store = Depends(get_store)) -> EditsOut:
    """Manual edits, newest first, with their note, analyst and statements."""
    return EditsOut(edits=[e.to_dict() for e in edits.edits(store, entity_id)])


@router.post("/edits/entity", status_code=201, dependencies=[require_role("analyst")], response_model=EditDoneOut)
def post_entity(body: EntityIn, store: Store = Depends(get_store), caller: str = Depends(authenticate)) -> EditDoneOut:
    """Add an entity no source gave."""
    return _run(edits.add_entity, store, body.schema_, body.name, note=body.note, user=_who(body.user, caller),
                properties=body.properties)


@router.post("/edits/link", status_code=201, dependencies=[require_role("analyst")], response_model=EditDoneOut)
def post_link(body: LinkIn, store: Store = Depends(get_store), caller: str = Depends(authenticate)) -> EditDoneOut:
    """Add a link (owner, director, agent, ...) between two entities."""
    return _run(edits.add_link, store, body.schema_, body.source_id, body.target_id, note=body.note,
                user=_who(body.user, caller), properties=body.properties)


@router.post("/edits/property", status_code=201, dependencies=[require_role("analyst")],
             response_model=EditDoneOut)
def post_property(body: PropertyIn, store: Store = Depends(get_store),
                  caller: str = Depends(authenticate)) -> EditDoneOut:
    """Add a property value to an entity."""
    return _run(edits.add_property, store, body.entity_id, body.prop, body.value, note=body.note,
                user=_who(body.user, caller))


@router.post("/edits/retype", status_code=201, dependencies=[require_role("analyst")], response_model=EditDoneOut)
def post_retype(body: RetypeIn, store: Store = Depends(get_store), caller: str = Depends(authenticate)) -> EditDoneOut:
    """Correct the type of an entity (the analyst's type wins over the sources')."""
    return _run(edits.retype, store, body.entity_id, body.schema_, note=body.note, user=_who(body.user, caller))


@router.delete("/edits/{edit_id}", dependencies=[require_role("analyst")], response_model=EditDoneOut)
def delete_edit(edit_id: str, store: Store = Depends(get_store)) -> EditDoneOut:
    """Undo an edit: its statements are marked removed (kept in the history)."""
    return _run(edits.undo, store, edit_id)
