"""screen: one name, or a CSV of counterparties, against the store."""

from __future__ import annotations

from pathlib import Path

import orjson
import typer
from rich.table import Table

from redthread.commands._common import console, err_console, esc, progress_bar, store
from redthread.errors import RedthreadError
from redthread.screen import index_for
from redthread.screen import screen as screen_name
from redthread.screen.matching import DEFAULT_THRESHOLD, ScoredResult
from redthread.screen.scorers import DEFAULT
from redthread.screen.screening import screen_file


def _explain(result: ScoredResult) -> str:
    expl = result.get("explanations") or {}
    assert isinstance(expl, dict)
    parts = []
    for feature, detail in expl.items():
        if feature == "name":
            toks = ", ".join(f"{q}~{c} {s}" for q, c, s in detail.get("tokens", []))
            parts.append(f"name: {detail.get('candidate')} ({detail.get('method')}: {toks})")
        else:
            parts.append(f"{feature}: {detail.get('query')} / {detail.get('candidate')}")
    return esc("\n".join(parts))


def _listed(result: ScoredResult) -> str:
    """Sanctioned (authority, program, since) or blocked by a 50 % rule (share), for the table."""
    lines = [f"sanction: {s['authority']} {s['program']} {s['listing_date'] or ''}".strip()
             for s in result.get("sanctions") or []]
    lines += [f"sanction.linked: {b['authority']} {b['blocked_share']:g} %" for b in result.get("blocked") or []]
    return "\n".join(lines)


def register(app: typer.Typer) -> None:
    @app.command()
    def screen(
        name: str | None = typer.Argument(None, help="The name to screen (any script)."),
        schema: str = typer.Option("LegalEntity", "--schema", "-s", help="Person, Company, Organization, Vessel, ..."),
        country: str | None = typer.Option(None, "--country", "-c", help="Country (code or name)."),
        birth_date: str | None = typer.Option(None, "--birth-date", help="Date of birth (YYYY[-MM[-DD]])."),
        identifier: list[str] = typer.Option([], "--id", help="An identifier (INN, OGRN, USCC, IMO, LEI, ...)."),
        dataset: str | None = typer.Option(None, "--dataset", "-d", help="Only this dataset."),
        threshold: float = typer.Option(DEFAULT_THRESHOLD, "--threshold", help="Score that counts as a match."),
        limit: int = typer.Option(10, "--limit", "-n", help="Results per name."),
        algorithm: str = typer.Option(DEFAULT, "--algorithm", help="Scoring algorithm (see `redthread algorithms`)."),
        file: Path | None = typer.Option(None, "--file", "-f", help="A counterparties CSV (column 'name', ...)."),
        output: Path | None = typer.Option(None, "--output", "-o", help="Results CSV for --file."),
        json_out: bool = typer.Option(False, "--json", help="JSON output (the yente results list)."),
    ) -> None:
        """Screen a name (or a CSV with --file) against the store; explained scores."""
        st = store()
        if file is not None:
            if output is None:
                raise RedthreadError("--file needs --output/-o for the results CSV")
            with progress_bar("screening") as update:
                index_for(st, dataset, progress=update)
                stats = screen_file(st, file, output, dataset=dataset, threshold=threshold, limit=min(limit, 3),
                                    algorithm=algorithm, progress=update)
            err_console.print(f"screened {stats['rows']} row(s): {stats['matched']} with a match; "
                              f"{stats['lines']} result line(s) in {esc(output)}")
            return
        if not name:
            raise RedthreadError("give a NAME to screen, or --file counterparties.csv -o results.csv")
        with progress_bar("indexing") as update:
            index_for(st, dataset, progress=update)
        results = screen_name(st, name, schema=schema, country=country, birth_date=birth_date,
                              identifiers=identifier or None, dataset=dataset, threshold=threshold,
                              limit=limit, algorithm=algorithm)
        if json_out:
            print(orjson.dumps(results).decode())
            return
        if not results:
            console.print(esc(f"no candidates for {name!r}"))
            return
        table = Table("score", "match", "entity", "schema", "datasets", "listed", "why", show_lines=True)
        for r in results:
            table.add_row(f"{r['score']:.3f}", "[bold red]MATCH[/]" if r["match"] else "",
                          f"{esc(r['caption'])}\n[dim]{esc(r['id'])}[/]", esc(r["schema"]), esc(", ".join(r["datasets"])),
                          esc(_listed(r)), _explain(r))
        console.print(table)

    @app.command()
    def algorithms(json_out: bool = typer.Option(False, "--json", help="JSON output.")) -> None:
        """List the matching algorithms and their features."""
        from redthread.screen import algorithms as list_algorithms

        body = list_algorithms()
        if json_out:
            print(orjson.dumps(body).decode())
            return
        for algo in body["algorithms"]:
            mark = " (default)" if algo["name"] == body["default"] else ""
            console.print(f"[bold]{algo['name']}[/]{mark}: {algo['description']}")
            for feat, doc in algo["features"].items():
                console.print(f"  {feat}: {doc['description']}")
