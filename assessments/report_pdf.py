"""The annual report as an official A4 document (公文) in PDF, rendered by WeasyPrint with a CJK font
from Debian's fonts-noto-cjk (``scripts/ensure-pdf.sh`` installs and checks both).

WeasyPrint is imported on first use: it loads Pango through ctypes, and a machine without the library
should still serve every other page; the report's PDF then answers with a clear message instead.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string

from assessments import rules


class PdfUnavailable(Exception):
    """WeasyPrint or the system libraries it needs (Pango, HarfBuzz) cannot be loaded."""


@dataclass
class Block:
    level: int  # 0 paragraph, 1 "一、", 2 "（一）", 3 "1．"
    text: str


def blocks(body: str) -> list[Block]:
    """The body's lines as headings and paragraphs (``rules.heading_level``)."""
    return [Block(rules.heading_level(line), line) for line in (raw.strip() for raw in body.splitlines()) if line]


def document_html(report) -> str:
    return render_to_string("assessments/report_document.html", {"report": report, "blocks": blocks(report.body)})


def render_pdf(report) -> bytes:
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as error:  # OSError: ctypes could not find libpango / libgobject
        raise PdfUnavailable(str(error)) from error
    return HTML(string=document_html(report)).write_pdf()
