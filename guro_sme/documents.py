"""Documents the apps hand to users: PDFs rendered from templates, and file downloads."""

import logging

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header

from .collector import collector_paused

# WeasyPrint logs every layout step at INFO, which the project's console logging would print.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
}


def render_pdf(template: str, context: dict) -> bytes:
    """An A4 PDF of a template; the templates set the page and the NanumGothic font (fonts-nanum)."""
    # Imported here: WeasyPrint loads Pango at import, which only the PDF pages need.
    from weasyprint import HTML

    html = render_to_string(template, context)
    with collector_paused():
        return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def download_response(data: bytes, filename: str) -> HttpResponse:
    """`data` as an attachment named `filename`; the content type follows the extension."""
    extension = filename.rsplit(".", 1)[-1]
    response = HttpResponse(data, content_type=CONTENT_TYPES[extension])
    disposition = content_disposition_header(as_attachment=True, filename=filename)
    if not filename.isascii():
        # Korean names travel as RFC 5987 filename*; an ASCII name first for clients without it.
        disposition = disposition.replace("attachment;", f'attachment; filename="download.{extension}";', 1)
    response["Content-Disposition"] = disposition
    return response
