"""FtM glue: statements with provenance, entity assembly, ids."""

from redthread.model.entity import Entity, assemble, assemble_many, bulk_statements, entity_statements
from redthread.model.statement import Statement, make_statement_id, now_iso

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
