"""Document readers: a file (or stdin) in, plain text out.

One reader per format, picked by extension or, failing that, by content
(``%PDF``, a zip with ``word/document.xml``, an HTML tag). Every reader
returns a :class:`SourceText`; spans found later by the extractor are
character offsets into ``SourceText.text``, which is also what the store
keeps for highlighting. Unreadable input raises ``InputError`` naming the
file.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from redthread import settings
from redthread.errors import InputError

#: Largest total uncompressed size of a .docx (zip-bomb guard).
MAX_DOCX_UNPACKED = 200 * 1024 * 1024
#: Largest compression ratio accepted for a .docx member (zip-bomb guard).
MAX_DOCX_RATIO = 200
#: Largest total size of a PDF's Flate streams once inflated (decompression-bomb guard):
#: pdfminer inflates every stream whole, so a 1.46 MB PDF took 3 GB and 24 s.
MAX_PDF_UNPACKED = 200 * 1024 * 1024
#: Where a PDF stream's data starts ("stream" + EOL, not the end of "endstream").
_PDF_STREAM = re.compile(rb"(?<!end)stream\r?\n")

_BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 tr td th table section article header footer "
    "blockquote pre figcaption dd dt title".split()
)
_DROP_TAGS = ("script", "style", "noscript", "template", "svg", "head")


@dataclass(slots=True)
class SourceText:
    """The plain text of one document and what we know about it."""

    text: str
    mime: str
    title: str = ""
    path: str = ""


Reader = Callable[[bytes, str], SourceText]


def _decode(data: bytes, path: str) -> str:
    for encoding in ("utf-8-sig", "utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig",):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise InputError(f"not readable as text ({exc.reason})", path=path) from None


def read_txt(data: bytes, path: str) -> SourceText:
    """Plain text (UTF-8, UTF-16 with BOM, or Windows-1252)."""
    text = _decode(data, path).replace("\r\n", "\n").replace("\r", "\n")
    return SourceText(text=text, mime="text/plain", path=path)


def read_html(data: bytes, path: str) -> SourceText:
    """HTML: visible text only; scripts, styles and the head are dropped."""
    from lxml import etree, html

    try:
        root = html.document_fromstring(data)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"not readable as HTML ({exc})", path=path) from None
    title = (root.findtext(".//title") or "").strip()
    for bad in root.xpath("|".join(f"//{t}" for t in _DROP_TAGS)):
        bad.drop_tree()
    parts: list[str] = []

    def walk(el: etree._Element) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        block = tag.lower() in _BLOCK_TAGS
        if block:
            parts.append("\n")
        if el.text and tag:
            parts.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if block:
            parts.append("\n")

    walk(root)
    lines = [" ".join(line.split()) for line in "".join(parts).split("\n")]
    text = "\n".join(line for line in lines if line)
    return SourceText(text=text, mime="text/html", title=title, path=path)


def read_pdf(data: bytes, path: str) -> SourceText:
    """PDF text via pdfminer.six (no OCR: scanned pages yield nothing)."""
    from pdfminer.high_level import extract_text
    from pdfminer.pdfparser import PDFSyntaxError

    _check_pdf_streams(data, path)
    try:
        text = extract_text(io.BytesIO(data))
    except (PDFSyntaxError, ValueError, TypeError, KeyError) as exc:
        raise InputError(f"not readable as PDF ({exc})", path=path) from None
    except Exception as exc:  # pdfminer raises many private error types
        raise InputError(f"not readable as PDF ({type(exc).__name__}: {exc})", path=path) from None
    text = text.replace("\x0c", "\n").strip()
    if not text:
        raise InputError("PDF has no text layer (scanned image?); run OCR first", path=path)
    return SourceText(text=text, mime="application/pdf", path=path)


def _check_pdf_streams(data: bytes, path: str, limit: int = MAX_PDF_UNPACKED) -> None:
    """Refuse a PDF whose compressed streams inflate past ``limit`` bytes, before pdfminer inflates them.

    Each stream is inflated in 1 MB steps and discarded, so the check itself
    needs little memory and stops as soon as the total passes the limit.
    Streams that are not zlib data (images, encrypted streams) count nothing.
    """
    total = 0
    for match in _PDF_STREAM.finditer(data):
        start = match.end()
        end = data.find(b"endstream", start)
        if end < 0:
            break
        inflater = zlib.decompressobj()
        pending = data[start:end]
        try:
            while pending and not inflater.eof:
                total += len(inflater.decompress(pending, 1024 * 1024))
                pending = inflater.unconsumed_tail
                if total > limit:
                    raise InputError(
                        f"refused: PDF streams inflate to more than {limit} bytes (possible decompression bomb)",
                        path=path,
                    )
        except zlib.error:
            continue


def _check_zip(data: bytes, path: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            total = 0
            for info in zf.infolist():
                total += info.file_size
                if info.compress_size and info.file_size / info.compress_size > MAX_DOCX_RATIO:
                    raise InputError(
                        f"refused: {info.filename} expands {info.file_size // max(info.compress_size, 1)}x "
                        "(possible zip bomb)", path=path,
                    )
            if total > MAX_DOCX_UNPACKED:
                raise InputError(
                    f"refused: unpacks to {total} bytes, over {MAX_DOCX_UNPACKED} (possible zip bomb)", path=path
                )
            if "word/document.xml" not in zf.namelist():
                raise InputError("not a Word document (no word/document.xml)", path=path)
    except zipfile.BadZipFile:
        raise InputError("not readable as .docx (not a zip file)", path=path) from None


def read_docx(data: bytes, path: str) -> SourceText:
    """Word .docx: paragraphs and table cells, one per line."""
    _check_zip(data, path)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises assorted errors on bad input
        raise InputError(f"not readable as .docx ({type(exc).__name__}: {exc})", path=path) from None
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    title = document.core_properties.title or ""
    return SourceText(text="\n".join(lines).strip(), mime=DOCX_MIME, title=title, path=path)


DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

#: Readers by file extension.
READERS: dict[str, Reader] = {
    ".txt": read_txt,
    ".text": read_txt,
    ".md": read_txt,
    ".html": read_html,
    ".htm": read_html,
    ".xhtml": read_html,
    ".pdf": read_pdf,
    ".docx": read_docx,
}


def sniff_reader(head: bytes) -> Reader | None:
    """A reader chosen from a file's first bytes, or ``None``."""
    if head.startswith(b"%PDF"):
        return read_pdf
    if head.startswith(b"PK\x03\x04"):
        return read_docx
    lower = head[:1024].lstrip().lower()
    if lower.startswith((b"<!doctype html", b"<html")) or b"<body" in lower:
        return read_html
    return None


def read_bytes(data: bytes, name: str = "-") -> SourceText:
    """Plain text of a document given as bytes; ``name`` picks the reader by extension."""
    suffix = Path(name).suffix.lower()
    reader = READERS.get(suffix) or sniff_reader(data[:2048]) or read_txt
    return reader(data, name)


def read_document(path: str | Path) -> SourceText:
    """Plain text of a .txt/.html/.pdf/.docx file; ``-`` reads stdin."""
    name = str(path)
    if name == "-":
        return read_bytes(sys.stdin.buffer.read(), "-")
    p = Path(path)
    if not p.is_file():
        raise InputError("no such file", path=name)
    limit = settings.max_input_bytes()
    size = p.stat().st_size
    if size > limit:
        raise InputError(
            f"file is {size} bytes, over the limit of {limit} (raise REDTHREAD_MAX_INPUT_MB)", path=name
        )
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror})", path=name) from None
    return read_bytes(data, name)
