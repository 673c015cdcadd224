from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render, resolve_url

from guro_sme.korean import particle
from guro_sme.roles import READERS, Role, role_required
from reports.services import line_executions

from . import selectors
from .forms import EventForm, ProjectForm, SelectionForm
from .models import BloggerEvent, MarketingProject, Selection
from .services import (
    MarketingRuleError,
    event_save,
    project_save,
    selection_delete,
    selection_notices,
    selection_save,
)


@role_required(*READERS)
def index(request):
    projects = list(selectors.projects_with_figures())
    for project in projects:
        project.remaining_won = project.budget_won - project.spent_won
    totals = {
        "budget_won": sum(p.budget_won for p in projects),
        "spent_won": sum(p.spent_won for p in projects),
        "firm_count": sum(p.firm_count for p in projects),
    }
    plan_lines = line_executions(programme="marketing", years=[p.year for p in projects])
    return render(
        request,
        "marketing/index.html",
        {
            "projects": projects,
            "totals": totals,
            "plan_lines": plan_lines,
            "title": "소셜네트워크 활용 마케팅 지원",
        },
    )


@role_required(*READERS)
def project_detail(request, year):
    project = get_object_or_404(selectors.projects_with_figures().select_related("updated_by"), year=year)
    events = list(project.events.all())
    selections = list(project.selections.select_related("firm", "event").order_by("pk"))
    return render(
        request,
        "marketing/project_detail.html",
        {
            "project": project,
            "events": events,
            "selections": selections,
            "remaining_won": project.budget_won - project.spent_won,
        },
    )


def _project_form_page(request, form, title, project=None):
    if request.method == "POST" and form.is_valid():
        try:
            saved = project_save(project=form.save(commit=False), actor=request.user)
        except MarketingRuleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"{saved.year}년 사업을 저장했습니다.")
            return redirect(saved)
    return render(
        request,
        "form_page.html",
        {"form": form, "title": title, "cancel_url": resolve_url(project or "marketing:index")},
    )


@role_required(Role.STAFF)
def project_create(request):
    form = ProjectForm(request.POST or None)
    return _project_form_page(request, form, "마케팅 지원사업 등록")


@role_required(Role.STAFF)
def project_edit(request, year):
    project = get_object_or_404(MarketingProject, year=year)
    form = ProjectForm(request.POST or None, instance=project)
    return _project_form_page(request, form, f"{year}년 사업 수정", project)


def _event_form_page(request, form, title, project):
    if request.method == "POST" and form.is_valid():
        event = form.save(commit=False)
        event.project = project
        event_save(event=event)
        messages.success(request, f"'{event.title}' ({event.held_on:%Y.%m.%d}) 행사를 저장했습니다.")
        return redirect(project)
    return render(
        request,
        "form_page.html",
        {"form": form, "title": title, "cancel_url": resolve_url(project or "marketing:index")},
    )


@role_required(Role.STAFF)
def event_create(request, year):
    project = get_object_or_404(MarketingProject, year=year)
    form = EventForm(request.POST or None)
    return _event_form_page(request, form, f"{year}년 품평회 등록", project)


@role_required(Role.STAFF)
def event_edit(request, pk):
    event = get_object_or_404(BloggerEvent.objects.select_related("project"), pk=pk)
    form = EventForm(request.POST or None, instance=event)
    return _event_form_page(request, form, f"품평회 수정: {event}", event.project)


def _selection_form_page(request, form, title, project, selection=None):
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        firm = selection.firm if selection else data["firm"]
        try:
            saved = selection_save(
                project=project,
                firm=firm,
                cost_won=data["cost_won"],
                actor=request.user,
                selection=selection,
                event=data["event"],
                product=data["product"],
                posts_count=data["posts_count"],
                reach=data["reach"],
                link_url=data["link_url"],
                note=data["note"],
            )
        except MarketingRuleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"'{saved.firm.name}' 선정 내용을 저장했습니다.")
            for notice in selection_notices(saved.firm):
                messages.warning(request, notice)
            return redirect(saved)
    return render(
        request,
        "form_page.html",
        {"form": form, "title": title, "cancel_url": resolve_url(project or "marketing:index")},
    )


@role_required(Role.STAFF)
def selection_create(request, year):
    project = get_object_or_404(MarketingProject, year=year)
    # From the firm page ("마케팅 지원 등록"): ?firm=<id> chooses the firm.
    chosen = request.GET.get("firm", "")
    initial = {"firm": int(chosen)} if chosen.isascii() and chosen.isdigit() else None
    form = SelectionForm(request.POST or None, project=project, initial=initial)
    return _selection_form_page(request, form, f"{year}년 선정기업 등록", project)


@role_required(Role.STAFF)
def selection_edit(request, pk):
    selection = get_object_or_404(Selection.objects.select_related("project", "firm"), pk=pk)
    form = SelectionForm(request.POST or None, instance=selection, project=selection.project)
    return _selection_form_page(
        request, form, f"선정기업 수정: {selection.firm.name}", selection.project, selection
    )


@role_required(Role.STAFF)
def selection_delete_view(request, pk):
    selection = get_object_or_404(Selection.objects.select_related("project", "firm"), pk=pk)
    if request.method == "POST":
        project, name = selection.project, selection.firm.name
        selection_delete(selection=selection, actor=request.user)
        messages.success(request, f"{project.year}년 선정기업 '{name}'{particle(name, '을')} 삭제했습니다.")
        return redirect(project)
    return render(request, "marketing/selection_confirm_delete.html", {"selection": selection})
