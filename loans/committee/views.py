"""Pages of the fund management committee. Thin: find the meeting the user may see, validate a form,
call a service, turn a refused rule into a message."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from guro_sme.access_log import DOWNLOAD, Subject, log_access
from guro_sme.confirm import confirm_page, is_confirmed
from guro_sme.documents import download_response, render_pdf
from guro_sme.errors import RuleError
from guro_sme.jobs.views import file_or_job
from guro_sme.korean import korean_name, particle
from guro_sme.models import DistrictProfile
from guro_sme.paging import page_number
from guro_sme.roles import ANY_ROLE, Role, has_role, role_required
from guro_sme.templatetags.people import person

from . import notices, permissions, selectors, services
from .forms import (
    AmountForm,
    AttendanceForm,
    BudgetForm,
    HoldForm,
    InterestForm,
    MeetingForm,
    MemberProfileForm,
    MinutesForm,
    ObjectionDecisionForm,
    ObjectionForm,
    RecusalForm,
    ScoreForm,
    VoteForm,
)
from .models import (
    AgendaItem,
    CommitteeMeeting,
    InterestDeclaration,
    MemberProfile,
    NoticeDelivery,
    Objection,
    Vote,
)


def _meeting_for(request, pk) -> CommitteeMeeting:
    """The meeting if the user may see it; 404 for a meeting the member does not sit on."""
    return get_object_or_404(
        permissions.meetings_visible_to(user=request.user).select_related("call", "closed_by"), pk=pk
    )


def _item_for(request, pk, item_pk) -> AgendaItem:
    meeting = _meeting_for(request, pk)
    item = get_object_or_404(
        meeting.items.select_related("application__firm", "application__fund"), pk=item_pk
    )
    item.meeting = meeting
    return item


def _first_error(form) -> str:
    for errors in form.errors.values():
        return errors[0]
    return "입력값을 확인하세요."


@role_required(*ANY_ROLE)
def meeting_list(request):
    meetings = permissions.meetings_visible_to(user=request.user)
    return render(
        request,
        "loans/committee/meeting_list.html",
        {
            "page": selectors.meeting_list_page(meetings, request.user, page_number(request)),
            "title": "기금운용심의위원회",
        },
    )


@role_required(Role.STAFF)
def meeting_create(request):
    form = MeetingForm(request.POST or None, initial={"call": request.GET.get("call")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_create(
                call=data["call"],
                title=data["title"],
                held_on=data["held_on"],
                place=data["place"],
                members=data["members"] or None,
                starts_at=data["starts_at"],
                actor=request.user,
            )
        except RuleError as error:  # ours or the loans workflow's
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                f"'{meeting.title}'{particle(meeting.title, '을')} 등록했습니다. 안건 {meeting.items.count()}건",
            )
            return redirect(meeting)
    return render(
        request, "loans/committee/meeting_form.html", {"form": form, "title": "심의위원회 회의 등록"}
    )


@role_required(*ANY_ROLE)
def meeting_detail(request, pk):
    meeting = _meeting_for(request, pk)
    is_member_view = not has_role(request.user, Role.STAFF, Role.MANAGER)
    page = selectors.meeting_agenda_page(meeting, request.GET.get("page"), member_view=is_member_view)
    memberships = selectors.meeting_memberships(meeting)
    rubric, rows = selectors.meeting_agenda(
        meeting, request.user, items=page.object_list, memberships=memberships
    )
    for row in rows:
        row.remove_consequence = item_remove_consequence(row.item)
        row.recusal_consequence = recusal_consequence(row.item)
    i_am_present = any(m.present for m in memberships if m.member_id == request.user.pk)
    # The per-item forms (score, vote, 회피, 기피 신청, 보류) are written out in the template with the
    # names, ids and labels their Form classes give (tests/loans/committee/test_agenda_forms.py):
    # building and rendering a Form per item was most of the page's time. They are never bound here
    # (a refused POST redirects with a message), so there are no errors to show.
    if is_member_view and meeting.is_open:
        score_form = ScoreForm(rubric=rubric)
        for r in rubric:
            r.score_label = score_form.fields[f"r{r.pk}"].label
        for row in rows:
            if row.my_flag is not None:
                row.recusal_reason = f"제척 사유: {row.my_flag.ground}"[:200]
    for row in rows if has_role(request.user, Role.STAFF) and meeting.is_open else []:
        for objection in row.item.objections.all():
            if objection.decision == Objection.Decision.PENDING:
                objection.decide_form = ObjectionDecisionForm(prefix=f"d{objection.pk}")
    confirmations = list(meeting.confirmations.select_related("member"))
    log_access(request, Subject.COMMITTEE_MEMBER, [m.member_id for m in memberships])
    return render(
        request,
        "loans/committee/meeting_detail.html",
        {
            "funds": [] if is_member_view else selectors.meeting_fund_rows(meeting),
            "meeting": meeting,
            "rubric": rubric,
            "rows": rows,
            "page": page,
            "memberships": memberships,
            "member_choices": [(m.member_id, person(m.member)) for m in memberships],
            "vote_choices": Vote.Choice.choices,
            "present_count": sum(1 for m in memberships if m.present),
            "i_am_present": i_am_present,
            "confirmations": confirmations,
            "i_confirmed": any(c.member_id == request.user.pk for c in confirmations),
            "is_member_view": is_member_view,
            "close_consequence": close_consequence(meeting, len(rows)),
            "title": meeting.title,
        },
    )


@role_required(Role.STAFF)
def meeting_attendance(request, pk):
    meeting = _meeting_for(request, pk)
    memberships = selectors.meeting_memberships(meeting)
    form = AttendanceForm(request.POST or None, memberships=memberships)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_set_attendance(
                meeting=meeting, present_member_ids=form.cleaned_data["present"], actor=request.user
            )
        except RuleError as error:  # ours or the loans workflow's
            form.add_error(None, error.message)
        else:
            messages.success(request, f"출석을 기록했습니다: {len(form.cleaned_data['present'])}명 출석")
            return redirect(meeting)
    return render(
        request,
        "loans/committee/attendance_form.html",
        {
            "form": form,
            "meeting": meeting,
            "title": f"출석 기록: {meeting.title}",
            "breadcrumbs": [(meeting.title, meeting.get_absolute_url())],
        },
    )


def _run(request, action, success: str):
    try:
        action()
    except RuleError as error:  # ours or the loans workflow's
        messages.error(request, error.message)
        return False
    messages.success(request, success)
    return True


@require_POST
@role_required(Role.STAFF)
def item_amount(request, pk, item_pk):
    item = _item_for(request, pk, item_pk)
    form = AmountForm(request.POST, prefix=f"i{item.pk}")
    if not form.is_valid():
        messages.error(request, _first_error(form))
    else:
        amount = form.cleaned_data["amount_won"]
        _run(
            request,
            lambda: services.item_set_amount(item=item, amount_won=amount, actor=request.user),
            f"{item.application.firm}의 의결 금액을 {amount:,}원으로 입력했습니다.",
        )
    return redirect(f"{item.meeting.get_absolute_url()}#item-{item.pk}")


@require_POST
@role_required(Role.STAFF)
def meeting_budget(request, pk):
    meeting = _meeting_for(request, pk)
    form = BudgetForm(request.POST)
    fund = None
    if form.is_valid():
        fund = meeting.call.funds.filter(pk=form.cleaned_data["fund"]).first()
    if fund is None:
        messages.error(request, _first_error(form) if form.errors else "이 공고의 기금을 선택하세요.")
    else:
        amount = form.cleaned_data["amount_won"]
        _run(
            request,
            lambda: services.meeting_set_budget(
                meeting=meeting, fund=fund, amount_won=amount, actor=request.user
            ),
            f"{fund.name}의 이번 회의 배정액을 {'지정하지 않았습니다' if amount is None else f'{amount:,}원으로 정했습니다'}.",
        )
    return redirect(meeting)


def item_remove_consequence(item) -> str:
    name = item.application.firm.name
    after = (
        "심의상정 상태로 다음 심의위원회 회의를 기다립니다(다음 회의가 안건으로 올립니다)"
        if services.waits_for_next_meeting(item.application)
        else "요건검토로 돌아갑니다"
    )
    return (
        f"{name}{particle(name, '이')} 이 회의의 안건에서 빠지고 {after}. "
        "위원들이 입력한 점수와 표결은 이 회의에서 더 쓰이지 않습니다."
    )


def recusal_consequence(item) -> str:
    return (
        f"{item.application.firm.name} 안건에 회피를 신청합니다. 신청하면 취소할 수 없고, 이 안건에는 "
        "점수를 매기거나 표결할 수 없습니다."
    )


def close_consequence(meeting, count=None) -> str:
    count = meeting.items.count() if count is None else count
    return f"안건 {count}건이 의결되고 회의가 종료됩니다. 되돌릴 수 없습니다."


@role_required(Role.STAFF)
def item_remove(request, pk, item_pk):
    item = _item_for(request, pk, item_pk)
    if not is_confirmed(request):
        return confirm_page(
            request,
            title=f"안건 제외: {item.application.firm.name}",
            consequence=item_remove_consequence(item),
            confirm_label="안건 제외",
            cancel_url=item.meeting.get_absolute_url(),
        )
    _run(
        request,
        lambda: services.item_remove(item=item, actor=request.user),
        f"{item.application.firm}{particle(item.application.firm, '을')} 안건에서 제외했습니다. (요건검토로 돌아갑니다)",
    )
    return redirect(item.meeting)


@role_required(Role.COMMITTEE)
def item_recuse(request, pk, item_pk):
    item = _item_for(request, pk, item_pk)
    if not is_confirmed(request):
        return confirm_page(
            request,
            title=f"회피 신청: {item.application.firm.name}",
            consequence=recusal_consequence(item),
            confirm_label="회피 신청",
            cancel_url=f"{item.meeting.get_absolute_url()}#item-{item.pk}",
        )
    form = RecusalForm(request.POST, prefix=f"i{item.pk}")
    if not form.is_valid():
        messages.error(request, _first_error(form))
    else:
        _run(
            request,
            lambda: services.item_recuse(item=item, member=request.user, reason=form.cleaned_data["reason"]),
            f"{item.application.firm} 안건에 회피를 신청했습니다. 이 안건의 점수와 표결은 볼 수 없습니다.",
        )
    return redirect(f"{item.meeting.get_absolute_url()}#item-{item.pk}")


@require_POST
@role_required(Role.COMMITTEE)
def item_score(request, pk, item_pk):
    item = _item_for(request, pk, item_pk)
    rubric = list(item.meeting.call.rubric_items.order_by("order", "pk"))
    form = ScoreForm(request.POST, rubric=rubric, prefix=f"i{item.pk}")
    if not form.is_valid():
        messages.error(request, _first_error(form))
    else:
        _run(
            request,
            lambda: services.item_score(item=item, member=request.user, scores=form.scores()),
            f"{item.application.firm} 안건의 점수를 제출했습니다.",
        )
    return redirect(f"{item.meeting.get_absolute_url()}#item-{item.pk}")


@require_POST
@role_required(Role.COMMITTEE)
def item_vote(request, pk, item_pk):
    item = _item_for(request, pk, item_pk)
    form = VoteForm(request.POST, prefix=f"i{item.pk}")
    if not form.is_valid():
        messages.error(request, _first_error(form))
    else:
        data = form.cleaned_data
        _run(
            request,
            lambda: services.item_vote(
                item=item, member=request.user, choice=data["choice"], comment=data["comment"]
            ),
            f"{item.application.firm} 안건에 표결했습니다.",
        )
    return redirect(f"{item.meeting.get_absolute_url()}#item-{item.pk}")


@role_required(Role.STAFF, Role.MANAGER)
def meeting_close(request, pk):
    meeting = _meeting_for(request, pk)
    if not is_confirmed(request):
        return confirm_page(
            request,
            title=f"회의 종료 및 의결: {meeting.title}",
            consequence=close_consequence(meeting),
            confirm_label="회의 종료 및 의결",
            cancel_url=meeting.get_absolute_url(),
        )
    closed = _run(
        request,
        lambda: services.meeting_close(meeting=meeting, actor=request.user),
        f"'{meeting.title}'{particle(meeting.title, '을')} 종료하고 안건을 의결했습니다.",
    )
    return redirect("loans:meeting_results", pk=meeting.pk) if closed else redirect(meeting)


@role_required(*ANY_ROLE)
def meeting_results(request, pk):
    meeting = _meeting_for(request, pk)
    if meeting.is_open:
        messages.info(request, "회의가 종료되면 결과를 볼 수 있습니다.")
        return redirect(meeting)
    items = list(selectors.meeting_result_items(meeting))
    tallies = selectors.meeting_result_tallies(meeting, items)
    ranked = sorted(items, key=lambda i: (i.rank is None, i.rank or 0, i.order))
    reader = has_role(request.user, Role.STAFF, Role.MANAGER)
    for item in ranked:
        item.tally = tallies[item.pk]
        # A member sees nothing of an item they recused from but its result: no rank, score,
        # vote or amount, as on the agenda.
        item.hidden_for_me = not reader and any(r.member_id == request.user.pk for r in item.tally.recused)
    return render(
        request,
        "loans/committee/meeting_results.html",
        {
            "meeting": meeting,
            "items": ranked,
            "reserves": [i for i in ranked if i.reserve_rank and i.application.status == "reserve"],
            "title": f"심의 결과: {meeting.title}",
            "breadcrumbs": [(meeting.title, meeting.get_absolute_url())],
        },
    )


@require_POST
@role_required(Role.STAFF)
def meeting_promote(request, pk):
    meeting = _meeting_for(request, pk)
    try:
        item = services.meeting_promote_reserve(meeting=meeting, actor=request.user)
    except RuleError as error:  # ours or the loans workflow's
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"예비 {item.reserve_rank}순위 {item.application.firm}{particle(item.application.firm, '을')} 의결 금액 "
            f"{item.approved_amount_won:,}원으로 선정했습니다.",
        )
    return redirect("loans:meeting_results", pk=meeting.pk)


@role_required(*ANY_ROLE)
def meeting_minutes_pdf(request, pk):
    """The minutes, for staff, managers and the meeting's members (who confirm them); a member's
    copy leaves out the votes and amounts of the items they recused from."""
    meeting = _meeting_for(request, pk)
    if meeting.is_open:
        messages.error(request, "회의록은 회의를 종료한 뒤에 만들 수 있습니다.")
        return redirect(meeting)
    items = sorted(selectors.meeting_items(meeting), key=lambda i: i.order)
    tallies = selectors.meeting_tallies(meeting, items)
    reader = has_role(request.user, Role.STAFF, Role.MANAGER)
    for item in items:
        item.tally = tallies[item.pk]
        item.hidden_for_me = not reader and any(r.member_id == request.user.pk for r in item.recusals.all())
    memberships = selectors.meeting_memberships(meeting)
    log_access(request, Subject.COMMITTEE_MEMBER, [m.member_id for m in memberships], action=DOWNLOAD)
    present_count = sum(1 for m in memberships if m.present)
    pdf = render_pdf(
        "loans/committee/minutes_pdf.html",
        {
            "meeting": meeting,
            "items": items,
            "memberships": memberships,
            "present_count": present_count,
            "absent_count": len(memberships) - present_count,
            "attendance": selectors.attendance_by_kind(memberships),
            "quorum_text": selectors.quorum_text(memberships),
            "confirmations": list(meeting.confirmations.all()),
            "district": DistrictProfile.current(),
        },
    )
    return download_response(pdf, f"minutes-{meeting.pk}.pdf")


@role_required(*ANY_ROLE)
def meeting_packet_pdf(request, pk, member_pk=None):
    """A member's printable packet, without the items they recused from. Members get their own;
    staff and managers may print any member's (`member_pk`)."""
    meeting = _meeting_for(request, pk)
    if member_pk is None:
        if not has_role(request.user, Role.COMMITTEE):
            raise Http404("위원을 선택하세요.")
        member_pk = request.user.pk
    elif member_pk != request.user.pk and not has_role(request.user, Role.STAFF, Role.MANAGER):
        raise Http404("다른 위원의 자료는 볼 수 없습니다.")
    membership = get_object_or_404(meeting.memberships.select_related("member"), member_id=member_pk)
    recused = selectors.recusals_of_member(meeting, membership.member)
    firm_ids = meeting.items.exclude(pk__in=recused).values_list("application__firm_id", flat=True)
    log_access(request, Subject.FIRM, list(firm_ids), action=DOWNLOAD)
    return file_or_job(
        request,
        size=meeting.items.count(),
        kind="meeting_packet_pdf",
        title=f"{meeting.title} 심의 자료({korean_name(membership.member)})",
        params={"meeting": meeting.pk, "member": membership.member_id},
        filename=f"packet-{meeting.pk}-{membership.member.username}.pdf",
        build=lambda: selectors.packet_pdf(meeting, membership.member),
    )


def _closed_meeting_for(request, pk):
    meeting = _meeting_for(request, pk)
    if meeting.is_open:
        messages.info(request, "회의가 종료되면 결과를 통지할 수 있습니다.")
    return meeting


@role_required(Role.STAFF, Role.MANAGER)
def meeting_notices(request, pk):
    """The decided items with their notice, the firm's e-mail and every sending so far."""
    meeting = _closed_meeting_for(request, pk)
    if meeting.is_open:
        return redirect(meeting)
    items = notices.decided_items(meeting)
    # The page shows each firm's representative and e-mail address: personal data, logged.
    log_access(request, Subject.FIRM, [item.application.firm_id for item in items])
    deliveries = {}
    for delivery in NoticeDelivery.objects.filter(item__meeting=meeting).select_related("sent_by"):
        deliveries.setdefault(delivery.item_id, []).append(delivery)
    for item in items:
        item.notice_kind = NoticeDelivery.Kind(notices.notice_kind_for(item))
        item.deliveries = deliveries.get(item.pk, [])
        item.delivered = any(
            d.status == NoticeDelivery.Status.DELIVERED and d.kind == item.notice_kind
            for d in item.deliveries
        )
    return render(
        request,
        "loans/committee/notices.html",
        {
            "meeting": meeting,
            "items": items,
            "unsent": sum(1 for i in items if not i.delivered and i.application.firm.email),
            "title": f"결과 통지: {meeting.title}",
            "breadcrumbs": [(meeting.title, meeting.get_absolute_url())],
        },
    )


@role_required(Role.STAFF, Role.MANAGER)
def meeting_notices_pdf(request, pk, item_pk=None):
    """One item's notice, or every decided item's notice as one PDF (one letter a page)."""
    meeting = _closed_meeting_for(request, pk)
    if meeting.is_open:
        return redirect(meeting)
    items = notices.decided_items(meeting)
    if item_pk is not None:
        items = [i for i in items if i.pk == item_pk]
        if not items:
            raise Http404("의결된 안건이 아닙니다.")
    if items:  # the notices name and address each firm's representative
        log_access(request, Subject.FIRM, [item.application.firm_id for item in items], action=DOWNLOAD)
    if not items:
        messages.error(request, "통지할 의결 안건이 없습니다.")
        return redirect("loans:meeting_notices", pk=meeting.pk)
    if item_pk is not None:
        return download_response(notices.notices_pdf(items), f"notice-{meeting.pk}-{item_pk}.pdf")
    return file_or_job(
        request,
        size=len(items),
        kind="meeting_notices_pdf",
        title=f"{meeting.title} 결과 통지서",
        params={"meeting": meeting.pk},
        filename=f"notices-{meeting.pk}.pdf",
        build=lambda: notices.notices_pdf(items),
    )


@require_POST
@role_required(Role.STAFF)
def meeting_notices_send(request, pk):
    meeting = _meeting_for(request, pk)
    try:
        counts = notices.meeting_send_notices(meeting=meeting, actor=request.user)
    except RuleError as error:
        messages.error(request, error.message)
    else:
        text = f"통지서 이메일 발송: 완료 {counts['delivered']}건, 실패 {counts['failed']}건"
        if counts["no_address"]:
            text += f", 이메일 주소 없음 {counts['no_address']}건 (PDF로 출력해 보내세요)"
        (messages.warning if counts["failed"] else messages.success)(request, text)
    return redirect("loans:meeting_notices", pk=meeting.pk)


@require_POST
@role_required(Role.STAFF)
def meeting_notice_send(request, pk, item_pk):
    item = _item_for(request, pk, item_pk)
    try:
        delivery = notices.notice_send(item=item, actor=request.user)
    except RuleError as error:
        messages.error(request, error.message)
    else:
        text = f"{item.application.firm}에 {delivery.get_kind_display()}를 보냈습니다: {delivery.get_status_display()}"
        if delivery.error:
            text += f" ({delivery.error})"
        (messages.success if delivery.status == NoticeDelivery.Status.DELIVERED else messages.error)(
            request, text
        )
    return redirect("loans:meeting_notices", pk=item.meeting.pk)


@require_POST
@role_required(Role.STAFF)
def item_hold(request, pk, item_pk):
    item = _item_for(request, pk, item_pk)
    form = HoldForm(request.POST, prefix=f"h{item.pk}")
    if not form.is_valid():
        messages.error(request, _first_error(form))
    else:
        _run(
            request,
            lambda: services.item_hold(item=item, reason=form.cleaned_data["reason"], actor=request.user),
            f"{item.application.firm} 안건을 보류했습니다. (요건검토로 돌아가 다음 회의에 상정할 수 있습니다)",
        )
    return redirect(f"{item.meeting.get_absolute_url()}#item-{item.pk}")


@require_POST
@role_required(Role.STAFF)
def objection_record(request, pk, item_pk):
    item = _item_for(request, pk, item_pk)
    memberships = selectors.meeting_memberships(item.meeting)
    form = ObjectionForm(request.POST, prefix=f"o{item.pk}", memberships=memberships)
    if not form.is_valid():
        messages.error(request, _first_error(form))
    else:
        member = next(m.member for m in memberships if m.member_id == form.cleaned_data["member"])
        _run(
            request,
            lambda: services.objection_record(
                item=item, member=member, reason=form.cleaned_data["reason"], actor=request.user
            ),
            f"{item.application.firm}의 기피 신청을 기록했습니다. 위원회 의결 결과를 입력하세요.",
        )
    return redirect(f"{item.meeting.get_absolute_url()}#item-{item.pk}")


@require_POST
@role_required(Role.STAFF)
def objection_decide(request, pk, objection_pk):
    meeting = _meeting_for(request, pk)
    objection = get_object_or_404(Objection.objects.filter(item__meeting=meeting), pk=objection_pk)
    form = ObjectionDecisionForm(request.POST, prefix=f"d{objection.pk}")
    if not form.is_valid():
        messages.error(request, _first_error(form))
    else:
        data = form.cleaned_data
        _run(
            request,
            lambda: services.objection_decide(
                objection=objection,
                accepted=data["decision"] == Objection.Decision.ACCEPTED,
                yes_count=data["yes_count"],
                no_count=data["no_count"],
                actor=request.user,
            ),
            "기피 신청 의결 결과를 기록했습니다.",
        )
    return redirect(f"{meeting.get_absolute_url()}#item-{objection.item_id}")


@role_required(Role.STAFF)
def minutes_edit(request, pk):
    meeting = _meeting_for(request, pk)
    items = list(meeting.items.select_related("application__firm").order_by("order", "pk"))
    form = MinutesForm(request.POST or None, meeting=meeting, items=items)
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_record(
                meeting=meeting,
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
                items=form.item_minutes(),
                actor=request.user,
            )
        except RuleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "회의록 내용을 저장했습니다.")
            return redirect(meeting)
    return render(
        request,
        "loans/committee/minutes_form.html",
        {
            "form": form,
            "meeting": meeting,
            "title": f"회의록 작성: {meeting.title}",
            "breadcrumbs": [(meeting.title, meeting.get_absolute_url())],
        },
    )


@require_POST
@role_required(Role.COMMITTEE)
def minutes_confirm(request, pk):
    meeting = _meeting_for(request, pk)
    _run(
        request,
        lambda: services.minutes_confirm(meeting=meeting, member=request.user),
        "회의록을 확인했습니다. 확인된 회의록은 더 이상 고칠 수 없습니다.",
    )
    return redirect(meeting)


# ------------------------------------------------------------------ members (위촉 정보, 이해관계 신고)


@role_required(Role.STAFF, Role.MANAGER)
def member_list(request):
    """The committee's members with their appointment and declared interests (staff and managers)."""
    members = selectors.committee_member_rows()
    log_access(request, Subject.COMMITTEE_MEMBER, members)
    return render(request, "loans/committee/member_list.html", {"members": members, "title": "심의위원 관리"})


def _member_page(request, member, form, interest_form, status=200):
    profile = MemberProfile.objects.filter(user=member).first()
    log_access(request, Subject.COMMITTEE_MEMBER, [member])
    return render(
        request,
        "loans/committee/member_form.html",
        {
            "member": member,
            "profile": profile,
            "form": form,
            "interest_form": interest_form,
            "declarations": list(member.interest_declarations.all()),
            "title": f"심의위원: {person(member)}",
        },
        status=status,
    )


@role_required(Role.STAFF, Role.MANAGER)
def member_edit(request, pk):
    """A member's appointment: kind, affiliation, committee role, term, address (for 제척)."""
    member = get_object_or_404(selectors.committee_members(), pk=pk)
    if request.method == "POST" and not has_role(request.user, Role.STAFF):
        raise PermissionDenied  # managers read the appointments; staff keep them
    profile = MemberProfile.objects.filter(user=member).first()
    form = MemberProfileForm(request.POST or None, instance=profile, prefix="p")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.member_profile_save(
                member=member,
                kind=data["kind"],
                committee_role=data["committee_role"],
                appointed_on=data["appointed_on"],
                term_ends_on=data["term_ends_on"],
                affiliation=data["affiliation"],
                address=data["address"],
                actor=request.user,
            )
        except RuleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"{person(member)} 위원의 위촉 정보를 저장했습니다.")
            return redirect("loans:committee_member", pk=member.pk)
    return _member_page(request, member, form, InterestForm(prefix="i"))


@require_POST
@role_required(Role.STAFF)
def member_interest_add(request, pk):
    member = get_object_or_404(selectors.committee_members(), pk=pk)
    interest_form = InterestForm(request.POST, prefix="i")
    if interest_form.is_valid():
        try:
            services.interest_declare(member=member, actor=request.user, **interest_form.cleaned_data)
        except RuleError as error:
            interest_form.add_error(None, error.message)
        else:
            messages.success(request, "이해관계 신고를 등록했습니다. 다음 회의부터 제척 확인에 쓰입니다.")
            return redirect("loans:committee_member", pk=member.pk)
    profile = MemberProfile.objects.filter(user=member).first()
    form = MemberProfileForm(instance=profile, prefix="p")
    return _member_page(request, member, form, interest_form, status=400)


@require_POST
@role_required(Role.STAFF)
def member_interest_withdraw(request, pk, interest_pk):
    member = get_object_or_404(selectors.committee_members(), pk=pk)
    declaration = get_object_or_404(InterestDeclaration, pk=interest_pk, member=member)
    try:
        services.interest_withdraw(declaration=declaration, actor=request.user)
    except RuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "이해관계 신고를 철회했습니다. 변경 이력에 남습니다.")
    return redirect("loans:committee_member", pk=member.pk)
