"""``redthread keys create|list|revoke``: API keys and their roles."""

from __future__ import annotations

import typer
from rich.table import Table

from redthread.commands._common import case, console, esc
from redthread.keys import ROLES


def register(app: typer.Typer) -> None:
    keys = typer.Typer(help="API keys: create, list, revoke.", no_args_is_help=True)

    @keys.command("create")
    def create(
        role: str = typer.Option(..., "--role", "-r", help=f"One of: {', '.join(ROLES)}."),
        name: str = typer.Option("", "--name", "-n", help="Who or what uses the key."),
    ) -> None:
        """Create a key. The key is printed once, as the last word of the output."""
        with case() as c:
            record, key = c.keys.create(role, name)
        print(f"created {record.role} key {record.id}{' (' + name + ')' if name else ''}; "
              f"send it as `Authorization: ApiKey <key>`. Key: {key}")

    @keys.command("list")
    def list_keys() -> None:
        """List keys (ids, names, roles, dates; never the secrets)."""
        with case() as c:
            records = c.keys.list()
        table = Table("id", "name", "role", "created", "last used", "revoked")
        for k in records:
            table.add_row(esc(k.id), esc(k.name), esc(k.role), esc(k.created_at), esc(k.last_used_at or ""),
                          esc(k.revoked_at or ""))
        console.print(table)

    @keys.command("revoke")
    def revoke(key_id: str = typer.Argument(..., help="The key id (see `redthread keys list`).")) -> None:
        """Revoke a key; it stops working at once."""
        with case() as c:
            record = c.keys.revoke(key_id)
        console.print(f"revoked key {record.id} ({record.role}) at {record.revoked_at}")

    app.add_typer(keys, name="keys")
