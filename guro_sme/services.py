"""Writes to the firm registry (history rows record who changed what) and the access-log sign-off."""

import datetime

from django.db import transaction
from django.utils import timezone

from .errors import RuleError
from .models import AccessLogReview, Firm, PersonalDataAccess
from .roles import Role, has_role


@transaction.atomic
def firm_save(*, firm: Firm, user, reason: str = "") -> Firm:
    """Create or update a firm, validated, with the acting user in its history."""
    firm.full_clean()
    firm._history_user = user
    if reason:
        firm._change_reason = reason
    firm.save()
    return firm


@transaction.atomic
def access_log_review_sign(*, month: datetime.date, note: str, actor) -> AccessLogReview:
    """A manager signs off a finished month of the access log, once; the counts are kept as seen."""
    if not has_role(actor, Role.MANAGER):
        raise RuleError("접속기록 점검은 관리자만 할 수 있습니다.")
    month = month.replace(day=1)
    if month >= timezone.localdate().replace(day=1):
        raise RuleError("끝난 달만 점검 확인할 수 있습니다.")
    if AccessLogReview.objects.select_for_update().filter(month=month).exists():
        raise RuleError(f"{month:%Y년 %m월} 접속기록은 이미 점검 확인되었습니다.")
    records = PersonalDataAccess.objects.filter(
        accessed_at__date__gte=month,
        accessed_at__date__lt=(month + datetime.timedelta(days=32)).replace(day=1),
    )
    return AccessLogReview.objects.create(
        month=month,
        reviewed_by=actor,
        record_count=records.count(),
        download_count=records.filter(action=PersonalDataAccess.Action.DOWNLOAD).count(),
        note=note.strip()[:2000],
    )
