"""ingest, export, datasets, stats, loads, search."""

from __future__ import annotations

import sys
from pathlib import Path

import orjson
import typer

from redthread.commands._common import case, err_console, esc, print_table, progress_bar, store
from redthread.commands.monitor_cmd import report_after_load
from redthread.errors import InputError
from redthread.export import export as export_store
from redthread.export import exporters
from redthread.ingest import loaders
from redthread.resolve.consolidate import consolidate as consolidate_case


def ingest_cmd(
    paths: list[Path] = typer.Argument(..., help="Files or folders to load."),
    dataset: str = typer.Option(..., "--dataset", "-d", help="Dataset the load belongs to."),
    fmt: str | None = typer.Option(None, "--format", "-f", help="Input format (detected when omitted)."),
    skip_errors: bool = typer.Option(False, "--skip-errors", help="Load good records, report bad ones."),
    strict: bool = typer.Option(
        False, "--strict", help="Refuse a file for one value that does not parse (default: drop it, warn)."
    ),
    source: str | None = typer.Option(None, "--source", help="Source id (default: the file name)."),
    replace: bool = typer.Option(
        False, "--replace", help="Treat this load as the whole dataset: mark all else removed."
    ),
    mapping: Path | None = typer.Option(
        None, "--mapping", help="Column mapping YAML for customs records (implies --format customs)."
    ),
    consolidate: bool = typer.Option(
        True, "--consolidate/--no-consolidate", help="After loading documents, merge same-named parties of the case."
    ),
    atomic: bool = typer.Option(
        False, "--atomic", help="All files in one transaction: one bad file stores none of them (default: per file)."
    ),
) -> None:
    """Load files into a dataset (one transaction per file, or all in one with --atomic; re-loads keep history)."""
    the_case = case()
    st = the_case.store
    if mapping is not None:
        fmt = fmt or "customs"
    warnings: list[InputError] = []
    with progress_bar("ingest") as update:
        results, errors = the_case.load(
            paths, dataset, fmt, skip_errors=skip_errors, source=source,
            replace_dataset=replace, progress=update,
            options={"mapping": str(mapping)} if mapping is not None else None,
            strict=strict, warnings=warnings, atomic=atomic,
        )
    report_after_load()
    for warn in warnings:
        err_console.print(f"[yellow]dropped value[/] {warn.location_message()}", highlight=False)
    for err in errors:
        err_console.print(f"[yellow]skipped[/] {esc(err.location_message())}", highlight=False)
    if consolidate and any(st.document(r.source) is not None for r in results):
        merged = consolidate_case(st, dataset).merged
        if merged:
            err_console.print(f"merged {len(merged)} same-named pair(s); see `redthread consolidate`")
    print_table(("source", "added", "kept", "removed", "entities new/gone/changed", "note"), [
        (esc(r.source), str(r.added), str(r.kept), str(r.removed),
         f"{r.entities_added}/{r.entities_removed}/{r.entities_changed}", "unchanged" if r.unchanged else "")
        for r in results], title=f"dataset {esc(dataset)}")
    if errors:
        err_console.print(f"[yellow]{len(errors)} bad record(s) skipped[/]")
    if warnings:
        err_console.print(f"[yellow]{len(warnings)} value(s) that do not parse dropped (--strict refuses the file)[/]")


def export_cmd(
    fmt: str = typer.Option("ftm", "--format", "-f", help="ftm (JSON lines), csv (statements), bods (BODS 0.4), graphml, gexf, neo4j (a folder)."),
    output: Path | None = typer.Option(None, "--output", "-o", help="File to write (default stdout); a folder for neo4j."),
    dataset: str | None = typer.Option(None, "--dataset", "-d", help="Only this dataset."),
) -> None:
    """Write the store as FtM JSON lines, a statements CSV, or a network (GraphML, GEXF, Neo4j)."""
    st = store()
    folder_writer = getattr(exporters().get(fmt), "folder", None)  # exporters that write several files
    if folder_writer is not None and output is not None:
        count = folder_writer(st, output, dataset)
    elif output is None:
        count = export_store(st, fmt, sys.stdout, dataset)
    else:
        tmp = output.with_name(output.name + ".part")
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            count = export_store(st, fmt, fh, dataset)
        tmp.replace(output)
    err_console.print(f"exported {count} record(s)")


def datasets_cmd(json_out: bool = typer.Option(False, "--json", help="JSON output.")) -> None:
    """List datasets with entity and statement counts."""
    infos = store().datasets()
    if json_out:
        print(orjson.dumps([i.__dict__ for i in infos]).decode())
        return
    print_table(("dataset", "entities", "statements", "removed", "sources", "last load"), [
        (esc(i.name), str(i.entities), str(i.statements), str(i.removed), str(i.sources), esc(i.last_load or ""))
        for i in infos])


def stats_cmd(json_out: bool = typer.Option(False, "--json", help="JSON output.")) -> None:
    """Counts of entities, statements, documents, by schema."""
    data = store().stats()
    if json_out:
        print(orjson.dumps(data).decode())
        return
    rows = [(key.replace("_", " "), str(value)) for key, value in data.items() if key != "schemata"]
    rows += [(f"  {esc(schema)}", str(n)) for schema, n in data["schemata"].items()]
    print_table(("what", "count"), rows, title="redthread store")


def loads_cmd(dataset: str | None = typer.Option(None, "--dataset", "-d")) -> None:
    """The history of loads: what each added, kept and removed."""
    print_table(("#", "dataset", "source", "loaded at", "added", "kept", "removed", "entities new/gone/changed",
                 "note"), [
        (str(row["id"]), esc(row["dataset"]), esc(row["source"]), esc(row["loaded_at"]), str(row["added"]),
         str(row["kept"]), str(row["removed"]),
         f"{row['entities_added']}/{row['entities_removed']}/{row['entities_changed']}",
         "unchanged" if row["unchanged"] else "")
        for row in store().loads(dataset)])


def search_cmd(text: str, limit: int = typer.Option(20, "--limit", "-n")) -> None:
    """Find entities by name: any script, case or transliteration, forgiving typos."""
    from redthread.search import search as find

    st = store()
    rows = []
    for hit in find(st, text, limit=limit):
        ent = st.entity(str(hit["id"]))
        if ent:
            matched = "" if hit["name"] == ent.caption else f"\n[dim]{esc(str(hit['name']))}[/]"
            rows.append((esc(str(hit["id"])), esc(ent.schema), esc(ent.caption) + matched, esc(", ".join(ent.datasets))))
    print_table(("id", "schema", "name", "datasets"), rows)


def formats_cmd() -> None:
    """List the input formats ingest understands."""
    print_table(("format", "description"), [(name, loader.description) for name, loader in sorted(loaders().items())])


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest_cmd)
    app.command("export")(export_cmd)
    app.command("datasets")(datasets_cmd)
    app.command("stats")(stats_cmd)
    app.command("loads")(loads_cmd)
    app.command("search")(search_cmd)
    app.command(name="formats")(formats_cmd)
