"""demo: the example case end to end (the README's first command)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from redthread.commands._common import console, progress_bar
from redthread.demo import run_demo


def register(app: typer.Typer) -> None:
    @app.command()
    def demo(
        out: Path = typer.Option(Path("demo-output"), "--out", "-o", help="Folder for the demo's outputs."),
        no_serve: bool = typer.Option(False, "--no-serve", help="Stop after writing the files."),
    ) -> None:
        """Load the example case into its own store and summarise it."""
        with progress_bar("demo") as update:
            result, store = run_demo(out, progress=update)
        table = Table("what", "count", title="redthread demo")
        for key in ("entities", "statements", "datasets", "documents"):
            table.add_row(key, str(result.stats.get(key, 0)))
        for schema, n in result.stats.get("schemata", {}).items():
            table.add_row(f"  {schema}", str(n))
        console.print(table)
        console.print(f"store: {result.store_url}")
        console.print(f"outputs in: {out.resolve()}")
        console.print(
            f"try: REDTHREAD_STORE={result.store_url} .venv/bin/redthread entity Aero-HIT"
        )
        store.close()
