"""API keys and roles, kept hashed in the store's own database.

A key looks like ``rt_<id>_<secret>``. Only the id, the role, a random salt
and ``HMAC-SHA256(salt, secret)`` are stored, so a stolen database does not
reveal working keys; checks use a constant-time comparison. Because the
``api_keys`` table lives beside the statements, keys work the same on SQLite
and PostgreSQL and a team sharing one PostgreSQL store shares its keys.

Roles, weakest first: ``viewer`` (read), ``analyst`` (also ingest and record
judgements), ``admin`` (also manage keys).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from redthread.errors import NotFound, RedthreadError
from redthread.model import now_iso
from redthread.store import Store

ROLES = ("viewer", "analyst", "admin")
PREFIX = "rt"
#: How often (seconds) a key's ``last_used_at`` is written, at most.
TOUCH_EVERY = 60

_DDL = """CREATE TABLE IF NOT EXISTS api_keys (
    id TEXT PRIMARY KEY, name TEXT NOT NULL DEFAULT '', role TEXT NOT NULL,
    salt TEXT NOT NULL, digest TEXT NOT NULL, created_at TEXT NOT NULL,
    revoked_at TEXT, last_used_at TEXT)"""
_COLUMNS = "id, name, role, created_at, revoked_at, last_used_at"


class KeyRingError(RedthreadError):
    """A key operation failed (bad role: 422)."""

    status_code = 422


class UnknownKey(KeyRingError, NotFound):
    """No key with that id (404)."""

    status_code = 404


@dataclass
class ApiKey:
    """A key's public record (never the secret)."""

    id: str
    name: str
    role: str
    created_at: str
    revoked_at: str | None = None
    last_used_at: str | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def _digest(salt: str, secret: str) -> str:
    return hmac.new(bytes.fromhex(salt), secret.encode("utf-8"), hashlib.sha256).hexdigest()


def parse_key(key: str) -> tuple[str, str] | None:
    """``(id, secret)`` of a well-formed key, else ``None``."""
    parts = key.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]


class KeyRing:
    """The keys of one store, in its ``api_keys`` side table (SQLite or PostgreSQL)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        if not store.has_tables("api_keys"):  # a read, so checking a key never takes a write lock
            self._exec(_DDL)

    def _exec(self, sql: str, params: tuple[Any, ...] = (), best_effort: bool = False) -> int:
        """One small write in its own transaction (never the loaders' transaction)."""
        return self.store.execute(sql, params, best_effort=best_effort)

    def create(self, role: str, name: str = "") -> tuple[ApiKey, str]:
        """A new key: its record and the full key string (shown once)."""
        if role not in ROLES:
            raise KeyRingError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")
        key_id = secrets.token_hex(6)
        secret = secrets.token_urlsafe(32)
        salt = secrets.token_hex(16)
        record = ApiKey(id=key_id, name=name, role=role, created_at=now_iso())
        self._exec(
            "INSERT INTO api_keys (id, name, role, salt, digest, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (key_id, name, role, salt, _digest(salt, secret), record.created_at),
        )
        return record, f"{PREFIX}_{key_id}_{secret}"

    def list(self, include_revoked: bool = True) -> list[ApiKey]:
        """Every key, oldest first."""
        sql = f"SELECT {_COLUMNS} FROM api_keys"
        if not include_revoked:
            sql += " WHERE revoked_at IS NULL"
        return [ApiKey(*row) for row in self.store.query(sql + " ORDER BY created_at, id")]

    def get(self, key_id: str) -> ApiKey | None:
        rows = self.store.query(f"SELECT {_COLUMNS} FROM api_keys WHERE id = ?", (key_id,))
        return ApiKey(*rows[0]) if rows else None

    def revoke(self, key_id: str) -> ApiKey:
        """Revoke a key; it stops working at once. Errors name the known ids."""
        key = self.get(key_id)
        if key is None:
            known = ", ".join(k.id for k in self.list()) or "none"
            raise UnknownKey(f"no API key with id {key_id!r}; known ids: {known} (see `redthread keys list`)")
        if key.revoked_at is None:
            key.revoked_at = now_iso()
            self._exec("UPDATE api_keys SET revoked_at = ? WHERE id = ?", (key.revoked_at, key_id))
        return key

    def active_count(self) -> int:
        rows = self.store.query("SELECT COUNT(*) FROM api_keys WHERE revoked_at IS NULL")
        return int(rows[0][0])

    def any_created(self) -> bool:
        """True once any key was ever created (revoking all keeps the server locked)."""
        return bool(self.store.query("SELECT COUNT(*) FROM api_keys")[0][0])

    def verify(self, key: str, touch: bool = False) -> ApiKey | None:
        """The active key record for a presented key string, or ``None``."""
        parsed = parse_key(key)
        if parsed is None:
            return None
        key_id, secret = parsed
        rows = self.store.query(
            f"SELECT {_COLUMNS}, salt, digest FROM api_keys WHERE id = ? AND revoked_at IS NULL", (key_id,)
        )
        if not rows:
            # Same work as a hit, so timing does not tell which ids exist.
            hmac.compare_digest(_digest("00" * 16, secret), "0" * 64)
            return None
        row = rows[0]
        if not hmac.compare_digest(_digest(row[6], secret), row[7]):
            return None
        record = ApiKey(*row[:6])
        if touch and _stale(record.last_used_at):
            record.last_used_at = now_iso()
            self._touch(key_id, record.last_used_at)
        return record

    def _touch(self, key_id: str, when: str) -> None:
        """Best effort: while a load holds SQLite's write lock, skip rather than wait."""
        self._exec("UPDATE api_keys SET last_used_at = ? WHERE id = ?", (when, key_id), best_effort=True)


def _stale(stamp: str | None) -> bool:
    """True when ``stamp`` (ISO, UTC) is missing or older than :data:`TOUCH_EVERY` seconds."""
    if not stamp:
        return True
    try:
        then = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return True
    return (datetime.now(UTC) - then).total_seconds() >= TOUCH_EVERY
