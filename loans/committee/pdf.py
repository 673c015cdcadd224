"""HTML → PDF with WeasyPrint; the templates set A4 and the NanumGothic font (fonts-nanum)."""

from django.conf import settings
from django.template.loader import render_to_string


def render_pdf(template: str, context: dict) -> bytes:
    # Imported here: WeasyPrint loads Pango at import, which only the PDF pages need.
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
