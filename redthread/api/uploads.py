"""Files uploaded through the API: size-limited, kept under the data folder.

The client's file name is reduced to a safe base name and prefixed with a
random id, so no part of a request decides where on disk a file lands.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import BinaryIO

from redthread import settings
from redthread.errors import InputError, TooLarge

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
CHUNK = 1024 * 1024


def safe_name(filename: str | None) -> str:
    """A base name with only letters, digits, ``._-``; never empty, never hidden."""
    base = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = _UNSAFE.sub("_", base).lstrip("._")[-120:]
    return base or "upload"


def upload_dir() -> Path:
    path = settings.home() / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def save_upload(stream: BinaryIO, filename: str | None, limit: int | None = None) -> Path:
    """Copy ``stream`` into the upload folder; refuses (and deletes) anything over ``limit`` bytes."""
    limit = settings.max_upload_bytes() if limit is None else limit
    folder = upload_dir().resolve()
    target = (folder / f"{uuid.uuid4().hex[:12]}-{safe_name(filename)}").resolve()
    if target.parent != folder:  # pragma: no cover - safe_name makes this impossible
        raise InputError("upload name escapes the upload folder", path=filename)
    size = 0
    with target.open("wb") as out:
        while True:
            chunk = stream.read(CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > limit:
                out.close()
                target.unlink(missing_ok=True)
                raise TooLarge(
                    f"upload is larger than {limit // (1024 * 1024)} MB; raise REDTHREAD_MAX_UPLOAD_MB "
                    "or ingest it with the command line", path=safe_name(filename),
                )
            out.write(chunk)
    return target
