"""OpenSanctions delta files: ``{"op": "ADD" | "MOD" | "DEL", "entity": {...}}`` per line.

A delta is a change set, not a snapshot: ADD and MOD give an entity's whole
new state (its values not in it are marked removed, the ones still there keep
their first_seen), DEL marks every live value of the entity removed. Other
entities of the dataset are untouched. Ops apply in file order, so the last
op on an entity wins. Values that do not parse are dropped with a warning
(see :mod:`redthread.ingest.ftm`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from redthread import __version__
from redthread.errors import InputError
from redthread.ingest.base import IngestContext, register, source_name
from redthread.ingest.ftm import json_lines, line_statements
from redthread.model import now_iso
from redthread.model.statement import Statement
from redthread.store import LoadBatch

OPS = ("ADD", "MOD", "DEL")


class DeltaLoader:
    name = "ftm-delta"
    description = "OpenSanctions delta files (ADD / MOD / DEL of FtM entities, applied with history)"

    def sniff(self, path: Path, head: bytes) -> bool:
        if path.is_dir():
            return False
        first = head.lstrip().split(b"\n", 1)[0].replace(b" ", b"")
        return first.startswith(b'{"op":') and b'"entity":' in first

    def read(self, path: Path, ctx: IngestContext) -> Iterator[LoadBatch]:
        source = ctx.source or source_name(path)
        seen = now_iso()
        origin = f"redthread.ingest.delta/{__version__}"
        state: dict[str, list[Statement] | None] = {}  # entity id -> its new statements, None when deleted
        for lineno, data in json_lines(path, ctx, "one delta operation"):
            op, entity = data.get("op"), data.get("entity")
            if op not in OPS or not isinstance(entity, dict):
                ctx.fail(InputError(f"expected {{\"op\": {'|'.join(OPS)}, \"entity\": {{...}}}}",
                                    path=str(path), line=lineno, field="op"))
                continue
            entity_id = entity.get("id")
            if not isinstance(entity_id, str) or not entity_id:
                ctx.fail(InputError("entity has no 'id'", path=str(path), line=lineno, field="entity.id"))
                continue
            if op == "DEL":
                state[entity_id] = None
                continue
            stmts = line_statements(entity, path, lineno, ctx, source=source, origin=origin, seen=seen)
            if stmts is not None:
                state[entity_id] = stmts
        if not state and not ctx.errors:
            raise InputError("no delta operations found", path=str(path))
        yield LoadBatch(
            dataset=ctx.dataset,
            source=source,
            statements=[s for stmts in state.values() if stmts for s in stmts],
            entity_scope=True,
            deleted=[eid for eid, stmts in state.items() if stmts is None],
        )


register(DeltaLoader())
