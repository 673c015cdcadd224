"""Decision notices to the applicants after a meeting closes (선정 / 예비선정 / 미선정 통지서).

Each notice is an official letter (guro_sme/letters.py) built from the agenda item; staff print one
or all of a meeting's as one PDF, or send them by e-mail (Django's e-mail framework: console in
development, SMTP in production). Every sending is recorded (NoticeDelivery) as delivered or failed,
and can be sent again.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction

from guro_sme.korean import particle
from guro_sme.letters import Letter, letter_number, official_letter, render_letter_pdf, render_letters_pdf
from guro_sme.roles import Role, has_role
from loans.models import LoanApplication

from .models import AgendaItem, CommitteeAction, CommitteeMeeting, NoticeDelivery
from .services import CommitteeRuleError, _record

S = LoanApplication.Status
K = NoticeDelivery.Kind
TITLES = {
    K.SELECTED: "융자 지원 대상 선정 통지",
    K.RESERVE: "융자 지원 예비선정 통지",
    K.REJECTED: "융자 지원 심의 결과 통지",
}


def notice_kind_for(item: AgendaItem) -> str | None:
    """Which notice the item's applicant gets: 선정 (also a promoted reserve), 예비선정 while still a
    reserve, 미선정 when rejected or a reserve that is no longer waiting; None while undecided."""
    if not item.result or item.result == AgendaItem.Result.HELD:
        return None
    if item.application.fund.is_guarantee:
        return None  # the guarantee path's answer is the recommendation to the foundation
    if item.approved_amount_won and item.application.status not in (S.RESERVE, S.REJECTED):
        return K.SELECTED
    if item.reserve_rank and item.application.status == S.RESERVE:
        return K.RESERVE
    return K.REJECTED


def rejection_reason(item: AgendaItem) -> str:
    """미선정 사유 as the committee decided it: the vote, or no money left for a reserve."""
    if item.result == AgendaItem.Result.REJECTED:
        reason = (
            f"기금운용심의위원회 심의 결과 부결 (찬성 {item.yes_count or 0}명, 반대 {item.no_count or 0}명, "
            f"기권 {item.abstain_count or 0}명 / 의결 참여 {item.eligible_count or 0}명)"
        )
    else:
        reason = "심의에서 가결되었으나 기금 재원 범위 안에 들지 못함"
    conditions = getattr(item, "conditions", "")
    return f"{reason}. {conditions}" if conditions else reason


def notice_number(item: AgendaItem) -> str:
    return letter_number(f"{item.meeting.held_on.year}-심의{item.meeting_id}-{item.order}")


def notice_letter(item: AgendaItem) -> Letter:
    """The official letter for one decided item."""
    kind = notice_kind_for(item)
    if kind is None:
        raise CommitteeRuleError("의결되지 않은 안건에는 통지서를 만들 수 없습니다.")
    application = item.application
    firm = application.firm
    return official_letter(
        recipient=f"{firm.name} 대표 {firm.representative} 귀하",
        title=f"{item.meeting.call.title} {TITLES[kind]}",
        body_template="loans/committee/notice_body.html",
        context={
            "item": item,
            "application": application,
            "meeting": item.meeting,
            "kind": kind,
            "reason": rejection_reason(item) if kind == K.REJECTED else "",
            "bank": application.fund.partner_bank,
        },
        number=notice_number(item),
    )


def decided_items(meeting: CommitteeMeeting) -> list[AgendaItem]:
    items = list(
        meeting.items.select_related(
            "meeting__call", "application__firm", "application__fund__partner_bank"
        ).order_by("order", "pk")
    )
    return [item for item in items if notice_kind_for(item)]


def notices_pdf(items) -> bytes:
    return render_letters_pdf([notice_letter(item) for item in items])


def _require_staff_and_closed(actor, meeting) -> None:
    if not has_role(actor, Role.STAFF):
        raise CommitteeRuleError("결과 통지는 담당자만 보낼 수 있습니다.")
    if meeting.is_open:
        raise CommitteeRuleError("회의를 종료한 뒤에 결과를 통지할 수 있습니다.")


def notice_send(*, item: AgendaItem, actor) -> NoticeDelivery:
    """E-mail one item's notice (PDF attached) to the firm's address and record the outcome.

    Refused (nothing written) when the firm has no e-mail address. A failure of the mail server
    is not an error for the caller: it is recorded as 발송 실패 with its reason, to send again.
    The mail goes out before anything is written, outside any transaction: a slow server must not
    hold database locks.
    """
    _require_staff_and_closed(actor, item.meeting)
    kind = notice_kind_for(item)
    if kind is None:
        raise CommitteeRuleError("의결되지 않은 안건에는 통지서를 보낼 수 없습니다.")
    firm = item.application.firm
    if not firm.email:
        raise CommitteeRuleError(
            f"{firm.name}{particle(firm.name, '은')} 이메일 주소가 없습니다. 통지서 PDF를 출력해 우편으로 보내거나 기업 정보에 주소를 입력하세요."
        )
    letter = notice_letter(item)
    message = EmailMessage(
        subject=f"[{item.meeting.call.title}] {TITLES[kind]}",
        body=(
            f"{firm.name} 대표 {firm.representative} 귀하\n\n"
            f"{item.meeting.title} 심의 결과를 붙임 통지서로 알려 드립니다.\n"
            f"문서번호: {letter.number}\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[firm.email],
    )
    message.attach(f"{letter.number}.pdf", render_letter_pdf(letter), "application/pdf")
    try:
        message.send(fail_silently=False)
    except Exception as error:
        status, reason = NoticeDelivery.Status.FAILED, f"{type(error).__name__}: {error}"[:300]
    else:
        status, reason = NoticeDelivery.Status.DELIVERED, ""
    with transaction.atomic():
        delivery = NoticeDelivery.objects.create(
            item=item,
            application=item.application,
            kind=kind,
            number=letter.number,
            to_email=firm.email,
            status=status,
            error=reason,
            sent_by=actor,
        )
        _record(
            meeting=item.meeting,
            item=item,
            actor=actor,
            kind=CommitteeAction.Kind.NOTICE,
            detail=f"{firm} {delivery.get_kind_display()} → {firm.email}: {delivery.get_status_display()}",
        )
    return delivery


def meeting_send_notices(*, meeting: CommitteeMeeting, actor) -> dict[str, int]:
    """E-mail every decided item's notice not yet delivered; firms without an address are skipped
    (counted, to print). Returns the counts: delivered, failed, without address."""
    _require_staff_and_closed(actor, meeting)
    delivered = set(
        NoticeDelivery.objects.filter(
            item__meeting=meeting, status=NoticeDelivery.Status.DELIVERED
        ).values_list("item_id", "kind")
    )
    counts = {"delivered": 0, "failed": 0, "no_address": 0}
    for item in decided_items(meeting):
        if (item.pk, notice_kind_for(item)) in delivered:
            continue
        if not item.application.firm.email:
            counts["no_address"] += 1
            continue
        delivery = notice_send(item=item, actor=actor)
        counts["delivered" if delivery.status == NoticeDelivery.Status.DELIVERED else "failed"] += 1
    return counts
