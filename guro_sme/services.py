"""Writes to the firm registry (history rows record who changed what) and the access-log sign-off."""

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from .errors import RuleError
from .models import AccessLogReview, Firm, PersonalDataAccess
from .privacy import record_consent
from .roles import Role, has_role

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# The firm's fields that identify or reach a person (the representative): need consent (제15조).
FIRM_PERSONAL_FIELDS = ("representative", "phone", "email", "address")


def firm_needs_consent(firm: Firm) -> bool:
    """A new firm, or a firm without a recorded consent whose contacts are being changed."""
    if firm.pk is None:
        return True
    if firm.consent_at is not None:
        return False
    before = Firm.objects.filter(pk=firm.pk).values(*FIRM_PERSONAL_FIELDS).first() or {}
    return any(before.get(name) != getattr(firm, name) for name in FIRM_PERSONAL_FIELDS)


@transaction.atomic
def firm_save(*, firm: Firm, actor: "User", reason: str = "", consent: bool = False) -> Firm:
    """Create or update a firm, validated, with the acting user in its history.

    `consent`: the representative agreed to the collection and use of the contacts (the form's
    checkbox); recorded with its date. Refused when the contacts are entered without it.
    """
    if consent:
        record_consent(firm, actor=actor)
    elif firm_needs_consent(firm):
        raise RuleError(
            "대표자·연락처를 등록하려면 개인정보 수집·이용 동의를 받아야 합니다. 동의를 확인하고 표시하세요."
        )
    firm.full_clean()
    firm._history_user = actor
    if reason:
        firm._change_reason = reason
    firm.save()
    return firm


@transaction.atomic
def access_log_review_sign(*, month: datetime.date, note: str, actor: "User") -> AccessLogReview:
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
