"""The loader registry and the ingest driver."""

from __future__ import annotations

import hashlib
import importlib
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from typing_extensions import TypedDict

from redthread import settings
from redthread.errors import InputError, InputErrors, RedthreadError
from redthread.store import LoadBatch, LoadResult, Store

ProgressFn = Callable[[str, int, int | None], None]
log = logging.getLogger(__name__)

class IngestOptions(TypedDict, total=False):
    """Options only some loaders read."""

    #: The column mapping YAML of a customs file (``redthread ingest --mapping``).
    mapping: str


@dataclass
class IngestContext:
    """What a loader needs besides the path: options and an error sink."""

    dataset: str
    source: str | None = None
    skip_errors: bool = False
    replace_dataset: bool = False
    #: Refuse the whole file for one bad value (otherwise the value is dropped with a warning).
    strict: bool = False
    errors: list[InputError] = field(default_factory=list)
    #: Values dropped because they did not parse; their records loaded.
    warnings: list[InputError] = field(default_factory=list)
    progress: ProgressFn | None = None
    #: Loader-specific options (``{"mapping": path}`` for customs records).
    options: IngestOptions = field(default_factory=lambda: IngestOptions())
    #: URL of the store being loaded (loaders that keep side tables use it).
    store_url: str | None = None

    def fail(self, error: InputError) -> None:
        """Report a bad record: raise, or collect it when skipping errors."""
        if not self.skip_errors:
            raise error
        self.errors.append(error)

    def drop_value(self, error: InputError) -> None:
        """Report a value that does not parse: refuse the file when strict, else drop it and warn.

        The error names file, line or record, property and value; the rest of
        the record loads.
        """
        if self.strict:
            raise error
        self.warnings.append(error)
        log.warning("dropped %s", error.location_message())

    def tick(self, label: str, done: int, total: int | None = None) -> None:
        if self.progress is not None:
            self.progress(label, done, total)


class Loader(Protocol):
    """An input format: knows its files and turns one into load batches."""

    name: str
    description: str

    def sniff(self, path: Path, head: bytes) -> bool:
        """True when this loader can read ``path`` (``head``: its first bytes)."""
        ...

    def read(self, path: Path, ctx: IngestContext) -> Iterator[LoadBatch]:
        """Batches to write, all in one transaction for this path."""
        ...


_REGISTRY: dict[str, Loader] = {}
_loaded = False


def register(loader: Loader) -> Loader:
    """Add a loader to the registry (modules call this at import)."""
    _REGISTRY[loader.name] = loader
    return loader


def _load_modules() -> None:
    global _loaded
    if _loaded:
        return
    # Every module in this package registers its loaders at import; the
    # registry order (and so sniffing priority) is the modules' name order.
    # The package's folder is this file's: importing the package itself here
    # would make a circle (the package re-exports this module).
    import pkgutil

    for info in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]), key=lambda i: i.name):
        if info.name not in ("base",) and not info.name.startswith("_"):
            importlib.import_module(f"redthread.ingest.{info.name}")
    _loaded = True


def loaders() -> dict[str, Loader]:
    _load_modules()
    return dict(_REGISTRY)


def get_loader(name: str) -> Loader:
    _load_modules()
    try:
        return _REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise RedthreadError(f"unknown input format {name!r}; known formats: {known}") from None


def sniff_loader(path: Path) -> Loader:
    """Pick the loader for ``path`` from its content (and name)."""
    _load_modules()
    head = b""
    if path.is_file():
        with path.open("rb") as fh:
            head = fh.read(8192)
    for loader in _REGISTRY.values():
        if loader.sniff(path, head):
            return loader
    raise InputError(
        "cannot tell the format of this input; pass --format (known: "
        + ", ".join(sorted(_REGISTRY))
        + ")",
        path=str(path),
    )


#: A date or timestamp inside a file name (``-2018-10-29``, ``_20240527194702``), with its separator.
_STAMP = re.compile(
    r"[-_.]?(?<!\d)(?:\d{4}-\d{2}-\d{2}(?:[T_ ]?\d{2}[-:]?\d{2}(?:[-:]?\d{2})?)?|(?:19|20)\d{6}(?:\d{4,6})?)(?!\d)"
)


def source_name(path: Path) -> str:
    """The default source id of a file: its name without date stamps.

    Publishers (and people who download lists) date their files:
    ``consolidated-2018-10-29.xml`` is the next version of
    ``consolidated-2018-06-07.xml``, and history is kept per source, so both
    must be the same source. Loaders that can tell which list a file is from
    its content use that instead (see ``list_source`` in the list loaders).
    """
    stem = _STAMP.sub("", path.name).strip("-_ ")
    return path.name if not stem or stem.startswith(".") else stem


def file_hash(path: Path) -> str:
    """SHA-256 of a file's bytes, or of every file in a folder (names within it too), in name order.

    A single file's name is not hashed: the same bytes saved under another
    name are the same content.
    """
    digest = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for f in files:
        if path.is_dir():
            digest.update(str(f.relative_to(path)).encode())
        with f.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def _stored_source(store: Store, dataset: str, digest: str) -> str | None:
    """The source whose latest load in ``dataset`` had exactly these bytes, if any."""
    latest: dict[str, str] = {}
    for row in store.loads(dataset):
        if not row["unchanged"]:
            latest[row["source"]] = row["content_hash"]
    return next((src for src, h in sorted(latest.items()) if h == digest), None)


def expand(paths: Iterable[Path], fmt: str | None) -> Iterator[tuple[Path, Loader]]:
    """Each input path with its loader; folders expand unless a loader takes them whole."""
    for path in paths:
        if not path.exists():
            raise InputError("no such file or folder", path=str(path))
        if path.is_dir():
            if fmt is not None and get_loader(fmt).sniff(path, b""):
                yield path, get_loader(fmt)
                continue
            whole = [ld for ld in loaders().values() if ld.sniff(path, b"")]
            if whole and fmt is None:
                yield path, whole[0]
                continue
            for child in sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")):
                yield child, get_loader(fmt) if fmt else sniff_loader(child)
            continue
        limit = settings.max_input_bytes()
        if path.stat().st_size > limit:
            raise InputError(
                f"file is {path.stat().st_size} bytes, over the limit of {limit} "
                "(raise REDTHREAD_MAX_INPUT_MB to accept it)",
                path=str(path),
            )
        yield path, get_loader(fmt) if fmt else sniff_loader(path)


NUL = "\x00"
#: Stands in for a NUL byte in document text and quotes: one character for one, so spans still fit.
NUL_STAND_IN = "\ufffd"


def _nul_free(batch: LoadBatch, path: Path, skip_errors: bool) -> list[InputError]:
    """Take NUL bytes out of a batch before it reaches the store (PostgreSQL text cannot hold them).

    Document text and quotes keep their length (a NUL becomes U+FFFD), so spans
    still point at the right characters. A value with a NUL is a bad value: it
    raises naming the file, line and property, or with ``skip_errors`` only
    that value is left out and reported.
    """
    errors: list[InputError] = []
    for doc in batch.documents:
        if NUL in doc.text or NUL in (doc.title or ""):
            doc.text = doc.text.replace(NUL, NUL_STAND_IN)
            doc.title = (doc.title or "").replace(NUL, NUL_STAND_IN)
    kept = []
    for stmt in batch.statements:
        if stmt.quote and NUL in stmt.quote:
            stmt.quote = stmt.quote.replace(NUL, NUL_STAND_IN)
        bad = [name for name in ("value", "original_value", "hedge", "location")
               if NUL in (getattr(stmt, name) or "")]
        if not bad:
            kept.append(stmt)
            continue
        where, _, line = stmt.location.replace(NUL, "").rpartition(":")
        error = InputError(f"a NUL byte in the {bad[0].replace('_', ' ')}", path=str(path),
                           line=int(line) if where and line.isdigit() else None, field=stmt.prop)
        if not skip_errors:
            raise error
        errors.append(error)
    batch.statements = kept
    return errors


def recover_interrupted(store: Store) -> list[str]:
    """Finish or undo loads a crash left half done (loaders with side files define ``recover``).

    Runs before every ingest: a load interrupted between the store's commit
    and the publication of its side files (customs records) is completed, one
    interrupted before the commit is rolled back. Returns what was done.
    """
    done: list[str] = []
    for loader in loaders().values():
        recover = getattr(loader, "recover", None)
        if recover is not None:
            done.extend(recover(store))
    return done


def ingest(
    store: Store,
    paths: Iterable[Path | str],
    dataset: str,
    fmt: str | None = None,
    *,
    skip_errors: bool = False,
    source: str | None = None,
    replace_dataset: bool = False,
    progress: ProgressFn | None = None,
    options: IngestOptions | None = None,
    strict: bool = False,
    warnings: list[InputError] | None = None,
) -> tuple[list[LoadResult], list[InputError]]:
    """Load each path into ``dataset``; one transaction per path.

    Returns the load results and, with ``skip_errors``, the bad records that
    were left out. Without it, the first bad record raises and that path's
    file leaves the store unchanged. A single value that does not parse is
    dropped and reported in ``warnings`` (when given; always logged); with
    ``strict`` it refuses the file like a bad record.
    """
    if not dataset or not dataset.replace("_", "").replace("-", "").replace(".", "").isalnum():
        raise InputError(
            f"invalid dataset name {dataset!r}: use letters, digits, '_', '-' or '.'", field="dataset"
        )
    results: list[LoadResult] = []
    all_errors: list[InputError] = []
    recover_interrupted(store)
    for path, loader in expand([Path(p) for p in paths], fmt):
        ctx = IngestContext(
            dataset=dataset,
            source=source,
            skip_errors=skip_errors,
            replace_dataset=replace_dataset,
            strict=strict,
            progress=progress,
            options=IngestOptions(**(options or {})),
            store_url=getattr(store, "url", None),
        )
        digest = file_hash(path)
        same = None if replace_dataset else _stored_source(store, dataset, digest)
        if same is not None:
            # These very bytes are the latest load of a source here: nothing to parse or write.
            results.append(store.write(LoadBatch(dataset=dataset, source=same, statements=[],
                                                 content_hash=digest, origin=loader.name)))
            continue
        try:
            batches = list(loader.read(path, ctx))
        except InputError as err:
            if err.path is None:
                err = InputError(err.reason, path=str(path), line=err.line, field=err.field)
            raise err from None
        staged = [b.staged for b in batches if b.staged is not None]
        try:
            for batch in batches:
                batch.content_hash = batch.content_hash or digest
                batch.origin = batch.origin or loader.name
                ctx.errors.extend(_nul_free(batch, path, skip_errors))
            if ctx.errors and not skip_errors:  # pragma: no cover - loaders raise first
                raise InputErrors(ctx.errors)
            all_errors.extend(ctx.errors)
            if warnings is not None:
                warnings.extend(ctx.warnings)
            # One unit of work: side files are staged and journalled, the store commits, then they are
            # published; a crash in between is finished or undone by the loader's ``recover``.
            after = max((int(r["id"]) for r in store.loads()), default=0) if staged else 0
            for batch in batches:
                if batch.staged is not None:
                    batch.staged.write_journal(batch.content_hash, after)
            written = store.write_many(batches)
        except BaseException:
            for side in staged:
                side.discard()
            raise
        for side in staged:
            side.publish()
        results.extend(written)
    return results, all_errors
