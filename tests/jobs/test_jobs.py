"""Background jobs: a big list export runs in the task worker, shows progress, and only its
requester may see and download it."""

import io
from unittest import mock

import openpyxl
import pytest
from django.core.management import call_command

from guro_sme.jobs import services
from guro_sme.jobs.models import BackgroundJob
from guro_sme.jobs.registry import JOB_KINDS


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.BACKGROUND_EXPORT_ROWS = 2


def run_worker():
    """The real worker (django-tasks' database backend), until the queue is empty. It closes
    the database connection between tasks, as a long-running worker should; here that would
    close the test's own connection, so that one step is left out."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


def request_firm_export(client, django_capture_on_commit_callbacks, query=""):
    with django_capture_on_commit_callbacks(execute=True):
        separator = "&" if query else "?"
        return client.get("/imports/firms/export.xlsx" + query + separator + "reason=정기 점검")


def test_a_big_export_becomes_a_job_that_the_worker_finishes(
    staff_client, staff_user, make_firm, django_capture_on_commit_callbacks
):
    for n in range(3):
        make_firm(name=f"큰목록기업{n}")
    response = request_firm_export(staff_client, django_capture_on_commit_callbacks)

    job = BackgroundJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert job.status == BackgroundJob.Status.QUEUED
    page = staff_client.get(f"/jobs/{job.pk}/").content.decode()
    assert "<progress" in page and "대기" in page

    run_worker()

    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE
    assert (job.done, job.total, job.percent) == (3, 3, 100)
    status = staff_client.get(f"/jobs/{job.pk}/status/").json()
    assert status["finished"] and status["percent"] == 100
    download = staff_client.get(f"/jobs/{job.pk}/download/")
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == ["큰목록기업0", "큰목록기업1", "큰목록기업2"]


def test_the_job_keeps_the_list_filter(staff_client, make_firm, django_capture_on_commit_callbacks):
    for n in range(4):
        make_firm(name=f"거름기업{n}", in_district=n % 2 == 0)
    make_firm(name="다른기업")
    request_firm_export(staff_client, django_capture_on_commit_callbacks, "?q=거름")
    run_worker()
    job = BackgroundJob.objects.get()
    assert job.total == 4


def test_a_small_export_is_still_downloaded_directly(staff_client, make_firm):
    make_firm()
    response = staff_client.get("/imports/firms/export.xlsx?reason=정기 점검")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert not BackgroundJob.objects.exists()


def test_only_the_requester_sees_or_downloads_a_job(
    staff_client, make_user, make_firm, django_capture_on_commit_callbacks, client
):
    for _ in range(3):
        make_firm()
    request_firm_export(staff_client, django_capture_on_commit_callbacks)
    run_worker()
    job = BackgroundJob.objects.get()
    other = make_user("담당자", username="other-staff")
    client.force_login(other)
    for url in (f"/jobs/{job.pk}/", f"/jobs/{job.pk}/status/", f"/jobs/{job.pk}/download/"):
        assert client.get(url).status_code == 404, url
    assert "없습니다" in client.get("/jobs/").content.decode()


def test_a_download_before_the_file_is_ready_is_a_404(staff_user, staff_client):
    job = BackgroundJob.objects.create(kind="list_export", title="대기 중", requested_by=staff_user)
    assert staff_client.get(f"/jobs/{job.pk}/download/").status_code == 404


def test_a_failing_job_says_so_in_korean_and_keeps_no_file(staff_user, monkeypatch):
    def broken(*, params, actor, progress):
        raise RuntimeError("boom")

    monkeypatch.setitem(JOB_KINDS, "broken", "tests.jobs.test_jobs.broken_runner")
    monkeypatch.setattr("tests.jobs.test_jobs.broken_runner", broken, raising=True)
    job = BackgroundJob.objects.create(kind="broken", title="고장", requested_by=staff_user)
    services.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.FAILED
    assert "오류가 발생했습니다" in job.error
    assert not job.file


def test_an_unknown_kind_is_refused_when_asked(staff_user):
    with pytest.raises(ValueError):
        services.job_request(kind="nope", title="x", params={}, actor=staff_user)
    assert not BackgroundJob.objects.exists()


def broken_runner(*, params, actor, progress):  # replaced in the test above
    raise AssertionError("not replaced")
