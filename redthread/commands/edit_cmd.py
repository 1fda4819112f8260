"""add-entity, add-link, add-property, retype, edits, undo: facts stated by hand, with a note."""

from __future__ import annotations

import getpass

import orjson
import typer
from rich.table import Table

from redthread.commands._common import console, resolve_entity, store
from redthread.resolve import edits as ed


def _props(values: list[str]) -> dict[str, list[str]]:
    """``prop=value`` options into a property map (a clear error names the bad one)."""
    out: dict[str, list[str]] = {}
    for item in values:
        prop, sep, value = item.partition("=")
        if not sep or not prop.strip():
            raise typer.BadParameter(f"{item!r}: write PROP=VALUE, e.g. percentage=51", param_hint="--prop")
        out.setdefault(prop.strip(), []).append(value.strip())
    return out


def _show(edit: ed.Edit) -> None:
    console.print(f"edit {edit.id} ({edit.kind}) by {edit.user}: {edit.entity_id}; undo with `redthread undo {edit.id}`")


NOTE = typer.Option(..., "--note", help="Why: kept as the source of this fact.")
USER = typer.Option(None, "--user", help="Who states this (default: your login name).")


def register(app: typer.Typer) -> None:
    @app.command("add-entity")
    def add_entity(name: str = typer.Argument(...), schema: str = typer.Option("Company", "--schema"),
                   note: str = NOTE, user: str | None = USER,
                   prop: list[str] = typer.Option([], "--prop", help="PROP=VALUE, repeatable.")) -> None:
        """Add an entity only you know of, with a note saying why."""
        _show(ed.add_entity(store(), schema, name, note=note, user=user or getpass.getuser(), properties=_props(prop)))

    @app.command("add-link")
    def add_link(schema: str = typer.Argument(..., help="Ownership, Directorship, Representation, ..."),
                 source: str = typer.Argument(..., help="Owner / director / agent: id or name."),
                 target: str = typer.Argument(..., help="Asset / organization / client: id or name."),
                 note: str = NOTE, user: str | None = USER,
                 prop: list[str] = typer.Option([], "--prop", help="PROP=VALUE, e.g. percentage=51.")) -> None:
        """Add a link between two parties, with a note saying why."""
        st = store()
        _show(ed.add_link(st, schema, resolve_entity(st, source), resolve_entity(st, target), note=note,
                          user=user or getpass.getuser(), properties=_props(prop)))

    @app.command("add-property")
    def add_property(entity: str = typer.Argument(..., help="Id or name."), prop: str = typer.Argument(...),
                     value: str = typer.Argument(...), note: str = NOTE, user: str | None = USER) -> None:
        """Add a property value to an entity, with a note saying why."""
        st = store()
        _show(ed.add_property(st, resolve_entity(st, entity), prop, value, note=note, user=user or getpass.getuser()))

    @app.command()
    def retype(entity: str = typer.Argument(..., help="Id or name."), schema: str = typer.Argument(...),
               note: str = NOTE, user: str | None = USER) -> None:
        """Correct an entity's type (e.g. a company taken for a person)."""
        st = store()
        _show(ed.retype(st, resolve_entity(st, entity), schema, note=note, user=user or getpass.getuser()))

    @app.command("edits")
    def list_edits(entity: str | None = typer.Option(None, "--entity"),
                   json_out: bool = typer.Option(False, "--json")) -> None:
        """List manual edits, newest first."""
        st = store()
        rows = ed.edits(st, resolve_entity(st, entity) if entity else None)
        if json_out:
            print(orjson.dumps([e.to_dict() for e in rows]).decode())
            return
        table = Table("edit", "kind", "entity", "by", "at", "note", "undone")
        for e in rows:
            table.add_row(e.id, e.kind, e.entity_id, e.user, e.at, e.note, e.undone_at or "")
        console.print(table)

    @app.command()
    def undo(edit_id: str = typer.Argument(...)) -> None:
        """Undo a manual edit (its statements are kept, marked removed)."""
        e = ed.undo(store(), edit_id)
        console.print(f"undid edit {e.id} ({e.kind}) at {e.undone_at}")
