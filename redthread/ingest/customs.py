"""Customs and bill-of-lading records: CSV or Parquet with a column mapping.

``records.csv`` (or ``.parquet``/``.tsv``) loads with the mapping beside it
(``records.mapping.yaml``) or the one given as ``--mapping FILE``. Records go
to the columnar trade table (:mod:`redthread.trade.table`), keyed to party ids;
each party (sender, receiver, declarant) becomes one FtM entity in the store
per normalised name and country, its name and country statements pointing to
the first record (``file:row``) where that spelling appears.

Bad rows are reported as ``file:row: column: reason``. Without
``--skip-errors`` a file with a bad row is refused whole; with it, the good
rows load.

A load is one unit of work: the trade files are staged, the party statements
committed, then the files published (:class:`redthread.trade.table.Staged`);
if the store refuses the statements the staged files are deleted, and a crash
in between is finished or undone by :meth:`CustomsLoader.recover` before the
next load.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from redthread import __version__
from redthread.errors import InputError
from redthread.ingest.base import IngestContext, register
from redthread.model import bulk_statements, now_iso
from redthread.model.statement import Statement
from redthread.store import LoadBatch, Store
from redthread.trade import table
from redthread.trade.mapping import RECORD_SUFFIXES, Mapping, beside, load_mapping, record_files
from redthread.trade.records import PartyRow, RecordLoad, load_records

ORIGIN = f"redthread.ingest.customs/{__version__}"


def party_statements(
    parties: list[PartyRow], *, dataset: str, source: str, file_name: str, schema: str, seen: str
) -> list[Statement]:
    """FtM statements for the parties of one file (one name statement per spelling).

    Each spelling's statements point to the record where it first appears
    (``file:row``); a party seen in several roles or spellings says its id once per place.
    """
    out = bulk_statements(
        schema,
        ((p.party_id, {"name": [p.name], "country": [p.country]} if p.country else {"name": [p.name]},
          f"{file_name}:{p.first_row}") for p in parties),
        dataset, source=source, origin=ORIGIN, seen=seen,
    )
    unique: dict[str, Statement] = {s.id: s for s in out}
    return list(unique.values())


def load_file(path: Path, mapping: Mapping, ctx: IngestContext, source: str) -> tuple[RecordLoad, LoadBatch]:
    """Load one records file into the trade table; the batch of party statements for the store."""
    folder = table.table_dir(ctx.store_url)
    con = table.work_connection()
    try:
        result = load_records(
            con, path, mapping, dataset=ctx.dataset, source=source, strict=not ctx.skip_errors,
            folder=folder, publish=False,
        )
    finally:
        con.close()
    moves = {str(table.part_file(target)): str(target)
             for target in table.source_files(folder, ctx.dataset, source).values()}
    ctx.errors.extend(result.errors)
    stmts = party_statements(
        result.parties, dataset=ctx.dataset, source=source, file_name=path.name,
        schema=mapping.party_schema, seen=now_iso(),
    )
    batch = LoadBatch(dataset=ctx.dataset, source=source, statements=stmts, replace_dataset=ctx.replace_dataset,
                      staged=table.Staged(folder, ctx.dataset, source, moves))
    return result, batch


class CustomsLoader:
    name = "customs"
    description = "customs / bill-of-lading records (CSV, Parquet) with a column mapping YAML"

    def sniff(self, path: Path, head: bytes) -> bool:
        if path.is_dir():
            return bool(record_files(path))
        return path.suffix.lower() in RECORD_SUFFIXES and beside(path).exists()

    def read(self, path: Path, ctx: IngestContext) -> Iterator[LoadBatch]:
        explicit = ctx.options.get("mapping")
        files = record_files(path) if path.is_dir() else [path]
        loaded: set[str] = set()
        batches: list[LoadBatch] = []
        if not files:
            raise InputError("no records file with a .mapping.yaml beside it in this folder", path=str(path))
        try:
            self._stage_all(files, explicit, path, ctx, loaded, batches)
        except BaseException:
            for done in batches:  # a later file failed: the earlier ones' staged files go too
                done.staged.discard()
            raise
        if ctx.replace_dataset and batches:  # this load is the whole dataset: other sources' records go
            batches[-1].staged.keep_sources = sorted(loaded)
        yield from batches

    def _stage_all(self, files: list[Path], explicit: Any, path: Path, ctx: IngestContext, loaded: set[str],
                   batches: list[LoadBatch]) -> None:
        for records in files:
            if explicit:
                mapping = load_mapping(Path(explicit))
            elif beside(records).exists():
                mapping = load_mapping(beside(records))
            else:
                raise InputError(
                    f"no column mapping: put {beside(records).name} beside it or pass --mapping FILE",
                    path=str(records),
                )
            ctx.tick(records.name, 0)
            source = ctx.source or records.name
            if ctx.source and path.is_dir():
                source = f"{ctx.source}/{records.name}"
            result, batch = load_file(records, mapping, ctx, source)
            batches.append(batch)  # staged: discarded with the others if anything below fails
            ctx.tick(records.name, result.rows_read, result.rows_read)
            if result.rows_loaded == 0 and not result.errors:
                raise InputError("no records found", path=str(records))
            loaded.add(source)

    def recover(self, store: Store) -> list[str]:
        """Finish (store committed) or undo (it did not) customs loads a crash interrupted."""
        folder = table.table_dir(getattr(store, "url", None))
        if not (folder / table.JOURNAL).is_dir():
            return []
        return table.recover(folder, store.loads())


register(CustomsLoader())
