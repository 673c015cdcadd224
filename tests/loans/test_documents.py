"""Documents: PDF/JPEG/PNG only (by their bytes), size-limited, random names, role-checked downloads."""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from loans.models import ApplicationDocument, LoanApplication

S = LoanApplication.Status
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


@pytest.fixture
def application(make_application):
    return make_application(status=S.RECEIVED)


def upload(client, application, name, content, title="사업자등록증"):
    response = client.post(
        reverse("loans:document_upload", args=[application.pk]),
        {"title": title, "file": SimpleUploadedFile(name, content)},
        follow=True,
    )
    return html.unescape(response.content.decode())


@pytest.mark.parametrize(
    "name, content, content_type",
    [
        ("등록증 원본.pdf", PDF, "application/pdf"),
        ("scan-page.PNG", PNG, "image/png"),
        ("photo-x.jpeg", JPEG, "image/jpeg"),
    ],
)
def test_staff_attach_pdf_png_and_jpeg_under_a_random_name(
    staff_client, application, settings, name, content, content_type
):
    body = upload(staff_client, application, name, content)
    document = ApplicationDocument.objects.get()
    assert "'사업자등록증'을 첨부했습니다." in body
    assert document.content_type == content_type
    assert document.original_name == name
    assert name.rsplit(".", 1)[0] not in document.file.name  # a random name, not the uploader's
    assert document.file.name.startswith("loans/documents/")
    assert (settings.MEDIA_ROOT / document.file.name).read_bytes() == content


def test_an_executable_disguised_as_a_pdf_is_refused(staff_client, application):
    body = upload(staff_client, application, "재무제표.pdf", b"MZ\x90\x00 this is a windows program")
    assert "PDF, JPEG, PNG 파일만 올릴 수 있습니다." in body
    assert ApplicationDocument.objects.count() == 0


def test_a_text_file_is_refused_whatever_its_name(staff_client, application):
    body = upload(staff_client, application, "scan.png", b"hello")
    assert "PDF, JPEG, PNG 파일만 올릴 수 있습니다." in body


def test_a_file_over_the_size_limit_is_refused(staff_client, application, settings):
    settings.MAX_UPLOAD_BYTES = 1000
    body = upload(staff_client, application, "big.pdf", PDF + b"0" * 1000)
    assert "파일이 너무 큽니다" in body
    assert "최대 1,000바이트" in body
    assert ApplicationDocument.objects.count() == 0


def test_an_empty_title_is_refused(staff_client, application):
    upload(staff_client, application, "a.pdf", PDF, title="")
    assert ApplicationDocument.objects.count() == 0


@pytest.fixture
def document(staff_client, application):
    upload(staff_client, application, "등록증.pdf", PDF)
    return ApplicationDocument.objects.get()


def test_staff_and_managers_download_through_the_role_checked_view(
    client, staff_user, manager_user, document
):
    for user in (staff_user, manager_user):
        client.force_login(user)
        response = client.get(reverse("loans:document_download", args=[document.pk]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert "attachment" in response["Content-Disposition"]


def test_a_committee_member_not_on_its_meeting_is_refused(client, committee_user, document):
    client.force_login(committee_user)
    assert client.get(reverse("loans:document_download", args=[document.pk])).status_code == 403


def test_a_sitting_member_may_download_until_they_recuse(client, committee_user, staff_user, document):
    """The committee app answers through its registered predicate: a member of the meeting that has
    the application on its agenda may download; after recusing from it, no longer."""
    from loans.committee.models import AgendaItem, CommitteeMeeting, Membership, Recusal

    application = document.application
    meeting = CommitteeMeeting.objects.create(
        call=application.call, title="제1차 심의", held_on=application.call.closes_on, created_by=staff_user
    )
    Membership.objects.create(meeting=meeting, member=committee_user)
    item = AgendaItem.objects.create(meeting=meeting, application=application, order=1)
    client.force_login(committee_user)
    url = reverse("loans:document_download", args=[document.pk])
    assert client.get(url).status_code == 200
    Recusal.objects.create(item=item, member=committee_user, reason="이해관계")
    assert client.get(url).status_code == 403


def test_users_without_a_role_are_refused(client, norole_user, document):
    client.force_login(norole_user)
    assert client.get(reverse("loans:document_download", args=[document.pk])).status_code == 403


def test_media_files_are_not_served_by_url(staff_client, document):
    assert staff_client.get("/media/" + document.file.name).status_code == 404


def test_an_oversize_document_is_refused_before_it_reaches_disk(
    staff_client, application, settings, monkeypatch
):
    from django.core.files import uploadhandler

    spooled = []

    class Recording(uploadhandler.TemporaryUploadedFile):
        def write(self, data):
            spooled.append(len(data))
            return super().write(data)

    monkeypatch.setattr(uploadhandler, "TemporaryUploadedFile", Recording)
    settings.MAX_UPLOAD_BYTES = 100_000
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10_000  # anything bigger would be spooled to disk
    body = upload(staff_client, application, "scan.pdf", PDF + b"0" * (2 * 1024 * 1024))
    assert "파일이 너무 큽니다: 2MB (최대 100,000바이트)." in body
    assert spooled == []
    assert ApplicationDocument.objects.count() == 0
    assert not [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]


def test_a_document_over_the_limit_stops_streaming_at_the_limit(
    staff_client, application, settings, monkeypatch
):
    from django.core.files import uploadhandler

    spooled = []

    class Recording(uploadhandler.TemporaryUploadedFile):
        def write(self, data):
            spooled.append(len(data))
            return super().write(data)

    monkeypatch.setattr(uploadhandler, "TemporaryUploadedFile", Recording)
    settings.MAX_UPLOAD_BYTES = 100_000
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = upload(staff_client, application, "scan.pdf", PDF + b"0" * 300_000)
    assert "파일이 너무 큽니다 (최대 100,000바이트)." in body
    assert sum(spooled) <= 100_000
    assert ApplicationDocument.objects.count() == 0
    assert not [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]
