import gc
from urllib.parse import quote

import pytest
from weasyprint import HTML

from guro_sme import documents
from guro_sme.documents import download_response


def test_an_ascii_name_is_a_plain_attachment_with_the_type_of_its_extension():
    response = download_response(b"%PDF-", "loan-referral-3.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="loan-referral-3.pdf"'


def test_a_korean_name_travels_as_rfc5987_with_an_ascii_fallback():
    response = download_response(b"PK", "기업_양식.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"download.xlsx\"; filename*=utf-8''{quote('기업_양식.xlsx')}"
    )


def _render_watching_the_collector(monkeypatch, *, fail=False):
    """render_pdf of a one-line page; returns whether the collector ran while WeasyPrint wrote."""
    seen = []
    write_pdf = HTML.write_pdf

    def watching(self, *args, **kwargs):
        seen.append(gc.isenabled())
        if fail:
            raise RuntimeError("layout failed")
        return write_pdf(self, *args, **kwargs)

    monkeypatch.setattr(HTML, "write_pdf", watching)
    monkeypatch.setattr(documents, "render_to_string", lambda template, context: "<p>심의자료</p>")
    if fail:
        with pytest.raises(RuntimeError):
            documents.render_pdf("any.html", {})
    else:
        assert documents.render_pdf("any.html", {}).startswith(b"%PDF-")
    return seen


def test_the_garbage_collector_is_paused_while_a_pdf_renders_and_runs_again_after(monkeypatch):
    assert gc.isenabled()
    assert _render_watching_the_collector(monkeypatch) == [False]
    assert gc.isenabled()


def test_a_failed_render_turns_the_collector_back_on(monkeypatch):
    assert _render_watching_the_collector(monkeypatch, fail=True) == [False]
    assert gc.isenabled()


def test_a_collector_paused_by_someone_else_stays_paused(monkeypatch):
    gc.disable()
    try:
        assert _render_watching_the_collector(monkeypatch) == [False]
        assert not gc.isenabled()
    finally:
        gc.enable()
