"""extract (documents → FtM JSON lines) and eval (score extraction against gold)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import orjson
import typer
from rich.table import Table

from redthread.commands._common import console, err_console, esc, progress_bar

if TYPE_CHECKING:  # the scorer (and extraction under it) is imported when ``eval`` runs
    from redthread.extract.evaluate import DocScore, SplitSummary


def _print_eval(summary: dict[str, SplitSummary], scores: list[DocScore], *, published: bool, verbose: bool) -> None:
    """``redthread eval``'s tables: per document (a published-format set), per split, then the misses."""
    from redthread.extract.evaluate import Counts

    if published:
        for sc in scores:
            rel = Counts()
            for c in sc.relations.values():
                rel.add(c)
            console.print(f"{sc.name}: parties P={sc.parties.precision:.2f} R={sc.parties.recall:.2f} "
                          f"F1={sc.parties.f1:.2f} | relations P={rel.precision:.2f} R={rel.recall:.2f} "
                          f"F1={rel.f1:.2f}", highlight=False, soft_wrap=True)
    for name, block in summary.items():
        table = Table("what", "P", "R", "F1", "tp", "fp", "fn",
                      title=f"{name}: {len(block['documents'])} document(s)")
        rows = [("parties", block["parties"]), ("relations (all)", block["relations"])]
        rows += [(f"  {k}", v) for k, v in block["relation_classes"].items()]
        for label, fig in rows:
            table.add_row(label, f"{fig['precision']:.2f}", f"{fig['recall']:.2f}", f"{fig['f1']:.2f}",
                          str(fig["tp"]), str(fig["fp"]), str(fig["fn"]))
        if not published:  # the published format has no key properties to score
            table.add_row("key properties (recall)", "", f"{block['key_properties_recall']:.2f}", "", "", "", "")
        console.print(table)
    if verbose:
        for s in scores:
            for miss in s.misses:
                console.print(f"[dim]{esc(s.name)}[/] {esc(miss)}", highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    @app.command()
    def extract(
        paths: list[str] = typer.Argument(..., help="Documents (.txt, .html, .pdf, .docx); '-' reads stdin."),
        output: Path | None = typer.Option(None, "--output", "-o", help="FtM JSON lines file (default stdout)."),
        backend: str = typer.Option("rules", "--backend", "-b", help="rules (offline) or llm (REDTHREAD_LLM_URL)."),
        dataset: str = typer.Option("extract", "--dataset", "-d", help="Dataset name put on the statements."),
        statements: bool = typer.Option(False, "--statements", help="Write statements with provenance instead of entities."),
        keep_partial: bool = typer.Option(
            False, "--keep-partial", help="A document past its time budget (REDTHREAD_EXTRACT_SECONDS) keeps what was "
                                          "found so far, its Document marked processingStatus 'partial', and the run "
                                          "goes on; without it the run stops there and writes nothing."),
    ) -> None:
        """Extract parties and relations from documents as FtM entities (JSON lines)."""
        from redthread.extract import extract_path
        from redthread.extract.budget import ExtractionTimeout

        part = None if output is None else output.with_name(output.name + ".part")
        out = sys.stdout if part is None else part.open("w", encoding="utf-8")
        count = 0
        done = False
        try:
            with progress_bar("extract") as update:
                for i, path in enumerate(paths):
                    update(path, i, len(paths))
                    try:
                        result = extract_path(path, dataset=dataset, backend=backend)
                    except ExtractionTimeout as exc:
                        if not keep_partial or exc.partial is None:
                            raise
                        err_console.print(f"[yellow]warning:[/] {esc(str(exc))}; kept what was found before it",
                                          highlight=False, soft_wrap=True)
                        result = exc.partial
                    rows = [s.to_dict() for s in result.statements] if statements else result.entities
                    for row in rows:
                        out.write(orjson.dumps(row).decode() + "\n")
                    count += len(rows)
            done = True
        finally:
            if part is not None:
                out.close()
                if not done:  # a failed document leaves no half-written output behind
                    part.unlink(missing_ok=True)
        if part is not None and output is not None:
            part.replace(output)
        err_console.print(f"extracted {count} {'statement' if statements else 'entit'}{'s' if statements else 'ies'} from {len(paths)} document(s)")

    @app.command(name="eval")
    def eval_(
        gold: Path = typer.Option(Path("eval/gold"), "--gold", "-g", help="Folder of gold annotation files (*.yaml)."),
        backend: str = typer.Option("rules", "--backend", "-b", help="Extraction backend to score."),
        split: str = typer.Option("all", "--split", "-s", help="tune, heldout or all."),
        json_out: bool = typer.Option(False, "--json", help="JSON output."),
        verbose: bool = typer.Option(False, "--verbose", "-v", help="List every miss (false positive/negative)."),
        gold_set: Path | None = typer.Option(
            None, "--set", help="A folder of gold in the published format (gold/*.json beside texts/), "
                                "e.g. ../shared/corpus/real; scored instead of --gold."),
    ) -> None:
        """Score extraction against gold annotations: precision/recall/F1 for parties and relations."""
        from redthread.extract.evaluate import evaluate, summarise

        if gold_set is not None:
            from redthread.extract.gold_set import evaluate_set

            scores = evaluate_set(gold_set, backend)
            summary = summarise(scores)
            summary.pop("set", None)
        else:
            summary, scores = evaluate(gold, backend, None if split == "all" else split)
        if json_out:
            print(orjson.dumps(summary, option=orjson.OPT_INDENT_2).decode())
            return
        _print_eval(summary, scores, published=gold_set is not None, verbose=verbose)
