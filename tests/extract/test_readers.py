"""Document readers: txt, html, pdf, docx → plain text; bad input → InputError."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from redthread.errors import InputError
from redthread.extract.readers import MAX_DOCX_RATIO, read_bytes, read_document


def test_txt_utf8_and_crlf(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_bytes("Foo Ltd.\r\nПривет".encode())
    src = read_document(p)
    assert src.text == "Foo Ltd.\nПривет"
    assert src.mime == "text/plain"


def test_html_drops_scripts_and_styles(tmp_path: Path) -> None:
    p = tmp_path / "a.html"
    p.write_text(
        "<html><head><title>T</title><style>.x{}</style></head><body><script>var a=1;</script>"
        "<h1>Head</h1><p>Alpha <b>Beta</b> Ltd shipped parts.</p><p>Second.</p></body></html>"
    )
    src = read_document(p)
    assert src.title == "T"
    assert "var a" not in src.text and ".x{}" not in src.text
    assert "Alpha Beta Ltd shipped parts." in src.text
    assert src.text.splitlines() == ["Head", "Alpha Beta Ltd shipped parts.", "Second."]


def test_html_sniffed_without_extension() -> None:
    src = read_bytes(b"<!DOCTYPE html><html><body><p>Hello</p></body></html>", "noext")
    assert src.text == "Hello" and src.mime == "text/html"


def test_docx_roundtrip(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("Foo Trading LLC supplied motors to Bar JSC.")
    d.add_paragraph("Second paragraph.")
    p = tmp_path / "a.docx"
    d.save(str(p))
    src = read_document(p)
    assert src.text.splitlines()[:2] == ["Foo Trading LLC supplied motors to Bar JSC.", "Second paragraph."]


def test_docx_zip_bomb_refused(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"0" * (MAX_DOCX_RATIO * 2000))
    p = tmp_path / "bomb.docx"
    p.write_bytes(buf.getvalue())
    with pytest.raises(InputError, match="zip bomb"):
        read_document(p)


def test_pdf(tmp_path: Path) -> None:
    # a minimal one-page PDF with a text layer, written by hand
    content = b"BT /F1 12 Tf 72 720 Td (Foo Ltd shipped motors.) Tj ET"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objs, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref))
    p = tmp_path / "a.pdf"
    p.write_bytes(out.getvalue())
    assert "Foo Ltd shipped motors." in read_document(p).text


def test_unreadable_files_name_the_path(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_document(tmp_path / "missing.txt")
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 garbage")
    with pytest.raises(InputError) as err:
        read_document(bad)
    assert str(bad) in str(err.value)
    notzip = tmp_path / "x.docx"
    notzip.write_bytes(b"hello")
    with pytest.raises(InputError, match="not a zip"):
        read_document(notzip)
