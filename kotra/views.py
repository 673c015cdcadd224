from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils import timezone

from guro_sme.dates import YEAR_MAX, YEAR_MIN, YearError, year_from_query
from guro_sme.documents import download_response
from guro_sme.korean import particle
from guro_sme.money import format_amount
from guro_sme.roles import READERS, Role, role_required
from reports.services import line_executions

from . import exports, selectors
from .forms import ParticipantForm, ProjectForm
from .models import KotraProject, Participant, ParticipationFee, TradeOffice
from .services import KotraRuleError, participant_delete, participant_save, project_save


def _year_from_query(request) -> int | None:
    """The ?year= of the request, the latest project's year without one; None when it is bad
    (the page then shows BAD_YEAR)."""
    try:
        year = year_from_query(request)
    except YearError:
        return None
    if year is None:
        years = selectors.project_years()
        return years[0] if years else timezone.localdate().year
    return year


BAD_YEAR = f"연도는 {YEAR_MIN}~{YEAR_MAX} 사이의 숫자로 입력하세요 (예: ?year=2017)."


@role_required(*READERS)
def index(request):
    year = _year_from_query(request)
    context = {
        "years": selectors.project_years(),
        "title": "KOTRA 해외지사화 사업 지원",
        "year_input": request.GET.get("year", year),
    }
    if year is None:
        context["year_error"] = BAD_YEAR
        return render(request, "kotra/index.html", context, status=400)
    context.update(
        year=year,
        table=selectors.support_table(year),
        plan_lines=line_executions(programme="kotra", years=[year]),
    )
    return render(request, "kotra/index.html", context)


@role_required(*READERS)
def export_xlsx(request):
    year = _year_from_query(request)
    if year is None:
        context = {
            "years": selectors.project_years(),
            "year_error": BAD_YEAR,
            "title": "KOTRA 해외지사화 사업 지원",
        }
        return render(request, "kotra/index.html", context, status=400)
    table = selectors.support_table(year)
    return download_response(exports.support_table_xlsx(table), f"kotra_{year}.xlsx")


@role_required(*READERS)
def project_detail(request, year):
    project = get_object_or_404(KotraProject.objects.select_related("organization", "updated_by"), year=year)
    return render(
        request, "kotra/project_detail.html", {"project": project, "table": selectors.support_table(year)}
    )


def _project_form_page(request, form, title, project=None):
    if request.method == "POST" and form.is_valid():
        try:
            saved = project_save(project=form.save(commit=False), actor=request.user)
        except KotraRuleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"{saved.year}년 사업을 저장했습니다.")
            return redirect(saved)
    return render(
        request,
        "form_page.html",
        {"form": form, "title": title, "cancel_url": resolve_url(project or "kotra:index")},
    )


@role_required(Role.STAFF)
def project_create(request):
    from guro_sme.models import Organization

    initial = {"organization": Organization.objects.filter(name="KOTRA").first()}
    form = ProjectForm(request.POST or None, initial=initial)
    return _project_form_page(request, form, "KOTRA 해외지사화 사업 등록")


@role_required(Role.STAFF)
def project_edit(request, year):
    project = get_object_or_404(KotraProject, year=year)
    form = ProjectForm(request.POST or None, instance=project)
    return _project_form_page(request, form, f"{year}년 사업 수정", project)


def _participant_form_page(request, *, project, form, title, participant=None):
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = participant_save(
                project=project,
                firm=participant.firm if participant else data["firm"],
                trade_office_city=data["trade_office_city"],
                trade_office_country=data["trade_office_country"],
                product=data["product"],
                fees=form.fees(),
                actor=request.user,
                participant=participant,
                other_agency_funded=data["other_agency_funded"],
                other_agency_name=data["other_agency_name"],
                note=data["note"],
            )
        except KotraRuleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"'{saved.firm.name}' 참여기업을 저장했습니다.")
            return redirect(saved)
    offices = TradeOffice.objects.all()
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": title,
            "intro": (
                f"{project} · 참가비의 {project.rate_percent}%, 세부사업별 최대 "
                f"{format_amount(project.cap_per_sub_program_won)} 지원 (지원금은 자동 계산)"
            ),
            "cancel_url": resolve_url(participant or project),
            # Suggestions for the trade office's city and country (the form's inputs name these lists).
            "datalists": {
                "kotra-office-cities": sorted({o.city for o in offices}),
                "kotra-office-countries": sorted({o.country for o in offices}),
            },
        },
    )


@role_required(Role.STAFF)
def participant_create(request, year):
    project = get_object_or_404(KotraProject, year=year)
    # From the firm page ("KOTRA 참여 등록"): ?firm=<id> chooses the firm.
    chosen = request.GET.get("firm", "")
    form = ParticipantForm(
        request.POST or None, initial={"firm": int(chosen)} if chosen.isascii() and chosen.isdigit() else None
    )
    return _participant_form_page(request, project=project, form=form, title=f"{year}년 참여기업 등록")


@role_required(Role.STAFF)
def participant_edit(request, pk):
    participant = get_object_or_404(
        Participant.objects.select_related("project", "firm", "trade_office"), pk=pk
    )
    form = ParticipantForm(request.POST or None, participant=participant)
    return _participant_form_page(
        request,
        project=participant.project,
        form=form,
        title=f"참여기업 수정: {participant.firm.name}",
        participant=participant,
    )


@role_required(*READERS)
def participant_detail(request, pk):
    participant = get_object_or_404(
        Participant.objects.select_related("project", "firm", "trade_office", "created_by", "updated_by"),
        pk=pk,
    )
    fees = list(participant.fees.all())
    fee_history = (
        ParticipationFee.history.filter(participant_id=participant.pk)
        .select_related("history_user")
        .order_by("-history_date")[:30]
    )
    return render(
        request,
        "kotra/participant_detail.html",
        {
            "participant": participant,
            "fee_history": fee_history,
            "fees": fees,
            "fee_total": sum(f.fee_won for f in fees),
            "subsidy_total": sum(f.subsidy_won for f in fees),
        },
    )


@role_required(Role.STAFF)
def participant_delete_view(request, pk):
    participant = get_object_or_404(Participant.objects.select_related("project", "firm"), pk=pk)
    if request.method == "POST":
        year, name = participant.project.year, participant.firm.name
        participant_delete(participant=participant, actor=request.user)
        messages.success(request, f"{year}년 참여기업 '{name}'{particle(name, '을')} 삭제했습니다.")
        return redirect("kotra:project_detail", year=year)
    return render(request, "kotra/participant_confirm_delete.html", {"participant": participant})
