"""Helpers shared by CLI commands: the store, progress bars, entity lookup."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from redthread import settings
from redthread.case import Case, open_case
from redthread.errors import NotFound, RedthreadError
from redthread.store import Store

#: Width of tables written to a pipe or file. Rich falls back to 80 columns
#: when it cannot ask a terminal, which cut names and ids in piped tables;
#: ``COLUMNS`` still wins when set.
PIPE_WIDTH = 400


def _console(stderr: bool = False) -> Console:
    """A console as wide as the terminal, or :data:`PIPE_WIDTH` when piped."""
    stream = sys.stderr if stderr else sys.stdout
    piped = not (hasattr(stream, "isatty") and stream.isatty())
    width = PIPE_WIDTH if piped and not settings.terminal_columns() else None
    return Console(stderr=stderr, width=width)


console = _console()
err_console = _console(stderr=True)


def esc(value: object) -> str:
    """``value`` as text Rich prints literally: names, quotes and ids come from data, and a name
    like ``[/]`` or ``[link=...]`` must neither crash the command nor become markup."""
    return escape(str(value))


def print_table(columns: Sequence[str], rows: Iterable[Sequence[str]], *, title: str | None = None,
                show_lines: bool = False) -> None:
    """Print rows (texts already escaped or marked up) as one table: how every command lays out a list."""
    table = Table(*columns, title=title, show_lines=show_lines)
    for row in rows:
        table.add_row(*row)
    console.print(table)


def case() -> Case:
    """The configured case (close it when done: ``with case() as c:``)."""
    return open_case()


def store() -> Store:
    """The configured case's store, for commands that need nothing beside it."""
    return open_case().store


@contextmanager
def progress_bar(description: str) -> Iterator[Any]:
    """A Rich progress bar on stderr; yields a ``(label, done, total)`` callback."""
    with Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as progress:
        task = progress.add_task(description, total=None)

        def update(label: str, done: int, total: int | None = None) -> None:
            progress.update(task, description=f"{description} {label}", completed=done, total=total)

        yield update


def resolve_entity(st: Store, name_or_id: str) -> str:
    """An entity id from an id or a name; errors list the candidates."""
    if st.entity(name_or_id) is not None:
        return st.canonical_id(name_or_id)
    hits = st.search(name_or_id, limit=10)
    if not hits:
        raise NotFound(f"no entity with id or name {name_or_id!r}; try `redthread search`")
    exact = []
    for hit in hits:
        ent = st.entity(hit)
        if ent and any(n.lower() == name_or_id.lower() for n in ent.values_of("name")):
            exact.append(hit)
    if len(exact) == 1 or len(hits) == 1:
        return (exact or hits)[0]
    names = []
    for hit in hits:
        ent = st.entity(hit)
        names.append(f"{ent.caption if ent else '?'} ({hit})")
    raise RedthreadError(f"{name_or_id!r} is ambiguous; use an id: " + "; ".join(names))
