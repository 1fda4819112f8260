"""entity: the profile of one party, every value with its sources."""

from __future__ import annotations

import orjson
import typer
from rich.table import Table
from rich.text import Text

from redthread.analyze.profile import profile
from redthread.commands._common import console, esc, resolve_entity, store
from redthread.errors import NotFound


def register(app: typer.Typer) -> None:
    @app.command()
    def entity(
        name_or_id: str = typer.Argument(..., help="Entity id or name."),
        json_out: bool = typer.Option(False, "--json", help="JSON output."),
    ) -> None:
        """Show a profile: properties, each value with its sources; linked entities."""
        st = store()
        eid = resolve_entity(st, name_or_id)
        prof = profile(st, eid)
        if prof is None:
            raise NotFound(f"no entity {name_or_id!r}")
        if json_out:
            print(orjson.dumps(prof).decode())
            return
        ent = prof["entity"]  # None when every value was removed
        caption, schema = (ent.caption, ent.schema) if ent is not None else (eid, "")
        console.print(f"[bold]{esc(caption)}[/]  [dim]{esc(schema)} · {esc(eid)}[/]")
        if len(prof["members"]) > 1:
            console.print(f"[dim]merged from: {esc(', '.join(prof['members']))}[/]")
        table = Table("property", "value", "sources", show_lines=True)
        for prop in prof["properties"]:
            for val in prop["values"]:
                srcs = []
                for src in val["sources"]:
                    where = src["location"] or src["source"]
                    line = f"{src['dataset']} · {where} · {src['origin']} · conf {src['confidence']:.2f}"
                    if src["hedge"]:
                        line += f" · hedged: {src['hedge']}"
                    if src["quote"]:
                        line += f"\n  “{src['quote']}”"
                    line = esc(line)
                    if src["removed_at"]:
                        line += f"\n  [red]removed {src['removed_at']}[/]"
                    srcs.append(line)
                value = Text(val["value"], style="strike red" if val["removed"] else "")
                table.add_row(esc(prop["label"]), value, "\n".join(srcs))
        console.print(table)
        if prof["links"]:
            links = Table("direction", "via", "entity", "schema", "other party", title="links")
            for link in prof["links"]:
                other = link.get("counterpart")
                links.add_row(
                    esc(link["direction"]), esc(link["prop"]), esc(link["caption"]), esc(link["schema"] or ""),
                    esc(f"{other['prop']}: {other['caption']}") if other else "",
                )
            console.print(links)
