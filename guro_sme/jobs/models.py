from django.conf import settings
from django.db import models


class BackgroundJob(models.Model):
    """Work too long for a web request (a big export, a merged PDF), run by the task worker.

    The page that asked for it shows its progress (`done` of `total`) and offers the file when it
    is ready. Only the user who asked may download the result.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "대기"
        RUNNING = "running", "진행중"
        DONE = "done", "완료"
        FAILED = "failed", "실패"

    kind = models.CharField("작업 종류", max_length=50)
    title = models.CharField("작업명", max_length=200)
    params = models.JSONField("조건", default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="요청자", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField("상태", max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField("처리", default=0)
    total = models.PositiveIntegerField("전체", null=True, blank=True)
    file = models.FileField("결과 파일", upload_to="jobs/%Y/%m/", max_length=200, blank=True)
    filename = models.CharField("내려받을 파일명", max_length=200, blank=True)
    error = models.CharField("오류", max_length=500, blank=True)
    created_at = models.DateTimeField("요청일시", auto_now_add=True)
    started_at = models.DateTimeField("시작일시", null=True, blank=True)
    finished_at = models.DateTimeField("완료일시", null=True, blank=True)

    class Meta:
        verbose_name = "백그라운드 작업"
        verbose_name_plural = "백그라운드 작업"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="job_by_user_recent")]

    def __str__(self):
        return f"{self.title} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return 0
        return min(99, self.done * 100 // self.total)

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
