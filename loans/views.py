"""Loan pages. Staff write; managers read and download; committee members use /loans/meetings/."""

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Prefetch, Q, Sum
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from guro_sme.access_log import DOWNLOAD, Subject, download_reason_required, log_access
from guro_sme.confirm import confirm_page, is_confirmed
from guro_sme.dates import YearError, year_from_query
from guro_sme.documents import download_response
from guro_sme.jobs.views import file_or_job
from guro_sme.korean import particle
from guro_sme.paging import paginate_table
from guro_sme.roles import READERS, Role, role_required
from guro_sme.uploads import upload_limit, upload_refusal
from reports.fund_accounts import district_cost_by_year

from . import permissions, referral, services, workflow
from .aftercare.models import LoanPayment, ScheduleVersion
from .aftercare.selectors import repayment_panel
from .filters import ApplicationFilter
from .forms import (
    AmountForm,
    ApplicationForm,
    BankOutcomeForm,
    CallCopyForm,
    CallForm,
    DocumentForm,
    FundForm,
    GuaranteeResultForm,
    PaidForm,
    ReasonForm,
    RubricFormSet,
)
from .models import (
    ApplicationDocument,
    ApplicationEvent,
    FundFirmLimit,
    Installment,
    LoanApplication,
    LoanCall,
    LoanFund,
)
from .selectors import (
    COMMITTED_STATUSES,
    committee_decisions,
    committee_next_step,
    committee_recommends,
    fund_dashboard_rows,
    intake_guide,
)
from .services import LoanRuleError
from .tables import ApplicationTable

S = LoanApplication.Status
APPLICATIONS_PER_PAGE = 30


# ---------------------------------------------------------------- dashboard and funds


def _dashboard_year(request, years: list[int]) -> int | None:
    """The year the fund dashboard shows: ?year= when it has funds, else this year or the latest
    year before it that has funds (the latest of all when every fund is in the future)."""
    try:
        asked = year_from_query(request)
    except YearError as error:
        messages.warning(request, f"연도를 바르게 입력하세요. {error.message}")
        asked = None
    if asked is not None and asked not in years:
        messages.warning(request, f"{asked}년에는 등록된 기금이 없습니다.")
        asked = None
    if asked is not None or not years:
        return asked
    this_year = timezone.localdate().year
    return max((y for y in years if y <= this_year), default=max(years))


@role_required(*READERS)
def index(request):
    """One year's funds at a time (the page stays the same size however many years there are)."""
    years = sorted(set(LoanFund.objects.values_list("year", flat=True)), reverse=True)
    year = _dashboard_year(request, years)
    summary = None  # not "block": templates reserve that name
    if year is not None:
        rows = fund_dashboard_rows(year)
        summary = {
            "year": year,
            "rows": rows,
            "totals": {key: sum(r[key] for r in rows) for key in ("allocation", "approved", "executed")},
            # The district's own cost kept apart from the bank's money it mobilised (reports reads it too).
            "cost": district_cost_by_year([year])[0],
        }
    calls = LoanCall.objects.annotate(
        application_count=Count("applications", filter=~Q(applications__status=S.DRAFT))
    ).order_by("-year", "-opens_on")[:6]
    return render(
        request,
        "loans/index.html",
        {"summary": summary, "year": year, "years": years, "calls": calls, "title": "저리융자 기금 현황"},
    )


def _fund_form_page(request, fund, title):
    form = FundForm(request.POST or None, instance=fund)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.fund_save(fund=form.save(commit=False), limits=form.limits(), actor=request.user)
        except LoanRuleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"'{saved}'{particle(saved, '을')} 저장했습니다.")
            return redirect("loans:fund_detail", saved.pk)
    return render(request, "form_page.html", {"form": form, "title": title})


@role_required(*READERS)
def fund_detail(request, pk):
    """One fund: its terms and eligibility rules (the data intake checks against)."""
    fund = get_object_or_404(
        LoanFund.objects.select_related("partner_bank", "guarantor").prefetch_related("firm_limits"), pk=pk
    )
    return render(
        request,
        "loans/fund_detail.html",
        {"fund": fund, "firm_limits": list(fund.firm_limits.all()), "title": str(fund)},
    )


@role_required(Role.STAFF)
def fund_create(request):
    return _fund_form_page(request, LoanFund(), "기금 등록")


@role_required(Role.STAFF)
def fund_edit(request, pk):
    fund = get_object_or_404(LoanFund.objects.prefetch_related("firm_limits"), pk=pk)
    return _fund_form_page(request, fund, f"기금 수정: {fund}")


# ---------------------------------------------------------------- calls


@role_required(*READERS)
def call_list(request):
    calls = (
        LoanCall.objects.prefetch_related("funds")
        .annotate(
            application_count=Count("applications", filter=~Q(applications__status=S.DRAFT)),
            selected_count=Count(
                "applications", filter=Q(applications__status__in=referral.REFERRAL_STATUSES)
            ),
        )
        .order_by("-year", "-opens_on")
    )
    return render(request, "loans/call_list.html", {"calls": calls, "title": "융자 공고"})


CALL_APPLICATION_COLUMNS = (
    "call",  # the related manager sets each row's call from it
    "status",
    "requested_amount_won",
    "approved_amount_won",
    "has_unrepaid_loan_flag",
)


@role_required(*READERS)
def call_detail(request, pk):
    call = get_object_or_404(
        LoanCall.objects.prefetch_related("funds__partner_bank", "rubric_items", "committee_members"), pk=pk
    )
    # Every application of the call (a few hundred at scale): only the columns the page shows, the
    # firm's and fund's names as columns rather than a firm and a fund instance per row, and each
    # status's label looked up once, not rebuilt from the field's choices on every row.
    applications = list(
        call.applications.exclude(status=S.DRAFT)
        .only(*CALL_APPLICATION_COLUMNS)
        .annotate(firm_name=F("firm__name"), fund_name=F("fund__name"))
        .order_by("fund__kind", "firm__name")
    )
    status_labels = dict(S.choices)
    for application in applications:
        application.status_label = status_labels.get(application.status, application.status)
    referred = [a for a in applications if a.status in referral.REFERRAL_STATUSES]
    totals = call.applications.aggregate(
        requested=Sum("requested_amount_won", filter=~Q(status__in=(S.DRAFT, S.WITHDRAWN))),
        approved=Sum("approved_amount_won", filter=Q(status__in=COMMITTED_STATUSES)),
    )
    fund_rows = [row for row in fund_dashboard_rows(call.year) if row["fund"] in set(call.funds.all())]
    return render(
        request,
        "loans/call_detail.html",
        {
            "call": call,
            "fund_rows": fund_rows,
            "applications": applications,
            "totals": totals,
            "selected_count": sum(1 for a in applications if a.status == S.SELECTED),
            "referral_applications": referred,
            "referral_count": len(referred),
            "title": call.title,
            # The per-firm limits of the call's funds, deleted ones included, for the 변경 이력 box.
            "fund_limit_history": FundFirmLimit.history.filter(fund_id__in=[f.pk for f in call.funds.all()]),
        },
    )


def _call_form_page(request, call, title):
    form = CallForm(request.POST or None, instance=call)
    formset = RubricFormSet(request.POST or None, instance=call, prefix="rubric")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            saved = services.call_save(
                call=form.save(commit=False),
                funds=form.cleaned_data["funds"],
                committee_members=form.cleaned_data["committee_members"],
                rubric_items=formset.save(commit=False),
                removed_rubric_items=formset.deleted_objects,
                actor=request.user,
            )
        except LoanRuleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"'{saved.title}'{particle(saved.title, '을')} 저장했습니다.")
            return redirect(saved)
    return render(request, "loans/call_form.html", {"form": form, "formset": formset, "title": title})


@role_required(Role.STAFF)
def call_create(request):
    return _call_form_page(request, LoanCall(), "공고 등록")


@role_required(Role.STAFF)
def call_edit(request, pk):
    call = get_object_or_404(LoanCall, pk=pk)
    return _call_form_page(request, call, f"공고 수정: {call.title}")


@role_required(Role.STAFF)
def call_copy(request, pk):
    previous = get_object_or_404(LoanCall, pk=pk)
    form = CallCopyForm(request.POST or None, initial={"year": previous.year, "half": previous.half})
    if request.method == "POST" and form.is_valid():
        try:
            call = services.call_copy_from(previous=previous, actor=request.user, **form.cleaned_data)
        except LoanRuleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                f"'{previous.title}'의 기금·평가항목·심의위원을 이어받아 '{call.title}'{particle(call.title, '을')} 만들었습니다.",
            )
            return redirect(call)
    return render(
        request,
        "form_page.html",
        {"form": form, "title": f"이전 공고에서 새 공고 만들기: {previous.title}", "submit_label": "만들기"},
    )


@require_POST
@role_required(Role.STAFF)
def call_refer(request, pk):
    call = get_object_or_404(LoanCall, pk=pk)
    ids = _chosen_ids(request.POST)
    try:
        referred = services.call_refer_to_bank(
            call=call, actor=request.user, application_ids=ids if "choose" in request.POST else None
        )
    except LoanRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"선정 업체 {len(referred)}곳을 은행 통보 상태로 바꿨습니다.")
    return redirect(call)


def _chosen_ids(data) -> list[int]:
    """The applications staff ticked (`application` values); junk values are dropped."""
    return [int(v) for v in data.getlist("application") if v.isdigit() and len(v) < 12]


def _referred_firm_ids(call, application_ids) -> list[int]:
    chosen = LoanApplication.objects.filter(call=call, status__in=referral.REFERRAL_STATUSES)
    if application_ids:
        chosen = chosen.filter(pk__in=application_ids)
    return list(chosen.values_list("firm_id", flat=True))


@role_required(*READERS)
@download_reason_required
def referral_xlsx(request, pk):
    call = get_object_or_404(LoanCall, pk=pk)
    chosen = _chosen_ids(request.GET)
    data = referral.referral_xlsx(call, chosen)
    log_access(request, Subject.FIRM, _referred_firm_ids(call, chosen), action=DOWNLOAD)
    return download_response(data, f"loan-referral-{call.pk}.xlsx")


@role_required(*READERS)
def referral_pdf(request, pk):
    call = get_object_or_404(LoanCall, pk=pk)
    chosen = _chosen_ids(request.GET)
    firm_ids = _referred_firm_ids(call, chosen)  # one per referred application
    log_access(request, Subject.FIRM, firm_ids, action=DOWNLOAD)
    return file_or_job(
        request,
        size=len(chosen) or len(firm_ids),
        kind="referral_pdf",
        title=f"{call.title} 은행 통보 공문",
        params={"call": call.pk, "applications": chosen},
        filename=f"loan-referral-{call.pk}.pdf",
        build=lambda: referral.referral_pdf(call, chosen),
    )


# ---------------------------------------------------------------- applications


@role_required(*READERS)
def application_list(request):
    queryset = LoanApplication.objects.select_related("firm", "call", "fund")
    application_filter = ApplicationFilter(request.GET, queryset=queryset)
    table = ApplicationTable(application_filter.qs)
    paginate_table(request, table, per_page=APPLICATIONS_PER_PAGE)
    return render(
        request,
        "loans/application_list.html",
        {"filter": application_filter, "table": table, "title": "융자 신청"},
    )


def _application_form_page(request, application, title):
    form = ApplicationForm(request.POST or None, instance=application)
    if request.method == "POST" and form.is_valid():
        candidate = form.save(commit=False)
        try:
            if "submit" in request.POST:
                saved = services.application_perform(
                    application=candidate,
                    action="submit",
                    actor=request.user,
                    on_date=form.cleaned_data["received_on"],
                )
                messages.success(request, f"'{saved.firm.name}'의 신청을 접수했습니다.")
            else:
                saved = services.application_save_draft(application=candidate, actor=request.user)
                messages.success(
                    request, f"'{saved.firm.name}'의 신청을 임시저장했습니다. 접수 시 요건을 확인합니다."
                )
        except LoanRuleError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            return redirect(saved)
    guide = intake_guide(today=timezone.localdate(), call_id=application.call_id)
    return render(request, "loans/application_form.html", {"form": form, "title": title, "guide": guide})


@role_required(Role.STAFF)
def application_create(request):
    initial_firm = request.GET.get("firm")
    application = LoanApplication()
    if initial_firm and initial_firm.isdigit():
        application.firm_id = int(initial_firm)
    return _application_form_page(request, application, "융자 신청 입력")


@role_required(Role.STAFF)
def application_edit(request, pk):
    application = get_object_or_404(LoanApplication, pk=pk)
    if application.status != S.DRAFT:
        messages.error(request, "임시저장 상태의 신청만 수정할 수 있습니다.")
        return redirect(application)
    return _application_form_page(request, application, f"융자 신청 수정: {application.firm.name}")


def _detail_page(request, pk, *, bank_form=None, guarantee_form=None, status=200):
    application = get_object_or_404(
        LoanApplication.objects.select_related(
            "firm", "call", "fund", "fund__partner_bank", "fund__guarantor", "created_by"
        ).prefetch_related(
            "fund__firm_limits",
            "documents",
            Prefetch("events", queryset=application_events()),
            "installments",
            Prefetch(
                "payments",
                queryset=LoanPayment.objects.select_related("entered_by").order_by("paid_on", "pk"),
            ),
            Prefetch("schedule_versions", queryset=ScheduleVersion.objects.select_related("created_by")),
        ),
        pk=pk,
    )
    installments = list(application.installments.all())
    eligibility = None
    eligibility_on = None
    if application.status == S.DRAFT:
        # What 접수 today (the intake form's default 접수일) would refuse, every rule included.
        eligibility_on = timezone.localdate()
        eligibility = services.submission_check(application, on_date=eligibility_on)
    elif application.status in (S.RECEIVED, S.REVIEW, S.ON_AGENDA):
        eligibility = services.check_eligibility(
            application,
            on_date=application.submitted_on
            or (application.call.opens_on if application.call_id else timezone.localdate()),
        )
    subsidy = services.subsidy_cost_by_year(application, installments)
    decisions = (
        committee_decisions(application)
        if committee_recommends(application) and application.status == S.ON_AGENDA
        else []
    )
    context = {
        "application": application,
        "eligibility": eligibility,
        "eligibility_on": eligibility_on,
        "draft_actions": (
            workflow.actions_for(request.user, application, started_from=workflow.APPLICATION_FORM)
            if application.status == S.DRAFT
            else []
        ),
        "installments": installments,
        "schedule_totals": {
            "principal": sum(i.principal_won for i in installments),
            "interest": sum(i.interest_won for i in installments),
        },
        "subsidy": subsidy,
        "subsidy_total": sum(subsidy.values()),
        "actions": workflow.actions_for(request.user, application),
        "action_rows": [
            (a, action_consequence(a, application) if a.irreversible else "")
            for a in workflow.page_order(workflow.actions_for(request.user, application))
        ],
        "document_form": DocumentForm(),
        "bank_form": bank_form
        or BankOutcomeForm(
            initial={
                "executed_amount_won": application.guarantee_amount_won or application.approved_amount_won
            }
        ),
        "guarantee_form": guarantee_form
        or GuaranteeResultForm(
            initial={"guarantee_amount_won": application.approved_amount_won, "ratio_pct": 100}
        ),
        # 구 추천 by the committee: the closed meetings that decided this application, to pick from.
        "committee_decisions": decisions,
        "committee_next_step": committee_next_step(application, decisions),
        "title": f"융자 신청: {application.firm.name}",
        # An application of a call sits under its call; a guarantee intake under its fund.
        "breadcrumbs": [
            (application.call.title, application.call.get_absolute_url())
            if application.call_id
            else (application.fund.name, reverse("loans:fund_detail", args=[application.fund_id]))
        ],
        **repayment_panel(application),
    }
    return render(request, "loans/application_detail.html", context, status=status)


@role_required(*READERS)
def application_detail(request, pk):
    return _detail_page(request, pk)


def application_events():
    return ApplicationEvent.objects.select_related("actor").order_by("at", "pk")


def action_consequence(action, application) -> str:
    """What an irreversible button does, said before it runs (guro_sme/confirm.py)."""
    to_status = LoanApplication.Status(next(iter(action.to_statuses))).label
    return (
        f"{application.firm.name}의 신청({application.requested_amount_won:,}원)이 "
        f"'{to_status}'{particle(to_status, '으로')} 바뀌며 되돌릴 수 없습니다."
    )


@role_required(Role.STAFF)
def application_action(request, pk):
    """Runs one of the application page's buttons, as declared in loans/workflow.py.

    An irreversible one asks first: a GET, or a POST without confirmed=1, shows the confirm page."""
    application = get_object_or_404(LoanApplication.objects.select_related("firm", "fund"), pk=pk)
    data = request.POST if request.method == "POST" else request.GET
    action = workflow.ACTIONS.get(data.get("action", ""))
    reason_form = ReasonForm(data)
    reason = reason_form.cleaned_data["reason"] if reason_form.is_valid() else ""
    try:
        if action is None:
            raise LoanRuleError("알 수 없는 처리입니다.")
        if action.started_from != workflow.BUTTON:
            raise LoanRuleError(action.refused_elsewhere or "알 수 없는 처리입니다.")
        offered = action in workflow.actions_for(request.user, application)
        if offered and (request.method != "POST" or (action.irreversible and not is_confirmed(request))):
            return confirm_page(
                request,
                title=f"{action.label}: {application.firm.name}",
                consequence=action_consequence(action, application),
                confirm_label=action.label,
                cancel_url=application.get_absolute_url(),
                reason=("required" if action.reason_required else "optional") if action.needs_reason else "",
                style="danger" if action.irreversible else "primary",
            )
        if request.method != "POST":
            raise LoanRuleError(
                f"'{application.get_status_display()}' 상태에서는 '{action.label}' 처리를 할 수 없습니다."
            )
        if action.reason_required and not reason.strip():
            raise LoanRuleError(f"'{action.label}' 사유를 입력하세요. 사유 없이는 처리하지 않습니다.")
        amount_won = None
        if action.needs_amount:
            amount_form = AmountForm(request.POST)
            if not amount_form.is_valid():
                raise LoanRuleError(f"{action.label} 금액을 0원보다 크게 입력하세요.")
            amount_won = amount_form.cleaned_data["amount_won"]
        arguments = {}
        if action.name == "recommend" and application.fund.recommended_by == LoanFund.RecommendedBy.COMMITTEE:
            # The closed meeting whose decision the recommendation follows (the service checks it).
            arguments["meeting"] = data.get("meeting", "")[:12]
        services.application_perform(
            application=application,
            action=action.name,
            actor=request.user,
            reason=reason,
            amount_won=amount_won,
            **arguments,
        )
    except LoanRuleError as error:
        messages.error(request, error.message)
    else:
        application.refresh_from_db()
        messages.success(
            request,
            f"'{application.get_status_display()}'{particle(application.get_status_display(), '으로')} 처리했습니다.",
        )
    return redirect(application)


@require_POST
@role_required(Role.STAFF)
def application_bank_outcome(request, pk):
    application = get_object_or_404(LoanApplication, pk=pk)
    if application.status not in workflow.ACTIONS["bank_approval"].from_statuses:
        messages.error(request, services._bank_outcome_refusal(application.fund))
        return redirect(application)
    form = BankOutcomeForm(request.POST)
    if not form.is_valid():
        # Re-show the page with the bound form so staff keep what they typed.
        return _detail_page(request, pk, bank_form=form)
    data = form.cleaned_data
    try:
        if data["outcome"] == "approved":
            services.application_perform(
                application=application,
                action="bank_approval",
                amount_won=data["executed_amount_won"],
                bank_rate=data["bank_rate"],
                executed_on=data["executed_on"],
                actor=request.user,
                reason=data.get("reason") or "",
            )
            messages.success(request, "대출실행을 기록하고 상환 일정을 만들었습니다.")
        else:
            services.application_perform(
                application=application, action="bank_rejection", reason=data["reason"], actor=request.user
            )
            messages.success(request, "은행 부결을 기록했습니다.")
    except LoanRuleError as error:
        form.add_error(None, error.message)
        return _detail_page(request, pk, bank_form=form)
    return redirect(application)


@require_POST
@role_required(Role.STAFF)
def installment_paid(request, pk):
    installment = get_object_or_404(Installment.objects.select_related("application"), pk=pk)
    form = PaidForm(request.POST)
    if not form.is_valid():
        messages.error(request, "납입일을 입력하세요.")
        return redirect(installment.application)
    try:
        services.application_perform(
            application=installment.application,
            action="repayment",
            installment=installment,
            paid_on=form.cleaned_data["paid_on"],
            actor=request.user,
        )
    except LoanRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{installment.number}회차 납입을 기록했습니다.")
    return redirect(installment.application)


# ---------------------------------------------------------------- documents


@require_POST
@role_required(Role.STAFF)
@upload_limit("MAX_UPLOAD_BYTES")
def document_upload(request, pk):
    application = get_object_or_404(LoanApplication, pk=pk)
    refusal = upload_refusal(request)
    if refusal:
        # Refused while streaming in (guro_sme/uploads.py): nothing was kept.
        messages.error(request, refusal)
        return redirect(application)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(application)
    try:
        document = services.document_add(
            application=application,
            title=form.cleaned_data["title"],
            uploaded_file=form.cleaned_data["file"],
            actor=request.user,
        )
    except LoanRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"'{document.title}'{particle(document.title, '을')} 첨부했습니다.")
    return redirect(application)


@role_required(Role.STAFF, Role.MANAGER, Role.COMMITTEE)
def document_download(request, pk):
    """Streams a document after the role check: the files are never served as static media."""
    document = get_object_or_404(ApplicationDocument.objects.select_related("application"), pk=pk)
    if not permissions.can_download_document(request.user, document):
        raise PermissionDenied("권한이 없습니다.")
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404("파일을 찾을 수 없습니다.") from None
    suffix = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(
        document.content_type, "bin"
    )
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{Path(document.original_name).stem[:80] or 'document'}.{suffix}",
        content_type=document.content_type,
    )
