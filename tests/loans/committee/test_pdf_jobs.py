"""Merged PDFs past BACKGROUND_PDF_ITEMS run in the task worker: the page shows the job, the
worker makes the same PDF, and only the requester downloads it."""

from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse

from guro_sme.jobs.models import BackgroundJob
from tests.loans.committee import test_notices
from tests.pdftext import pdf_pages, pdf_text_and_fonts

closed = test_notices.closed  # the notices' closed meeting: selected, reserve and rejected


@pytest.fixture(autouse=True)
def _small_threshold(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.BACKGROUND_PDF_ITEMS = 2


def _run_worker():
    """The real worker (django-tasks' database backend), until the queue is empty. It closes
    the database connection between tasks, as a long-running worker should; here that would
    close the test's own connection, so that one step is left out."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


def _finished_pdf(client, job) -> bytes:
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE, job.error
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_the_merged_notices_become_a_job_with_every_letter(
    client,
    closed,
    django_capture_on_commit_callbacks,
):
    client.force_login(closed.staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("loans:meeting_notices_pdf", args=[closed.meeting.pk]))
    job = BackgroundJob.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert "결과 통지서" in client.get(response["Location"]).content.decode()
    _run_worker()
    pdf = _finished_pdf(client, job)
    text, fonts = pdf_text_and_fonts(pdf)
    assert pdf_pages(pdf) == 3 and "NanumGothic" in fonts
    assert " ".join(text.split()).count("끝.") == 3
    # One item's notice is small: it is still answered at once.
    one = client.get(reverse("loans:meeting_notice_pdf", args=[closed.meeting.pk, closed.items[0].pk]))
    assert one["Content-Type"] == "application/pdf"


def test_a_members_packet_becomes_a_job_for_that_member_only(
    client,
    closed,
    django_capture_on_commit_callbacks,
):
    member = closed.members[0]
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("loans:meeting_packet_pdf", args=[closed.meeting.pk]))
    job = BackgroundJob.objects.get()
    assert job.requested_by == member and response.status_code == 302
    _run_worker()
    text, _ = pdf_text_and_fonts(_finished_pdf(client, job))
    assert closed.items[0].application.firm.name in text
    client.force_login(closed.members[1])
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_the_referral_letter_becomes_a_job(client, closed, django_capture_on_commit_callbacks):
    client.force_login(closed.staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(
            reverse("loans:referral_pdf", args=[closed.call.pk])
            + "?application=1&application=2&application=3"
        )
    job = BackgroundJob.objects.get()
    assert job.params["call"] == closed.call.pk
    _run_worker()
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE
