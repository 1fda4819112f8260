"""consolidate: one node per party across the documents and records of a case."""

from __future__ import annotations

import typer
from rich.table import Table

from redthread.commands._common import console, err_console, store
from redthread.resolve.consolidate import consolidate as consolidate_case


def register(app: typer.Typer) -> None:
    @app.command()
    def consolidate(
        dataset: str | None = typer.Option(None, "--dataset", "-d", help="Only parties with a record in this dataset."),
        dry_run: bool = typer.Option(False, "--dry-run", help="Show the merges without making them."),
        json_out: bool = typer.Option(False, "--json", help="JSON output."),
    ) -> None:
        """Merge same-named parties and addresses of the case; propose the doubtful ones."""
        result = consolidate_case(store(), dataset, apply=not dry_run)
        if json_out:
            print(result.to_json().decode())
            return
        table = Table("", "left", "right", "why")
        for pair in result.merged + result.proposed:
            table.add_row("merged" if pair.merged else "[yellow]review[/]",
                          f"{pair.left_caption}\n[dim]{pair.left_id}[/]",
                          f"{pair.right_caption}\n[dim]{pair.right_id}[/]", pair.reason)
        console.print(table)
        verb = "would merge" if dry_run else "merged"
        err_console.print(f"{verb} {len(result.merged)} pair(s); {len(result.proposed)} proposed for review "
                          "(`redthread judge LEFT RIGHT yes|no`)")
