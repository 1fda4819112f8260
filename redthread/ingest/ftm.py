"""FollowTheMoney JSON lines, including OpenSanctions exports.

One entity per line: ``{"id", "schema", "properties", ...}``; the
OpenSanctions fields ``referents``, ``datasets``, ``first_seen`` and
``last_seen`` are kept. Each value becomes a statement whose location is
``file:line``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import orjson

from redthread import __version__
from redthread.errors import InputError
from redthread.ingest.base import IngestContext, register, source_name
from redthread.model import entity_statements, now_iso
from redthread.model.jsondata import JSONObject
from redthread.model.statement import Statement
from redthread.store import LoadBatch


def json_lines(path: Path, ctx: IngestContext, what: str) -> Iterator[tuple[int, JSONObject]]:
    """(line number, object) of each JSON-object line of ``path``: blank lines skipped, a line that is
    not JSON or not an object reported (``path:line``) through ``ctx.fail``. ``what`` names the
    object the line should hold, for that message."""
    with path.open("rb") as fh:
        for lineno, raw in enumerate(fh, start=1):
            line = raw.strip()
            if not line:
                continue
            try:
                data = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                ctx.fail(InputError(f"not valid JSON ({exc})", path=str(path), line=lineno))
                continue
            if not isinstance(data, dict):
                ctx.fail(InputError(f"expected a JSON object ({what})", path=str(path), line=lineno))
                continue
            yield lineno, data


def line_statements(entity: JSONObject, path: Path, lineno: int, ctx: IngestContext, *, source: str,
                    origin: str, seen: str) -> list[Statement] | None:
    """The statements of the entity on one line (location ``file:line``). A value that does not parse is
    dropped with a warning naming file, line, record, property and value (refusing the file when strict);
    a bad record is reported through ``ctx.fail`` and gives None."""
    record = entity.get("id")

    def dropped(err: InputError) -> None:
        ctx.drop_value(InputError(f"record {record!r}: {err.reason}", path=str(path), line=lineno, field=err.field))

    try:
        return entity_statements(entity, ctx.dataset, source=source, location=f"{path.name}:{lineno}",
                                 origin=origin, seen=seen, on_invalid=dropped)
    except InputError as err:
        ctx.fail(InputError(err.reason, path=str(path), line=lineno, field=err.field))
        return None


class FtMLoader:
    name = "ftm"
    description = "FollowTheMoney entities as JSON lines (OpenSanctions exports too)"

    def sniff(self, path: Path, head: bytes) -> bool:
        if path.is_dir():
            return False
        first = head.lstrip().split(b"\n", 1)[0]
        if not first.startswith(b"{") or first.replace(b" ", b"").startswith(b'{"op":'):
            return False  # not an entity, or a delta line (see redthread.ingest.delta)
        return b'"schema"' in first and b'"id"' in first

    def read(self, path: Path, ctx: IngestContext) -> Iterator[LoadBatch]:
        source = ctx.source or source_name(path)
        seen = now_iso()
        origin = f"redthread.ingest.ftm/{__version__}"
        statements: list[Statement] = []
        for lineno, data in json_lines(path, ctx, "one FtM entity"):
            stmts = line_statements(data, path, lineno, ctx, source=source, origin=origin, seen=seen)
            if stmts is not None:
                statements.extend(stmts)
            if lineno % 10000 == 0:
                ctx.tick(path.name, lineno)
        if not statements and not ctx.errors:
            raise InputError("no entities found", path=str(path))
        yield LoadBatch(
            dataset=ctx.dataset,
            source=source,
            statements=statements,
            replace_dataset=ctx.replace_dataset,
        )


register(FtMLoader())
