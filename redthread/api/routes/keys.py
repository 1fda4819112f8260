"""API keys (admin only) and ``/whoami``."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from redthread.api.deps import ROLES, get_case, require_role
from redthread.api.schemas import KeyOut, KeysOut, NewKeyOut, WhoAmIOut
from redthread.case import Case
from redthread.keys import ApiKey

router = APIRouter(tags=["keys"])


class NewKey(BaseModel):
    role: str = Field(..., description="viewer, analyst or admin")
    name: str = Field("", max_length=200, description="who or what uses the key")


@router.get("/whoami", response_model=WhoAmIOut, dependencies=[require_role("viewer")])
def whoami(request: Request) -> WhoAmIOut:
    """The caller's role and key name (``local`` for loopback without keys)."""
    return WhoAmIOut(role=getattr(request.state, "role", None), user=getattr(request.state, "user", None),
                     roles=list(ROLES))


@router.get("/keys", response_model=KeysOut, dependencies=[require_role("admin")])
def list_keys(case: Case = Depends(get_case)) -> KeysOut:
    """Every key's id, name, role and dates (never the secret)."""
    return KeysOut(keys=[_public(k) for k in case.keys.list()])


@router.post("/keys", response_model=NewKeyOut, status_code=201, dependencies=[require_role("admin")])
def create_key(body: NewKey, case: Case = Depends(get_case)) -> NewKeyOut:
    """A new key; ``key`` is shown only in this response."""
    record, key = case.keys.create(body.role, body.name)
    return NewKeyOut(id=record.id, name=record.name, role=record.role, created_at=record.created_at,
                     revoked_at=record.revoked_at, last_used_at=record.last_used_at, key=key)


@router.delete("/keys/{key_id}", response_model=KeyOut, dependencies=[require_role("admin")])
def revoke_key(key_id: str, case: Case = Depends(get_case)) -> KeyOut:
    """Revoke a key; it stops working at once."""
    return _public(case.keys.revoke(key_id))


def _public(key: ApiKey) -> KeyOut:
    """A key's public record, field by field (a field added to :class:`ApiKey` is not sent unless named here)."""
    return KeyOut(id=key.id, name=key.name, role=key.role, created_at=key.created_at, revoked_at=key.revoked_at,
                  last_used_at=key.last_used_at)
