"""API keys (admin only) and ``/whoami``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from redthread.api.deps import ROLES, get_case, require_role
from redthread.api.schemas import KeyOut, KeysOut, NewKeyOut, WhoAmIOut
from redthread.case import Case

router = APIRouter(tags=["keys"])


class NewKey(BaseModel):
    role: str = Field(..., description="viewer, analyst or admin")
    name: str = Field("", max_length=200, description="who or what uses the key")


@router.get("/whoami", response_model=WhoAmIOut, dependencies=[require_role("viewer")])
def whoami(request: Request) -> dict[str, Any]:
    """The caller's role and key name (``local`` for loopback without keys)."""
    return {"role": getattr(request.state, "role", None), "user": getattr(request.state, "user", None),
            "roles": list(ROLES)}


@router.get("/keys", response_model=KeysOut, dependencies=[require_role("admin")])
def list_keys(case: Case = Depends(get_case)) -> dict[str, Any]:
    """Every key's id, name, role and dates (never the secret)."""
    return {"keys": [k.__dict__ for k in case.keys.list()]}


@router.post("/keys", response_model=NewKeyOut, status_code=201, dependencies=[require_role("admin")])
def create_key(body: NewKey, case: Case = Depends(get_case)) -> dict[str, Any]:
    """A new key; ``key`` is shown only in this response."""
    record, key = case.keys.create(body.role, body.name)
    return {**record.__dict__, "key": key}


@router.delete("/keys/{key_id}", response_model=KeyOut, dependencies=[require_role("admin")])
def revoke_key(key_id: str, case: Case = Depends(get_case)) -> dict[str, Any]:
    """Revoke a key; it stops working at once."""
    return case.keys.revoke(key_id).__dict__
