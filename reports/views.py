"""Report pages and downloads (staff and managers), and the plan data edit pages (staff)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from guro_sme.documents import download_response
from guro_sme.korean import particle
from guro_sme.roles import READERS, Role, role_required

from . import exports
from . import fund_accounts as fund_accounts_module
from .charts import bar_chart
from .forms import (
    FundAccountInputForm,
    InvestmentFormSet,
    LinkFormSet,
    PlanCardForm,
    ResultFormSet,
    TargetFormSet,
)
from .models import HistoricalResult, IndicatorTarget, InvestmentAmount, PlanCard, ProgrammeLink
from .services import (
    ReportError,
    current_plan,
    dashboard_build,
    fund_account_input_save,
    parse_report_year,
    plan_card_save,
    plan_values_save,
    report_years,
    year_report_build,
)

MILLION = 1_000_000


def _unavailable(request, message: str):
    return render(request, "reports/unavailable.html", {"message": message, "title": "보고서"}, status=404)


def _dashboard_charts(dashboard) -> list:
    report = dashboard.report
    years = [f"{c.year}년" for c in dashboard.chart_years]
    charts = []
    for index, indicator in enumerate(report.indicators):
        charts.append(
            bar_chart(
                f"{indicator.name}: 목표 대비 실적",
                years,
                {
                    "목표": [c.targets[index] for c in dashboard.chart_years],
                    "실적": [c.achieved[index] for c in dashboard.chart_years],
                },
                unit=indicator.unit,
                table_head="연도",
            )
        )
    rows = [row for row in report.budget.rows if row.planned_won is not None]
    charts.append(
        bar_chart(
            f"{report.year}년 예산 대비 집행 (백만원)",
            [row.name for row in rows],
            {
                "계획": [row.planned_won // MILLION for row in rows],
                "집행": [row.spent_won // MILLION for row in rows],
            },
            unit="백만원",
            table_head="사업",
            # A loan line of 5,300 next to a 50 marketing line would flatten the small one: each
            # budget line is a panel with its own scale.
            one_panel_per_category=True,
        )
    )
    return charts


@role_required(*READERS)
def index(request):
    """Years with their downloads, and the managers' dashboard of the current year."""
    plan = current_plan()
    if plan is None:
        return render(request, "reports/index.html", {"plan": None, "title": "추진실적 보고서"})
    year = None
    if request.GET.get("year"):
        try:
            year = parse_report_year(request.GET["year"])
        except ReportError as error:
            messages.error(request, error.message)
    try:
        dashboard = dashboard_build(year=year, plan=plan)
    except ReportError as error:
        messages.error(request, error.message)
        dashboard = dashboard_build(plan=plan)
    return render(
        request,
        "reports/index.html",
        {
            "plan": plan,
            "title": "추진실적 보고서",
            "years": report_years(plan),
            "dashboard": dashboard,
            "report": dashboard.report,
            "charts": _dashboard_charts(dashboard),
            "this_year": timezone.localdate().year,
        },
    )


def _build(year_text: str):
    """(report, None) or (None, Korean message)."""
    try:
        return year_report_build(year=parse_report_year(year_text)), None
    except ReportError as error:
        return None, error.message


@role_required(*READERS)
def report_html(request, year):
    report, error = _build(year)
    if error:
        return _unavailable(request, error)
    first = min([report.plan.start_year, *(e.year for table in report.results for e in table.entries)])
    years = list(range(first, report.plan.end_year + 1))
    return render(request, "reports/report.html", {"report": report, "years": years})


def _download(report, fmt: str) -> HttpResponse:
    return download_response(exports.report_render(report, fmt), exports.filename(report, fmt))


@role_required(*READERS)
def report_pdf(request, year):
    report, error = _build(year)
    if error:
        return _unavailable(request, error)
    return _download(report, "pdf")


@role_required(*READERS)
def report_xlsx(request, year):
    report, error = _build(year)
    if error:
        return _unavailable(request, error)
    return _download(report, "xlsx")


# --- Plan data ---------------------------------------------------------------------------------


def _plan_or_message(request):
    plan = PlanCard.objects.order_by("code").first()
    if plan is None:
        return None, _unavailable(
            request, "구정 계획 자료가 없습니다. 관리 화면(/admin/)에서 계획 카드를 입력하세요."
        )
    return plan, None


@role_required(*READERS)
def plan_detail(request):
    plan, missing = _plan_or_message(request)
    if missing:
        return missing
    report = year_report_build(year=plan.start_year, plan=current_plan(), with_card_tables=False)
    links = plan.programme_links.select_related("indicator", "investment_line").order_by("pk")
    # The plan's values for the 변경 이력 box (managers; read lazily, only when shown).
    trail_sources = [
        plan,
        plan.milestones,
        IndicatorTarget.history.filter(indicator__plan_id=plan.pk),
        InvestmentAmount.history.filter(line__plan_id=plan.pk),
        HistoricalResult.history.filter(series__plan_id=plan.pk),
    ]
    return render(
        request,
        "reports/plan_detail.html",
        {
            "plan": plan,
            "report": report,
            "links": links,
            "trail_sources": trail_sources,
            "title": "구정 계획 카드",
        },
    )


@role_required(Role.STAFF)
def plan_edit(request):
    plan, missing = _plan_or_message(request)
    if missing:
        return missing
    form = PlanCardForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        plan_card_save(plan=form.save(commit=False), actor=request.user)
        messages.success(request, "계획 카드를 저장했습니다.")
        return redirect("reports:plan")
    return render(request, "reports/plan_form.html", {"form": form, "title": f"계획 카드 수정: {plan.code}"})


def _values_page(request, *, title: str, formset_class, queryset, prefix: str, help_text: str = ""):
    plan, missing = _plan_or_message(request)
    if missing:
        return missing
    formset = formset_class(request.POST or None, queryset=queryset.filter(**{prefix: plan}), prefix="rows")
    if request.method == "POST" and formset.is_valid():
        plan_values_save(plan=plan, actor=request.user, formsets=[formset])
        messages.success(request, f"{title}{particle(title, '을')} 저장했습니다.")
        return redirect("reports:plan")
    return render(
        request, "reports/plan_values.html", {"formset": formset, "title": title, "help_text": help_text}
    )


@role_required(Role.STAFF)
def plan_targets(request):
    queryset = IndicatorTarget.objects.select_related("indicator").order_by("indicator__order", "year")
    return _values_page(
        request,
        title="확인지표 연도별 목표",
        formset_class=TargetFormSet,
        queryset=queryset,
        prefix="indicator__plan",
    )


@role_required(Role.STAFF)
def plan_investment(request):
    queryset = InvestmentAmount.objects.select_related("line").order_by(
        "line__order", "year", "funding_source"
    )
    return _values_page(
        request,
        title="연도별 투자계획",
        formset_class=InvestmentFormSet,
        queryset=queryset,
        prefix="line__plan",
    )


@role_required(Role.STAFF)
def plan_results(request):
    queryset = HistoricalResult.objects.select_related("series").order_by("series__order", "year", "period")
    return _values_page(
        request, title="추진실적", formset_class=ResultFormSet, queryset=queryset, prefix="series__plan"
    )


@role_required(Role.STAFF)
def plan_links(request):
    queryset = ProgrammeLink.objects.select_related("plan").order_by("pk")
    return _values_page(
        request,
        title="사업별 확인지표·투자계획 연결",
        formset_class=LinkFormSet,
        queryset=queryset,
        prefix="plan",
        help_text=(
            "각 사업의 기록(지원 업체수, 집행액)을 어느 확인지표와 투자계획 사업에 더할지 정합니다. "
            "계획서는 중소기업 마케팅 지원사업을 SNS 마케팅 지원과 KOTRA 해외지사화 지원을 합친 것으로 봅니다 "
            "(10개사 + 10개사, 15,000천원 + 15,000천원). 투자계획 사업이 없는 사업의 집행은 '계획 외'로 따로 보이고 "
            "집행률에는 들어가지 않습니다."
        ),
    )


# --- 기금 결산 ----------------------------------------------------------------------------------


def _account_year(request, years: list[int]):
    """(year, None) from ?year= (default: the latest year with funds), or (None, Korean message)."""
    text = request.GET.get("year", "").strip()
    if not text:
        return (years[-1] if years else timezone.localdate().year), None
    try:
        year = parse_report_year(text)
    except ReportError as error:
        return None, error.message
    if years and year not in years:
        return None, f"{year}년 기금이 없습니다. {years[0]}년부터 {years[-1]}년까지 볼 수 있습니다."
    return year, None


@role_required(*READERS)
def fund_accounts(request):
    years = fund_accounts_module.fund_account_years()
    year, error = _account_year(request, years)
    if error:
        return _unavailable(request, error)
    accounts = fund_accounts_module.fund_accounts_for(year)
    columns, gender_rows = fund_accounts_module.gender_breakdown(year)
    return render(
        request,
        "reports/fund_accounts.html",
        {
            "title": f"{year}년 기금 결산",
            "year": year,
            "years": years,
            "accounts": accounts.accounts,
            "cost": accounts.cost,
            "card": {"gender_columns": columns, "gender_rows": gender_rows},
            "report": {"year": year},
        },
    )


@role_required(Role.STAFF)
def fund_account_inputs(request, fund_pk):
    """The 기금 결산 inputs of one fund and year (기초잔액, 전입금), entered by staff."""
    from loans.models import LoanFund

    from .models import FundAccountInput

    fund = get_object_or_404(LoanFund, pk=fund_pk)
    inputs = FundAccountInput.objects.filter(fund=fund).first()
    initial = (
        {
            "opening_balance_won": inputs.opening_balance_won,
            "transfers_in_won": inputs.transfers_in_won,
            "note": inputs.note,
        }
        if inputs
        else {}
    )
    form = FundAccountInputForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            fund_account_input_save(
                fund=fund,
                opening_balance_won=data["opening_balance_won"],
                transfers_in_won=data["transfers_in_won"] or 0,
                note=data["note"],
                actor=request.user,
            )
        except ReportError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"{fund.year}년 {fund.name} 결산 입력값을 저장했습니다.")
            return redirect(f"{reverse('reports:fund_accounts')}?year={fund.year}")
    return render(
        request,
        "reports/fund_account_inputs.html",
        {"form": form, "fund": fund, "inputs": inputs, "title": f"{fund.year}년 {fund.name} 결산 입력값"},
    )


@role_required(*READERS)
def fund_accounts_xlsx(request):
    years = fund_accounts_module.fund_account_years()
    year, error = _account_year(request, years)
    if error:
        return _unavailable(request, error)
    data = exports.fund_accounts_xlsx(fund_accounts_module.fund_accounts_for(year))
    return download_response(data, f"fund_accounts_{year}.xlsx")
