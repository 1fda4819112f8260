"""Prose documents (.txt, .html, .pdf, .docx): extract parties and relations, store them.

Each document's id is its dataset and file name (:func:`document_id`).
The text is read by :mod:`redthread.extract.readers` and run through the
default offline extractor; every statement keeps its character span and
quote, and the document's text is stored so spans can be highlighted. The
loader claims .txt/.html/.htm/.xhtml/.pdf/.docx files (not .md: READMEs stay out), or files whose
content is HTML, PDF or a Word zip; never .csv, .jsonl, .json, .yaml or .xml.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from redthread import settings
from redthread.errors import InputError
from redthread.extract import doc_id_for, extract_text
from redthread.extract.readers import read_document, sniff_reader
from redthread.ingest.base import IngestContext, register
from redthread.store import LoadBatch

#: Extensions this loader claims.
CLAIMED = frozenset({".txt", ".html", ".htm", ".xhtml", ".pdf", ".docx"})
#: Extensions other loaders own: never claimed even when the content looks like text.
REFUSED = frozenset({".csv", ".tsv", ".jsonl", ".json", ".ndjson", ".yaml", ".yml", ".xml", ".parquet", ".zip"})


def document_id(dataset: str, source: str) -> str:
    """A document's id: its dataset and file name (``dataset/memo.txt``).

    File names alone collided: ``a/memo.txt`` loaded into one dataset and
    ``b/memo.txt`` into another shared one document row, so the first
    dataset's evidence spans pointed into the second file's text. Within a
    dataset the file name is the source: loading a changed ``memo.txt`` again
    is a new version of that source (its old statements are marked removed).
    """
    return f"{dataset}/{doc_id_for(source)}"


class DocumentLoader:
    name = "document"
    description = "prose documents (.txt, .html, .pdf, .docx): parties and relations extracted with spans"

    def sniff(self, path: Path, head: bytes) -> bool:
        if path.is_dir():
            return False
        suffix = path.suffix.lower()
        if suffix in REFUSED:
            return False
        if suffix in CLAIMED:
            return True
        return not suffix and sniff_reader(head) is not None

    def read(self, path: Path, ctx: IngestContext) -> Iterator[LoadBatch]:
        src = read_document(path)
        if not src.text.strip():
            raise InputError("document has no text", path=str(path))
        source = ctx.source or path.name
        backend = settings.extract_backend()
        ctx.tick(path.name, 0, 1)
        result = extract_text(
            src.text, doc_id=document_id(ctx.dataset, source), dataset=ctx.dataset, backend=backend,
            title=src.title, mime=src.mime, path=str(path),
        )
        ctx.tick(path.name, 1, 1)
        yield LoadBatch(
            dataset=ctx.dataset,
            source=result.document.id,
            statements=result.statements,
            documents=[result.document],
            replace_dataset=ctx.replace_dataset,
        )


register(DocumentLoader())
