"""Investigation dossiers: one entity (or the whole case) as HTML or PDF.

``write_dossier(store, "Komax", Path("dossier.pdf"))`` builds every
registered section (see :mod:`redthread.report.sections`), renders the
Jinja template ``templates/dossier.html`` and, for ``.pdf``, prints it with
WeasyPrint. Figures are SVG drawn here, so nothing is fetched from the network.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from typing_extensions import TypedDict

from redthread import __version__
from redthread.errors import ConfigError, NotFound
from redthread.model import now_iso
from redthread.report.sections import build_sections
from redthread.report.subject import Section, subject_for
from redthread.store import Store

TEMPLATES = Path(__file__).parent / "templates"
FORMATS = (".html", ".htm", ".pdf")


@dataclass
class Dossier:
    title: str
    subtitle: str
    generated_at: str
    sections: list[Section]


def build_dossier(store: Store, entity_id: str | None) -> Dossier:
    """The dossier's content for ``entity_id`` (an id; None: the whole case)."""
    subject = subject_for(store, entity_id)
    if entity_id is not None and subject.entity is None:
        raise NotFound(f"no entity {entity_id!r}; try `redthread search`")
    if subject.entity is not None:
        title, subtitle = subject.entity.caption, f"{subject.entity.schema} · {subject.entity.id}"
    else:
        title, subtitle = "Case dossier", f"all datasets in {getattr(store, 'safe_url', store.url)}"
    return Dossier(title, subtitle, now_iso(), build_sections(subject))


def render_html(dossier: Dossier) -> str:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    template = env.get_template("dossier.html")
    return template.render(d=dossier, version=__version__, svg=lambda s: Markup(s))


def render_pdf(html: str, path: Path) -> None:
    try:
        from weasyprint import HTML
    except ImportError as exc:  # pragma: no cover - an extra
        raise ConfigError("PDF dossiers need WeasyPrint: pip install 'redthread[report]'") from exc
    except OSError as exc:  # pragma: no cover - system libraries
        raise ConfigError(f"WeasyPrint cannot load Pango ({exc}): install libpango (scripts/services.sh install)") from exc
    HTML(string=html, base_url=str(TEMPLATES)).write_pdf(str(path))


def pdf_bytes(html: str) -> bytes:
    """The dossier HTML printed to PDF, in memory."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # pragma: no cover - an extra / system libraries
        raise ConfigError(f"PDF dossiers need WeasyPrint and Pango ({exc}): pip install 'redthread[report]'") from exc
    return bytes(HTML(string=html, base_url=str(TEMPLATES)).write_pdf())


def write_dossier(store: Store, entity_id: str | None, output: Path) -> Dossier:
    """Write an HTML or PDF dossier (chosen by the file suffix) and return its content."""
    suffix = output.suffix.lower()
    if suffix not in FORMATS:
        raise ConfigError(f"cannot write a dossier as {output.name!r}: use a .html or .pdf file name")
    dossier = build_dossier(store, entity_id)
    html = render_html(dossier)
    tmp = output.with_name(output.name + ".part")
    if suffix == ".pdf":
        render_pdf(html, tmp)
    else:
        tmp.write_text(html, encoding="utf-8")
    tmp.replace(output)
    return dossier


class SectionSummary(TypedDict):
    """One section of a written dossier as the ``report`` command lists it."""

    section: str
    note: str
    content: bool


def section_summary(dossier: Dossier) -> list[SectionSummary]:
    """Which sections have content and which carry a note (for command output)."""
    return [{"section": s.title, "note": s.note,
             "content": bool(s.facts or s.svg or s.rows or s.tree or s.quotes)} for s in dossier.sections]
