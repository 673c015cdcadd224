"""Pages after the loan: payments on the application page, the arrears list, installments due."""

import datetime

from django.contrib import messages
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from guro_sme.access_log import DOWNLOAD, Subject, log_access
from guro_sme.confirm import confirm_page, is_confirmed
from guro_sme.models import Firm
from guro_sme.roles import READERS, Role, has_role, role_required
from loans import services as loan_services
from loans.models import LoanApplication
from loans.services import LoanRuleError

from . import selectors, services
from .allocation import AGING_BUCKETS
from .forms import (
    ClaimApproveForm,
    ClaimLineForm,
    ClaimOpenForm,
    CloseForm,
    DecisionForm,
    InstallmentsPaidForm,
    ObjectionForm,
    PaymentForm,
    PrepaymentForm,
    RateChangeForm,
    RecoveryOpenForm,
    ReversalForm,
    first_error,
)
from .models import LoanPayment, RecoveryCase, SubsidyClaim


@require_POST
@role_required(Role.STAFF)
def payment_create(request, pk):
    application = get_object_or_404(LoanApplication, pk=pk)
    form = PaymentForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect(application)
    try:
        payment = services.payment_record(
            application=application,
            paid_on=form.cleaned_data["paid_on"],
            amount_won=form.cleaned_data["amount_won"],
            note=form.cleaned_data["note"],
            actor=request.user,
        )
    except LoanRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{payment.paid_on:%Y.%m.%d} 납입 {payment.amount_won:,}원을 기록했습니다.")
    return redirect(application)


@require_POST
@role_required(Role.STAFF)
def payment_reverse(request, pk):
    payment = get_object_or_404(LoanPayment.objects.select_related("application"), pk=pk)
    form = ReversalForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect(payment.application)
    try:
        services.payment_reverse(payment=payment, reason=form.cleaned_data["reason"], actor=request.user)
    except LoanRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{payment.paid_on:%Y.%m.%d} 납입 {payment.amount_won:,}원을 취소했습니다.")
    return redirect(payment.application)


@role_required(*READERS)
def arrears(request):
    bucket = request.GET.get("bucket", "")
    if bucket not in {label for _, _, label in AGING_BUCKETS}:
        bucket = ""
    today = timezone.localdate()
    rows = selectors.arrears_rows(as_of=today)
    return render(
        request,
        "aftercare/arrears.html",
        {
            "rows": [r for r in rows if not bucket or r.balance.aging_bucket == bucket],
            "summary": selectors.arrears_summary(rows),
            "bucket": bucket,
            "today": today,
            "total_overdue": sum(r.balance.overdue_won for r in rows),
            "rows_total": len(rows),
            "title": "연체 현황",
        },
    )


@role_required(*READERS, post_roles=(Role.STAFF,))
def due_list(request):
    """This week's installments; staff tick some and record them paid at once (asked once first)."""
    if request.method == "POST":
        return _due_mark_paid(request)
    today = timezone.localdate()
    end = today + datetime.timedelta(days=6)
    return render(
        request,
        "aftercare/due_list.html",
        {
            "due": selectors.due_rows(today, end),
            "today": today,
            "end": end,
            "can_mark_paid": has_role(request.user, Role.STAFF),
            "paid_form": InstallmentsPaidForm(initial={"paid_on": today}),
            "paid_consequence": due_paid_consequence(),
            "title": "이번 주 상환 예정",
        },
    )


def _due_mark_paid(request):
    form = InstallmentsPaidForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("aftercare:due_list")
    ids, paid_on = form.cleaned_data["installment"], form.cleaned_data["paid_on"]
    if not is_confirmed(request):
        return confirm_page(
            request,
            title="선택한 회차 납입 처리",
            consequence=due_paid_consequence(len(ids), paid_on),
            confirm_label="선택한 회차 납입 처리",
            cancel_url=reverse("aftercare:due_list"),
            style="primary",
        )
    try:
        paid = loan_services.installments_mark_paid(installment_ids=ids, paid_on=paid_on, actor=request.user)
    except LoanRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{len(paid)}건의 납입을 기록했습니다 (납입일 {paid_on:%Y.%m.%d}).")
    return redirect("aftercare:due_list")


def due_paid_consequence(count: int | None = None, paid_on: datetime.date | None = None) -> str:
    """Said before the bulk 납입 처리; without a count, "{n}" for static/js/app.js to fill in."""
    on = f" (납입일 {paid_on:%Y.%m.%d})" if paid_on else ""
    return (
        f"선택한 {'{n}' if count is None else count}건의 납입을 기록합니다{on}. 기록한 납입은 지울 수 없으며, "
        "잘못 기록했으면 신청 화면에서 한 건씩 납입 취소로 바로잡아야 합니다."
    )


# ---------------------------------------------------------------- 환수


@role_required(*READERS)
def recovery_list(request):
    status = request.GET.get("status", "")
    if status not in RecoveryCase.Status.values:
        status = ""
    return render(
        request,
        "aftercare/recovery_list.html",
        {
            "cases": selectors.recovery_cases(status=status),
            "statuses": RecoveryCase.Status.choices,
            "status": status,
            "title": "환수 관리",
        },
    )


@role_required(Role.STAFF)
def recovery_create(request, firm_pk):
    firm = get_object_or_404(Firm, pk=firm_pk)
    form = RecoveryOpenForm(request.POST or None, firm=firm)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.recovery_open(
                firm=firm,
                program=data["program"],
                application=data["application"],
                support_title=data["support_title"],
                subsidy_won=data["subsidy_won"],
                cause=data["cause"],
                cause_on=data["cause_on"],
                detail=data["detail"],
                actor=request.user,
            )
        except LoanRuleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"환수 건을 열었습니다: 환수액 {case.amount_won:,}원.")
            return redirect(case)
    return render(
        request,
        "aftercare/recovery_form.html",
        {"form": form, "firm": firm, "title": f"환수 개시: {firm.name}"},
    )


def _case(pk):
    return get_object_or_404(
        RecoveryCase.objects.select_related(
            "firm",
            "application__fund",
            "application__call",
            "opened_by",
            "updated_by",
            "objection_decided_by",
        ),
        pk=pk,
    )


@role_required(*READERS)
def recovery_detail(request, pk):
    case = _case(pk)
    log_access(request, Subject.FIRM, [case.firm])
    history = case.history.select_related("history_user").order_by("-history_date")[:30]
    return render(
        request,
        "aftercare/recovery_detail.html",
        {
            "case": case,
            "history": history,
            "objection_form": ObjectionForm(),
            "decision_form": DecisionForm(),
            "close_form": CloseForm(initial={"on_date": timezone.localdate()}),
            "notice_consequence": recovery_notice_consequence(case),
            "close_consequence": recovery_close_consequence(case),
            "title": f"환수: {case.firm.name}",
            "breadcrumbs": [("환수 관리", reverse("aftercare:recovery_list"))],
        },
    )


def _confirmed_step(request, obj, run, done, form_class=None, confirm=None):
    """One POSTed step on `obj` (a 환수 case or a claim): parse `form_class`, then, for a step
    that cannot be undone, `confirm(obj, data)` → (title, consequence, label) is asked once
    (guro_sme/confirm.py) before anything is written; `run(obj, data)`, then the message `done`
    (a string, or `done(obj)` for one that shows what was written)."""
    data = {}
    if form_class is not None:
        form = form_class(request.POST)
        if not form.is_valid():
            messages.error(request, first_error(form))
            return redirect(obj)
        data = form.cleaned_data
    if confirm is not None and not is_confirmed(request):
        title, consequence, label = confirm(obj, data)
        return confirm_page(
            request,
            title=title,
            consequence=consequence,
            confirm_label=label,
            cancel_url=obj.get_absolute_url(),
            style="primary",
        )
    try:
        run(obj, data)
    except LoanRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done(obj) if callable(done) else done)
    return redirect(obj)


def _case_action(request, pk, run, done: str, form_class=None, confirm=None):
    return _confirmed_step(request, _case(pk), run, done, form_class, confirm)


@require_POST
@role_required(Role.STAFF)
def recovery_notice(request, pk):
    return _case_action(
        request,
        pk,
        lambda case, _: services.recovery_issue_notice(case=case, actor=request.user),
        f"환수 통지문을 발송 처리했습니다. 이의신청 기간은 통지일부터 {services.OBJECTION_DAYS}일입니다.",
        confirm=lambda case, _: (
            f"환수 통지: {case.firm.name}",
            recovery_notice_consequence(case),
            "환수 통지",
        ),
    )


def recovery_notice_consequence(case) -> str:
    return (
        f"{case.firm.name}에 환수 금액 {case.amount_won:,}원을 통지합니다. 문서번호가 매겨지고 오늘부터 "
        f"{services.OBJECTION_DAYS}일의 이의신청 기간이 시작됩니다. 되돌릴 수 없습니다."
    )


def recovery_close_consequence(case) -> str:
    return f"{case.firm.name}의 환수 건을 종결합니다. 종결한 건은 더 처리할 수 없습니다."


@require_POST
@role_required(Role.STAFF)
def recovery_objection(request, pk):
    return _case_action(
        request,
        pk,
        lambda case, d: services.recovery_record_objection(
            case=case, received_on=d["received_on"], text=d["text"], actor=request.user
        ),
        "이의신청을 기록했습니다.",
        ObjectionForm,
    )


@require_POST
@role_required(Role.STAFF)
def recovery_decision(request, pk):
    return _case_action(
        request,
        pk,
        lambda case, d: services.recovery_decide_objection(
            case=case, decision=d["decision"], reason=d["reason"], actor=request.user
        ),
        "이의신청 결정을 기록했습니다.",
        DecisionForm,
    )


@require_POST
@role_required(Role.STAFF)
def recovery_close(request, pk):
    return _case_action(
        request,
        pk,
        lambda case, d: services.recovery_close(
            case=case, outcome=d["outcome"], on_date=d["on_date"], note=d["note"], actor=request.user
        ),
        "환수 건을 종결했습니다.",
        CloseForm,
        confirm=lambda case, _: (
            f"환수 종결: {case.firm.name}",
            recovery_close_consequence(case),
            "종결 기록",
        ),
    )


@role_required(*READERS)
def recovery_notice_pdf(request, pk):
    from guro_sme.documents import download_response
    from guro_sme.letters import official_letter, render_letter_pdf

    case = _case(pk)
    if not case.notice_number:
        messages.error(request, "환수 통지 처리를 먼저 하세요.")
        return redirect(case)
    log_access(request, Subject.FIRM, [case.firm], action=DOWNLOAD)
    letter = official_letter(
        recipient=f"{case.firm.name} 대표 {case.firm.representative} 귀하",
        title=f"{case.support_title} 지원금 환수 통지",
        body_template="aftercare/recovery_notice_body.html",
        context={"case": case},
        attachments=["환수금 산정 내역 1부"],
        number=case.notice_number,
        issued_on=case.notice_issued_on,
    )
    return download_response(render_letter_pdf(letter), f"환수통지_{case.firm.name}_{case.notice_number}.pdf")


# ---------------------------------------------------------------- 이자보전금 청구


@role_required(*READERS)
def claim_list(request):
    claims = SubsidyClaim.objects.select_related("fund", "approved_by").annotate(
        claimed=Sum("lines__claimed_won"), computed=Sum("lines__computed_won"), line_count=Count("lines")
    )
    return render(
        request,
        "aftercare/claim_list.html",
        {"claims": claims, "form": ClaimOpenForm(), "title": "이자보전금 청구"},
    )


@require_POST
@role_required(Role.STAFF)
def claim_create(request):
    form = ClaimOpenForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("aftercare:claim_list")
    try:
        claim = services.subsidy_claim_open(
            fund=form.cleaned_data["fund"],
            period_start=form.cleaned_data["period_start"],
            period_end=form.cleaned_data["period_end"],
            actor=request.user,
        )
    except LoanRuleError as error:
        messages.error(request, error.message)
        return redirect("aftercare:claim_list")
    return redirect(claim)


@role_required(*READERS)
def claim_detail(request, pk):
    claim = get_object_or_404(SubsidyClaim.objects.select_related("fund", "approved_by", "entered_by"), pk=pk)
    lines = list(claim.lines.select_related("application__firm", "entered_by"))
    claimed = sum(line.claimed_won for line in lines)
    computed = sum(line.computed_won for line in lines)
    return render(
        request,
        "aftercare/claim_detail.html",
        {
            "claim": claim,
            "lines": lines,
            "claimed": claimed,
            "computed": computed,
            "difference": claimed - computed,
            "line_form": ClaimLineForm(claim=claim),
            "approve_form": ClaimApproveForm(initial={"approved_won": min(claimed, computed)}),
            "approve_consequence": claim_approve_consequence(),
            "title": f"이자보전금 청구: {claim}",
            "breadcrumbs": [("이자보전금 청구", reverse("aftercare:claim_list"))],
        },
    )


@require_POST
@role_required(Role.STAFF)
def claim_add_line(request, pk):
    claim = get_object_or_404(SubsidyClaim, pk=pk)
    form = ClaimLineForm(request.POST, claim=claim)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect(claim)
    try:
        services.subsidy_claim_add_line(
            claim=claim,
            application=form.cleaned_data["application"],
            claimed_won=form.cleaned_data["claimed_won"],
            actor=request.user,
        )
    except LoanRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "청구 내역을 더했습니다.")
    return redirect(claim)


@require_POST
@role_required(Role.STAFF)
def claim_approve(request, pk):
    return _confirmed_step(
        request,
        get_object_or_404(SubsidyClaim, pk=pk),
        lambda claim, d: services.subsidy_claim_approve(
            claim=claim, approved_won=d["approved_won"], note=d["note"], actor=request.user
        ),
        lambda claim: f"지급 승인액 {claim.approved_won:,}원을 기록했습니다.",
        ClaimApproveForm,
        confirm=lambda claim, d: (
            f"지급 승인: {claim}",
            claim_approve_consequence(d["approved_won"]),
            "지급 승인",
        ),
    )


def claim_approve_consequence(approved_won: int | None = None) -> str:
    amount = f" {approved_won:,}원" if approved_won is not None else ""
    return f"지급 승인액{amount}을 기록합니다. 승인하면 이 청구를 더 고칠 수 없습니다."


# ---------------------------------------------------------------- 중도상환 and 금리 변경


@require_POST
@role_required(Role.STAFF)
def loan_prepay(request, pk):
    application = get_object_or_404(LoanApplication, pk=pk)
    form = PrepaymentForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect(application)
    data = form.cleaned_data
    try:
        services.loan_prepay(
            application=application,
            paid_on=data["paid_on"],
            amount_won=data["amount_won"],
            mode=data["mode"],
            reason=data["reason"],
            actor=request.user,
        )
    except LoanRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, f"중도상환 {data['amount_won']:,}원을 기록하고 남은 상환 일정을 다시 만들었습니다."
        )
    return redirect(application)


@require_POST
@role_required(Role.STAFF)
def loan_rate_change(request, pk):
    application = get_object_or_404(LoanApplication, pk=pk)
    form = RateChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect(application)
    data = form.cleaned_data
    try:
        services.loan_change_rate(
            application=application,
            effective_on=data["effective_on"],
            new_rate=data["new_rate"],
            reason=data["reason"],
            actor=request.user,
        )
    except LoanRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, f"{data['effective_on']:%Y.%m.%d}부터 금리를 바꾸고 이자를 다시 계산했습니다."
        )
    return redirect(application)
