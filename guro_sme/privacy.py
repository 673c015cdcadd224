"""개인정보 보호법: consent to collection and use (제15조) and erasure after the retention period (제21조).

- `consent_notice(kind)`: the Korean notice a form shows next to its required consent checkbox —
  purpose, items, retention period, and the right to refuse with its consequence. The period comes
  from settings.PERSONAL_DATA_RETENTION_YEARS, so the notice and the erasure never disagree.
- `record_consent(obj, actor=, at=)`: stamps the consent fields (guro_sme.models.PersonalDataConsent).
- `ERASERS`: per kind of record, the dotted path of a function
  `erase(*, cutoff: date, commit: bool, actor) -> list[int]` that finds the records whose retention
  ended before `cutoff` and, with `commit`, blanks their personal fields (keeping what the reports
  count). The core imports no app; `manage.py erase_expired_personal_data` calls them and writes a
  `PersonalDataErasure` row per kind. The access log is never erased by the application.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .dates import add_months

# Bump when a notice's wording changes: each consent records the version the person agreed to.
CONSENT_VERSION = "2026-12"

FIRM_CONTACT = "firm_contact"
PROGRAM_REGISTRATION = "program_registration"
ACCESS_LOG = "access_log"

KIND_LABELS = {
    FIRM_CONTACT: "기업 대표자·연락처",
    PROGRAM_REGISTRATION: "경영지원사업 참여자",
    ACCESS_LOG: "개인정보 접속기록",
}

ERASED = "(파기)"

# The spreadsheet column of the consent date (firm and registration imports).
CONSENT_COLUMN = "개인정보 동의일자"


@dataclass(frozen=True)
class ConsentNotice:
    purpose: str
    items: str
    retention: str
    refusal: str

    @property
    def label(self) -> str:
        return "개인정보 수집·이용에 동의함 (정보주체에게 아래 내용을 알리고 동의를 받았습니다)"

    @property
    def text(self) -> str:
        return (
            f"수집·이용 목적: {self.purpose} / 수집 항목: {self.items} / 보유·이용 기간: {self.retention} / "
            f"동의를 거부할 권리가 있으며, {self.refusal}"
        )


def retention_years(kind: str) -> int:
    return settings.PERSONAL_DATA_RETENTION_YEARS[kind]


def consent_notice(kind: str) -> ConsentNotice:
    years = retention_years(kind)
    if kind == FIRM_CONTACT:
        return ConsentNotice(
            purpose="중소기업 지원사업(융자·마케팅·해외진출·교육) 신청 접수, 안내 및 사후관리",
            items="대표자 성명, 전화번호, 이메일, 사업장 주소",
            retention=f"마지막 지원이 끝난 뒤 {years}년 (이후 파기)",
            refusal="거부하면 지원사업 안내와 신청 처리를 받을 수 없습니다.",
        )
    if kind == PROGRAM_REGISTRATION:
        return ConsentNotice(
            purpose="경영지원사업(교육·상담회) 참가 등록, 출석 관리, 수료증 발급",
            items="성명, 연락처, 생년월일, 소속 기업",
            retention=f"교육 종료 후 {years}년 (이후 파기)",
            refusal="거부하면 교육·상담회에 참가 등록할 수 없습니다.",
        )
    raise KeyError(kind)


def record_consent(obj, *, actor, at: datetime.datetime | None = None) -> None:
    """Stamp `obj`'s consent fields (the caller saves it inside its own transaction)."""
    obj.consent_at = at or timezone.now()
    obj.consent_recorded_by = actor if getattr(actor, "is_authenticated", False) else None
    obj.consent_version = CONSENT_VERSION


def consent_at_from_date(day: datetime.date) -> datetime.datetime:
    """A consent date from a spreadsheet (the day of the paper form) as the start of that day."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def cutoff_for(kind: str, today: datetime.date | None = None) -> datetime.date:
    """Records whose retention started before this day have run out (today − N years)."""
    today = today or timezone.localdate()
    return add_months(today, -12 * retention_years(kind))


# --- erasure ----------------------------------------------------------------------------------

ERASERS = {
    FIRM_CONTACT: "guro_sme.privacy.erase_firm_contacts",
    PROGRAM_REGISTRATION: "programs.services.erase_expired_participants",
}


def _erase_history(model, ids, blank: dict) -> None:
    """Blank the same fields in the records' history rows: a copy kept there is not erased."""
    historical = getattr(model, "history", None)
    if historical is not None and ids:
        historical.model.objects.filter(id__in=ids).update(**blank)


def erase_firm_contacts(*, cutoff: datetime.date, commit: bool, actor) -> list[int]:
    """Firms whose last support ended (31 Dec of its year) and last edit were before `cutoff`,
    with no support still running (a loan being repaid): representative, phone, e-mail and address
    are blanked. The firm, its type, the representative's gender and all support records stay, so
    every count and amount of the reports is unchanged."""
    from .models import Firm
    from .support import support_for_firm

    candidates = Firm.objects.filter(contact_erased_at__isnull=True, updated_at__date__lt=cutoff).order_by(
        "pk"
    )
    expired = []
    for firm in candidates:
        records = support_for_firm(firm)
        if any(record.ongoing for record in records):
            continue
        last_year = max((record.year for record in records), default=None)
        if last_year is not None and datetime.date(last_year, 12, 31) >= cutoff:
            continue
        expired.append(firm.pk)
    if commit and expired:
        blank = {"representative": ERASED, "phone": "", "email": "", "address": ""}
        with transaction.atomic():
            Firm.objects.filter(pk__in=expired).update(contact_erased_at=timezone.now(), **blank)
            _erase_history(Firm, expired, blank)
    return expired


def erase_expired(*, today: datetime.date | None = None, commit: bool = False, actor=None, performed_by: str):
    """Run every eraser; with `commit`, erase and write one PersonalDataErasure per kind.

    Returns [(kind, cutoff, ids)]. A dry run (the default) writes nothing at all.
    """
    from django.utils.module_loading import import_string

    from .models import PersonalDataErasure

    results = []
    for kind, path in ERASERS.items():
        cutoff = cutoff_for(kind, today)
        with transaction.atomic():
            ids = import_string(path)(cutoff=cutoff, commit=commit, actor=actor)
            if commit:
                PersonalDataErasure.objects.create(
                    kind=kind,
                    count=len(ids),
                    retention_years=retention_years(kind),
                    cutoff=cutoff,
                    performed_by=performed_by,
                    record_ids="," + ",".join(map(str, ids)) + "," if ids else "",
                )
        results.append((kind, cutoff, ids))
    return results
