"""FtM glue: statements with provenance, entity assembly, ids.

The entity half (``Entity``, ``assemble`` …) is imported on first use: it needs followthemoney,
whose import costs a fresh process about a second, and extraction writes statements without it.
"""

from typing import TYPE_CHECKING, Any

from redthread.model.statement import Statement, make_statement_id, now_iso

if TYPE_CHECKING:
    from redthread.model.entity import Entity, assemble, assemble_many, bulk_statements, entity_statements

__all__ = [
    "Entity",
    "bulk_statements",
    "Statement",
    "make_statement_id",
    "now_iso",
    "assemble",
    "assemble_many",
    "entity_statements",
]

_ENTITY_NAMES = frozenset({"Entity", "assemble", "assemble_many", "bulk_statements", "entity_statements"})


def __getattr__(name: str) -> Any:
    if name in _ENTITY_NAMES:
        from redthread.model import entity

        return getattr(entity, name)
    raise AttributeError(f"module 'redthread.model' has no attribute {name!r}")
