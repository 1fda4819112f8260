"""FtM glue: statements with provenance, entity assembly, ids."""

from redthread.model.entity import assemble, assemble_many, entity_statements
from redthread.model.statement import Statement, make_statement_id, now_iso

__all__ = [
    "Statement",
    "make_statement_id",
    "now_iso",
    "assemble",
    "assemble_many",
    "entity_statements",
]
