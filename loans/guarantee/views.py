"""The guarantee pages: the dashboard and intake register of a fund-year, the recommendation
letter and the foundation's list, sending to the foundation, and the foundation's result."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from guro_sme.documents import download_response
from guro_sme.roles import READERS, Role, role_required
from loans import services
from loans.forms import GuaranteeResultForm, GuaranteeSendForm
from loans.models import LoanApplication, LoanFund
from loans.services import LoanRuleError

from . import documents
from .selectors import guarantee_capacity, intake_register

S = LoanApplication.Status


def _guarantee_fund(pk) -> LoanFund:
    return get_object_or_404(
        LoanFund.objects.select_related("guarantor", "partner_bank").prefetch_related("firm_limits"),
        pk=pk,
        kind=LoanFund.Kind.GUARANTEE,
    )


def _picked(request) -> list[int]:
    return [int(pk) for pk in request.GET.getlist("application") if pk.isdigit() and len(pk) < 12]


@role_required(*READERS)
def dashboard(request, pk):
    """Pool, outstanding, the year's lending against its scale, what is left; the year's register."""
    fund = _guarantee_fund(pk)
    capacity = guarantee_capacity(fund=fund)
    register = list(intake_register(fund=fund))
    recommended = [a for a in register if a.status == S.RECOMMENDED]
    years = LoanFund.objects.filter(kind=fund.kind, name=fund.name).order_by("-year").only("pk", "year")
    return render(
        request,
        "loans/guarantee/dashboard.html",
        {
            "fund": fund,
            "capacity": capacity,
            "register": register,
            "recommended": recommended,
            "years": years,
            "send_form": GuaranteeSendForm(),
            "title": f"{fund.year}년 {fund.name} 보증 현황",
        },
    )


@role_required(*READERS)
def letter_pdf(request, pk):
    """추천서: ?application=… picks firms (default: every firm recommended and not yet sent);
    ?per_firm=1 makes one letter per firm."""
    fund = _guarantee_fund(pk)
    picked = _picked(request)
    applications = documents.recommended_applications(fund=fund, pks=picked)
    if not picked:
        applications = [a for a in applications if a.status == S.RECOMMENDED]
    if not applications:
        messages.error(request, "추천서에 넣을 구 추천 신청이 없습니다.")
        return redirect("loans:guarantee_dashboard", fund.pk)
    data = documents.recommendation_pdf(
        fund=fund, applications=applications, per_firm=request.GET.get("per_firm") == "1"
    )
    return download_response(data, f"{fund.year}년 보증추천서.pdf")


@role_required(*READERS)
def list_xlsx(request, pk):
    fund = _guarantee_fund(pk)
    picked = _picked(request)
    applications = documents.recommended_applications(fund=fund, pks=picked)
    return download_response(
        documents.foundation_list_xlsx(fund=fund, applications=applications),
        f"{fund.year}년 보증추천명단.xlsx",
    )


@require_POST
@role_required(Role.STAFF)
def send(request, pk):
    """보증 신청: the picked recommended applications went to the foundation on the date given."""
    fund = _guarantee_fund(pk)
    candidates = LoanApplication.objects.filter(fund=fund, status=S.RECOMMENDED)
    form = GuaranteeSendForm(request.POST, choices=[(a.pk, a.pk) for a in candidates.only("pk")])
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("loans:guarantee_dashboard", fund.pk)
    try:
        sent = services.guarantee_send_batch(
            applications=list(candidates.filter(pk__in=form.cleaned_data["applications"]).order_by("pk")),
            sent_on=form.cleaned_data["sent_on"],
            actor=request.user,
        )
    except LoanRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"{len(sent)}개 업체를 보증 신청 상태로 바꿨습니다 ({form.cleaned_data['sent_on']:%Y.%m.%d}).",
        )
        if len(sent) == 1:
            return redirect(sent[0])
    return redirect("loans:guarantee_dashboard", fund.pk)


@require_POST
@role_required(Role.STAFF)
def result(request, pk):
    """The foundation's decision on one application (승인 with its figures, or 거절 with a reason)."""
    from loans.views import _detail_page

    application = get_object_or_404(LoanApplication, pk=pk, fund__kind=LoanFund.Kind.GUARANTEE)
    form = GuaranteeResultForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, pk, guarantee_form=form)
    data = form.cleaned_data
    try:
        if data["outcome"] == "approved":
            services.application_perform(
                application=application,
                action="guarantee_approval",
                amount_won=data["guarantee_amount_won"],
                ratio_pct=data["ratio_pct"],
                fee_pct=data["fee_pct"],
                certificate_number=data["certificate_number"],
                decided_on=data["decided_on"],
                actor=request.user,
            )
            messages.success(request, "보증 승인을 기록했습니다. 은행의 대출실행을 입력하세요.")
        else:
            services.application_perform(
                application=application,
                action="guarantee_rejection",
                reason=data["reason"],
                decided_on=data["decided_on"],
                actor=request.user,
            )
            messages.success(request, "보증 거절을 기록했습니다.")
    except LoanRuleError as error:
        for message in error.messages:
            form.add_error(None, message)
        return _detail_page(request, pk, guarantee_form=form)
    return redirect(application)
