"""``redthread report``: an investigation dossier as HTML or PDF."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from redthread.commands._common import console, esc, progress_bar, resolve_entity, store
from redthread.errors import RedthreadError


def register(app: typer.Typer) -> None:
    @app.command()
    def report(
        name_or_id: str | None = typer.Argument(None, help="The entity (name or id) the dossier is about."),
        case: bool = typer.Option(False, "--case", help="A dossier of the whole case instead of one entity."),
        output: Path = typer.Option(..., "--output", "-o", help="dossier.html or dossier.pdf"),
    ) -> None:
        """Write a dossier: summary, network, ownership, flows, red flags, timeline, claims, sources."""
        from redthread.report.dossier import section_summary, write_dossier

        if (name_or_id is None) == (not case):
            raise RedthreadError("give either an entity (name or id) or --case")
        st = store()
        try:
            entity_id = resolve_entity(st, name_or_id) if name_or_id else None
            with progress_bar("report") as update:
                update("building", 0)
                dossier = write_dossier(st, entity_id, output)
        finally:
            st.close()
        table = Table("section", "content", "note", title=esc(f"{dossier.title} -> {output}"))
        for row in section_summary(dossier):
            table.add_row(esc(row["section"]), "yes" if row["content"] else "-", esc(row["note"]))
        console.print(table)
