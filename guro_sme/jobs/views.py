"""A job's page (progress bar, then the download), its status as JSON for the bar, and the file."""

from django.conf import settings
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header

from guro_sme.documents import download_response
from guro_sme.roles import ANY_ROLE, role_required

from .models import BackgroundJob
from .services import job_request


def file_or_job(request, *, size: int, kind: str, title: str, params: dict, filename: str, build):
    """A merged PDF now, or — past BACKGROUND_PDF_ITEMS items — a background job and its page.

    `build()` makes the file in this request; `kind` and `params` make the same file in the worker.
    The caller has already checked that the user may have it.
    """
    if size > settings.BACKGROUND_PDF_ITEMS:
        job = job_request(kind=kind, title=title, params=params, actor=request.user)
        return redirect("jobs:detail", pk=job.pk)
    return download_response(build(), filename)


def _own_job(request, pk: int) -> BackgroundJob:
    """Only the user who asked sees a job; anyone else gets a 404, not a hint that it exists."""
    return get_object_or_404(BackgroundJob, pk=pk, requested_by=request.user)


@role_required(*ANY_ROLE)
def job_list(request):
    jobs = BackgroundJob.objects.filter(requested_by=request.user)[:50]
    return render(request, "jobs/list.html", {"jobs": jobs})


@role_required(*ANY_ROLE)
def job_detail(request, pk):
    return render(request, "jobs/detail.html", {"job": _own_job(request, pk)})


@role_required(*ANY_ROLE)
def job_status(request, pk):
    job = _own_job(request, pk)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "done": job.done,
            "total": job.total,
            "percent": job.percent,
            "error": job.error,
            "finished": job.finished,
        }
    )


@role_required(*ANY_ROLE)
def job_download(request, pk):
    job = _own_job(request, pk)
    if job.status != BackgroundJob.Status.DONE or not job.file:
        raise Http404("아직 준비되지 않았습니다.")
    response = FileResponse(job.file.open("rb"))
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=job.filename)
    return response
