"""xref, review, judge, unjudge, judgements: entity resolution from the terminal."""

from __future__ import annotations

import orjson
import typer
from rich.table import Table

from redthread.commands._common import console, err_console, esc, print_table, progress_bar, store
from redthread.resolve import judge as judge_pair
from redthread.resolve import review as review_pairs
from redthread.resolve import unjudge as unjudge_pair
from redthread.resolve import xref as xref_pairs
from redthread.resolve.review import PairView
from redthread.resolve.xref import Candidate


def _why(cand: Candidate) -> str:
    name = cand.explanations.get("name", {})
    extra = [k for k in cand.features if k != "name"]
    return esc(f"{name.get('query', '')} ~ {name.get('candidate', '')}" + (f" (+{', '.join(extra)})" if extra else ""))


def register(app: typer.Typer) -> None:
    @app.command()
    def xref(
        dataset: str | None = typer.Option(None, "--dataset", "-d", help="Only pairs with an entity from this dataset."),
        threshold: float = typer.Option(0.7, "--threshold", help="Lowest score proposed."),
        limit: int = typer.Option(100, "--limit", "-n", help="At most this many pairs."),
        offset: int = typer.Option(0, "--offset", help="Skip this many pairs (the next page)."),
        within: bool = typer.Option(True, "--within/--across", help="Also pairs inside one dataset (default), or only across datasets."),
        json_out: bool = typer.Option(False, "--json", help="JSON lines output."),
    ) -> None:
        """Propose entities that may be the same party (in one dataset or across), with scores.

        Computed once per store content, then read from the kept set (see docs/web.md, Review).
        """
        st = store()
        with progress_bar("xref") as update:
            cands = xref_pairs(st, dataset, threshold=threshold, limit=limit, offset=offset, within=within,
                               progress=update)
        if json_out:
            for c in cands:
                print(orjson.dumps(c).decode())
            return
        print_table(("score", "left", "right", "why"), [
            (f"{c.score:.3f}" + (f"\n[dim]{esc(c.reason)}[/]" if c.reason else ""),
             f"{esc(c.left_caption)}\n[dim]{esc(c.left_id)} · {esc(', '.join(c.left_datasets))}[/]",
             f"{esc(c.right_caption)}\n[dim]{esc(c.right_id)} · {esc(', '.join(c.right_datasets))}[/]",
             _why(c)) for c in cands])
        err_console.print(f"{len(cands)} candidate pair(s); judge them with `redthread review`")

    @app.command()
    def review(
        dataset: str | None = typer.Option(None, "--dataset", "-d", help="Only pairs with an entity from this dataset."),
        threshold: float = typer.Option(0.7, "--threshold", help="Lowest score shown."),
        limit: int = typer.Option(50, "--limit", "-n", help="At most this many pairs."),
        within: bool = typer.Option(True, "--within/--across", help="Also pairs inside one dataset (default)."),
        user: str = typer.Option("cli", "--user", help="Who is judging (kept with each judgement)."),
    ) -> None:
        """Judge proposed pairs one by one: y(es) n(o) u(nsure) s(kip) q(uit)."""
        st = store()
        with progress_bar("xref") as update:
            cands = xref_pairs(st, dataset, threshold=threshold, limit=limit, within=within, progress=update)
        if not cands:
            console.print("nothing to review")
            return

        def ask(cand: Candidate, view: PairView) -> str:
            table = Table("property", esc(cand.left_id), esc(cand.right_id), title=f"score {cand.score:.3f}: {_why(cand)}")
            for row in view["properties"]:
                mark = "[green]=[/] " if row["shared"] else ""
                table.add_row(mark + esc(row["prop"]), esc("\n".join(row["left"])), esc("\n".join(row["right"])))
            console.print(table)
            answer: str = typer.prompt("same party? [y/n/u/s/q]", default="s", show_default=False)
            return answer

        counts = review_pairs(st, cands, ask, user=user)
        console.print(", ".join(f"{k}: {v}" for k, v in counts.items()))

    @app.command()
    def judge(
        left: str = typer.Argument(..., help="Entity id."),
        right: str = typer.Argument(..., help="Entity id."),
        judgement: str = typer.Argument(..., help="positive, negative or unsure (or y/n/u)."),
        user: str = typer.Option("cli", "--user", help="Who is judging."),
    ) -> None:
        """Record that two entities are (positive) or are not (negative) the same party."""
        st = store()
        rec = judge_pair(st, left, right, judgement, user=user)
        console.print(esc(f"{rec.judgement}: {left} / {right}; canonical id {st.canonical_id(left)}"))

    @app.command()
    def unjudge(left: str = typer.Argument(...), right: str = typer.Argument(...)) -> None:
        """Undo the judgement on a pair (and the merge it made)."""
        if unjudge_pair(store(), left, right):
            console.print(esc(f"removed the judgement on {left} / {right}"))
        else:
            err_console.print(esc(f"no judgement on {left} / {right}"))
            raise typer.Exit(1)

    @app.command()
    def judgements(json_out: bool = typer.Option(False, "--json", help="JSON output.")) -> None:
        """List recorded judgements."""
        rows = store().judgements()
        if json_out:
            print(orjson.dumps([j.__dict__ for j in rows]).decode())
            return
        print_table(("left", "right", "judgement", "user", "at", "score"), [
            (esc(j.left_id), esc(j.right_id), esc(j.judgement), esc(j.user), esc(j.created_at),
             "" if j.score is None else f"{j.score:.3f}") for j in rows])
