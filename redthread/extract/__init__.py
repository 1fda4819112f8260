"""Text to evidence: parties and relations extracted from prose, with provenance.

``extract_text(text, doc_id=..., dataset=...)`` runs a backend (``rules``,
the offline default, or ``llm``) and returns an
:class:`~redthread.extract.result.ExtractionResult`: FtM entities (JSON form),
a :class:`~redthread.model.Statement` per value with span, quote, origin and
confidence, and the source :class:`~redthread.store.Document`.
``extract_path`` does the same for a .txt/.html/.pdf/.docx file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from redthread.errors import InputError
from redthread.extract.readers import SourceText, read_document
from redthread.extract.result import ExtractionResult, slug

__all__ = ["ExtractionResult", "Backend", "backends", "extract_text", "extract_path", "register_backend", "doc_id_for"]


class Backend(Protocol):
    """An extraction backend: text in, FtM entities with provenance out."""

    name: str
    origin: str

    def extract(self, text: str, *, doc_id: str, dataset: str, title: str = "", mime: str = "text/plain",
                path: str = "") -> ExtractionResult: ...


_BACKENDS: dict[str, Backend] = {}


def register_backend(backend: Backend) -> Backend:
    """Add a backend to the registry under its ``name``."""
    _BACKENDS[backend.name] = backend
    return backend


def backends() -> dict[str, Backend]:
    if not _BACKENDS:
        from redthread.extract.llm import LLMBackend
        from redthread.extract.rules import RulesBackend

        register_backend(RulesBackend())
        register_backend(LLMBackend())
    return dict(_BACKENDS)


def get_backend(name: str) -> Backend:
    try:
        return backends()[name]
    except KeyError:
        known = ", ".join(sorted(backends()))
        raise InputError(f"unknown extraction backend {name!r}; known: {known}", field="backend") from None


def extract_text(text: str, *, doc_id: str, dataset: str, backend: str = "rules", title: str = "",
                 mime: str = "text/plain", path: str = "") -> ExtractionResult:
    """Extract parties and relations from ``text``.

    Returns an :class:`ExtractionResult` with ``.entities`` (FtM JSON dicts:
    parties, relations, addresses, a Document), ``.statements`` (one per
    value, with ``span_start``/``span_end`` into ``text``, the sentence as
    ``quote``, ``origin`` such as ``redthread.extract.rules/1``,
    ``confidence`` and ``hedge``) and ``.document`` (keeps ``text``).
    """
    return get_backend(backend).extract(text, doc_id=doc_id, dataset=dataset, title=title, mime=mime, path=path)


def doc_id_for(path: str | Path) -> str:
    """The document id used for a file: its name, id-safe."""
    return slug(Path(str(path)).name) if str(path) != "-" else "stdin"


def extract_path(path: str | Path, *, dataset: str, backend: str = "rules", doc_id: str | None = None) -> ExtractionResult:
    """Read a .txt/.html/.pdf/.docx file (``-`` for stdin) and extract from its text."""
    src: SourceText = read_document(path)
    return extract_text(
        src.text, doc_id=doc_id or doc_id_for(path), dataset=dataset, backend=backend,
        title=src.title, mime=src.mime, path=str(path),
    )
