"""Asking for a background job and running it (the task worker calls `job_run`)."""

import logging
import time

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from guro_sme.errors import RuleError

from . import registry
from .models import BackgroundJob

logger = logging.getLogger(__name__)

# The job's row is written at most this often while it runs: progress is for people, not a log.
PROGRESS_EVERY_SECONDS = 0.5


def job_request(*, kind: str, title: str, params: dict, actor) -> BackgroundJob:
    """Store the job and queue it once the request's transaction commits (the worker must see it)."""
    from .tasks import run_job

    registry.runner_for(kind)  # an unknown kind fails here, in the request, not later in the worker
    job = BackgroundJob.objects.create(kind=kind, title=title[:200], params=params, requested_by=actor)
    transaction.on_commit(lambda: run_job.enqueue(job_id=job.pk))
    return job


class Progress:
    """`progress(done, total)` for a runner: saves the counts, throttled, outside any transaction."""

    def __init__(self, job: BackgroundJob):
        self.job = job
        self.saved_at = 0.0

    def __call__(self, done: int, total: int | None = None) -> None:
        now = time.monotonic()
        if now - self.saved_at < PROGRESS_EVERY_SECONDS and (total is None or done < total):
            return
        self.saved_at = now
        BackgroundJob.objects.filter(pk=self.job.pk).update(done=done, total=total)


def job_run(*, job_id: int) -> BackgroundJob:
    """Run one queued job: its file on success, a Korean message on failure. Never raises."""
    job = BackgroundJob.objects.select_related("requested_by").get(pk=job_id)
    if job.status != BackgroundJob.Status.QUEUED:
        return job  # queued twice (a retried enqueue): the first run owns it
    job.status, job.started_at = BackgroundJob.Status.RUNNING, timezone.now()
    job.save(update_fields=["status", "started_at"])
    try:
        run = registry.runner_for(job.kind)
        output = run(params=job.params, actor=job.requested_by, progress=Progress(job))
    except RuleError as error:
        job.status, job.error = BackgroundJob.Status.FAILED, str(error)[:500]
    except Exception:
        logger.exception("background job %s (%s) failed", job.pk, job.kind)
        job.status, job.error = (
            BackgroundJob.Status.FAILED,
            "작업 중 오류가 발생했습니다. 담당 관리자에게 알려 주세요.",
        )
    else:
        job.refresh_from_db(fields=["done", "total"])
        job.file.save(output.filename, ContentFile(output.data), save=False)
        job.filename, job.status = output.filename, BackgroundJob.Status.DONE
        job.done = job.total or job.done
    job.finished_at = timezone.now()
    job.save()
    return job
