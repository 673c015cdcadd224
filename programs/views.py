"""Pages of 경영지원사업. Staff enter and edit; managers read and download; nobody else gets in."""

from itertools import groupby

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils import timezone

from guro_sme.access_log import DOWNLOAD, Subject, download_reason_required, log_access
from guro_sme.confirm import confirm_page, is_confirmed
from guro_sme.dates import YearError, year_from_query
from guro_sme.documents import download_response
from guro_sme.exports import XlsxBook
from guro_sme.korean import particle
from guro_sme.roles import READERS, Role, has_role, role_required

from . import selectors, services
from .forms import CertificatesIssueForm, ConsultationForm, RegistrationForm, RunForm, SessionForm
from .models import Attendance, Certificate, Consultation, ProgramKind, ProgramRun, Registration
from .services import ProgramRuleError


def _year_param(request) -> int | None:
    """?year=, or every year (None) with a warning when it isn't one."""
    try:
        return year_from_query(request)
    except YearError as error:
        messages.warning(request, f"연도를 바르게 입력하세요. {error.message} 전체 연도를 보여 드립니다.")
        return None


def _run(pk: int) -> ProgramRun:
    try:
        return selectors.run_with_counts(pk)
    except ProgramRun.DoesNotExist:
        raise Http404("사업 회차가 없습니다.") from None


@role_required(*READERS)
def index(request):
    year = _year_param(request)
    runs = selectors.runs_overview(year)
    by_year = [(y, list(items)) for y, items in groupby(runs, key=lambda r: r.year)]
    return render(
        request,
        "programs/index.html",
        {"by_year": by_year, "year": year, "years": selectors.years_with_runs(), "title": "경영지원사업"},
    )


@role_required(*READERS)
def run_detail(request, pk):
    run = _run(pk)
    registrations = selectors.run_registrations(run)
    log_access(request, Subject.PARTICIPANT, [r.person_id for r in registrations])
    return render(
        request,
        "programs/run_detail.html",
        {
            "run": run,
            "sessions": list(run.sessions.all()),
            "partners": list(run.partners.all()),
            "registrations": registrations,
            "completer_count": sum(1 for r in registrations if r.completed),
            "by_category": selectors.registration_counts_by_category(run),
            "is_fair": run.kind == ProgramKind.CONSULTATION_FAIR,
            # For the 변경 이력 box (managers): every tick and certificate of the run, lazily.
            "attendance_history": Attendance.history.filter(registration__run_id=run.pk),
            "certificate_history": Certificate.history.filter(registration__run_id=run.pk),
        },
    )


@role_required(Role.STAFF)
def run_create(request):
    form = RunForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.run_save(
                run=form.save(commit=False), partners=form.cleaned_data.get("partners"), actor=request.user
            )
        except ProgramRuleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"'{run}'{particle(run, '을')} 등록했습니다. 교육 일정을 추가하세요.")
            return redirect(run)
    return render(
        request,
        "form_page.html",
        {"form": form, "title": "사업 회차 등록", "cancel_url": resolve_url("programs:index")},
    )


@role_required(Role.STAFF)
def run_edit(request, pk):
    run = get_object_or_404(ProgramRun, pk=pk)
    form = RunForm(request.POST or None, instance=run)
    if request.method == "POST" and form.is_valid():
        try:
            services.run_save(
                run=form.save(commit=False), partners=form.cleaned_data.get("partners"), actor=request.user
            )
        except ProgramRuleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"'{run}'{particle(run, '을')} 수정했습니다.")
            return redirect(run)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": f"사업 회차 수정: {run}",
            "breadcrumbs": [(str(run), run.get_absolute_url())],
            "cancel_url": run.get_absolute_url(),
        },
    )


@role_required(Role.STAFF)
def session_add(request, pk):
    run = get_object_or_404(ProgramRun, pk=pk)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_add(run=run, actor=request.user, **form.cleaned_data)
        except ProgramRuleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "교육 일정을 추가했습니다.")
            return redirect(run)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": f"교육 일정 추가: {run}",
            "breadcrumbs": [(str(run), run.get_absolute_url())],
            "cancel_url": run.get_absolute_url(),
        },
    )


@role_required(Role.STAFF)
def registration_create(request, pk):
    run = get_object_or_404(ProgramRun, pk=pk)
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            registration = services.registration_create(
                run=run,
                name=data["name"],
                phone=data["phone"],
                birth_date=data["birth_date"],
                category=data["category"],
                firm=data["business_number"],
                actor=request.user,
                consent_at=timezone.now() if data["consent"] else None,
            )
        except ProgramRuleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"{registration.person.name}님을 등록했습니다.")
            return redirect(run)
    return render(
        request,
        "programs/registration_form.html",
        {
            "form": form,
            "run": run,
            "taken": run.registrations.count(),
            "title": f"참가 등록: {run}",
            "breadcrumbs": [(str(run), run.get_absolute_url())],
        },
    )


@role_required(Role.STAFF)
def registration_cancel(request, pk):
    registration = get_object_or_404(Registration.objects.select_related("run", "person"), pk=pk)
    if request.method != "POST":
        return redirect(registration.run)
    try:
        services.registration_cancel(registration=registration, actor=request.user)
    except ProgramRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{registration.person.name}님의 참가 등록을 취소했습니다.")
    return redirect(registration.run)


@role_required(*READERS, post_roles=(Role.STAFF,))
def attendance(request, pk):
    run = _run(pk)
    if request.method == "POST":
        try:
            present = _present_pairs(request.POST.getlist("present"))
            # The ticks the grid showed: only the cells this user changed are written.
            shown = _present_pairs(request.POST.getlist("shown")) if request.POST.get("per_cell") else None
            change = services.attendance_record(run=run, present=present, shown=shown, actor=request.user)
        except ProgramRuleError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, f"출석을 저장했습니다 (추가 {change.added}건, 취소 {change.removed}건)."
            )
            return redirect("programs:attendance", pk=run.pk)
    grid = selectors.attendance_grid(run)
    log_access(request, Subject.PARTICIPANT, [registration.person_id for registration, _ in grid.rows])
    return render(
        request,
        "programs/attendance.html",
        {
            "run": run,
            "grid": grid,
            "can_edit": has_role(request.user, Role.STAFF),
            "title": f"출석부: {run}",
            "breadcrumbs": [(str(run), run.get_absolute_url())],
        },
    )


def _present_pairs(values: list[str]) -> set[tuple[int, int]]:
    pairs = set()
    for value in values:
        registration_id, _, session_id = value.partition(":")
        if not (registration_id.isdigit() and session_id.isdigit()):
            raise ProgramRuleError("출석 자료가 올바르지 않습니다. 출석부를 다시 열어 주세요.")
        pairs.add((int(registration_id), int(session_id)))
    return pairs


@role_required(*READERS, post_roles=(Role.STAFF,))
def completers(request, pk):
    """The run's completers; staff tick those without a certificate and issue them at once."""
    run = _run(pk)
    if request.method == "POST":
        return _issue_certificates(request, run)
    rows = selectors.run_completers(run)
    log_access(request, Subject.PARTICIPANT, [r.person_id for r in rows])
    return render(
        request,
        "programs/completers.html",
        {
            "run": run,
            "completers": rows,
            "can_issue": has_role(request.user, Role.STAFF) and any(not r.certificate_number for r in rows),
            "issue_consequence": certificates_issue_consequence(),
            "title": f"수료자 명단: {run}",
            "breadcrumbs": [(str(run), run.get_absolute_url())],
        },
    )


def _issue_certificates(request, run):
    form = CertificatesIssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["registration"][0])
        return redirect("programs:completers", pk=run.pk)
    ids = form.cleaned_data["registration"]
    if not is_confirmed(request):
        return confirm_page(
            request,
            title=f"선택한 수료자 수료증 발급: {run}",
            consequence=certificates_issue_consequence(len(ids)),
            confirm_label="선택한 수료자 수료증 발급",
            cancel_url=resolve_url("programs:completers", pk=run.pk),
            style="primary",
        )
    try:
        issued = services.certificates_issue(registration_ids=ids, run=run, actor=request.user)
    except ProgramRuleError as error:
        messages.error(request, error.message)
    else:
        numbers = issued[0].number if len(issued) == 1 else f"{issued[0].number}~{issued[-1].number}"
        messages.success(request, f"수료증 {len(issued)}건을 발급했습니다 ({numbers}).")
    return redirect("programs:completers", pk=run.pk)


def certificates_issue_consequence(count: int | None = None) -> str:
    """Said before the bulk 수료증 발급; without a count, "{n}" for static/js/app.js to fill in."""
    return (
        f"선택한 {'{n}' if count is None else count}명에게 수료증을 발급하고 번호를 매깁니다. "
        "매긴 번호는 되돌릴 수 없습니다."
    )


@role_required(*READERS)
@download_reason_required
def completers_xlsx(request, pk):
    run = _run(pk)
    rows = selectors.run_completers(run)
    log_access(request, Subject.PARTICIPANT, [r.person_id for r in rows], action=DOWNLOAD)
    book = XlsxBook()
    sheet = book.sheet("수료자", widths=(6, 16, 10, 12, 16, 20, 15, 8))
    sheet.title(f"{run} 수료자 명단 ({run.completion_rule_text()})")
    sheet.header(["연번", "수료증 번호", "성명", "생년월일", "신청 구분", "소속 기업", "연락처", "출석"])
    for number, registration in enumerate(rows, start=1):
        sheet.row(
            [
                number,
                f"{registration.certificate_number} (취소됨)"
                if registration.certificate_revoked_at
                else registration.certificate_number or "",
                registration.person.name,
                registration.person.birth_date,
                registration.get_category_display(),
                registration.firm.name if registration.firm else "",
                registration.person.phone_display,
                f"{registration.attended}/{run.session_count}",
            ]
        )
    filename = f"{run.year}_{run.get_half_display()}_{run.name}_수료자.xlsx".replace(" ", "")
    return book.response(filename)


@role_required(*READERS, post_roles=(Role.STAFF,))
def certificate(request, pk):
    """GET downloads an issued certificate; POST (staff) issues it once, then downloads it."""
    registration = get_object_or_404(Registration.objects.select_related("run", "person"), pk=pk)
    if request.method == "POST":
        already = Certificate.objects.filter(registration=registration).exists()
        try:
            issued = services.certificate_issue(registration=registration, actor=request.user)
        except ProgramRuleError as error:
            messages.error(request, error.message)
            return redirect(registration.run)
        if not already:
            # Shown by the run page: static/js/app.js reloads it once the PDF is saved (without
            # JavaScript, on the next page), so staff see the number they just issued.
            messages.success(
                request,
                f"{registration.person.name}님의 수료증 {issued.number}{particle(issued.number, '을')} 발급했습니다.",
            )
    else:
        issued = Certificate.objects.filter(registration=registration).first()
        if issued is None:
            messages.error(request, f"{registration.person.name}님의 수료증은 아직 발급되지 않았습니다.")
            return redirect(registration.run)
    log_access(request, Subject.PARTICIPANT, [registration.person_id], action=DOWNLOAD)
    pdf = services.certificate_pdf(issued)
    return download_response(pdf, f"수료증_{issued.number}_{registration.person.name}.pdf")


def certificate_revoke_consequence(certificate: Certificate) -> str:
    return (
        f"수료증 {certificate.number}{particle(certificate.number, '이')} 취소되어 더는 유효하지 않습니다 "
        "(번호는 다시 쓰지 않고, 내려받으면 '취소됨'으로 표시됩니다). 되돌릴 수 없습니다."
    )


@role_required(Role.STAFF)
def certificate_revoke(request, pk):
    """수료증 취소 (irreversible, with a reason): afterwards the holder's attendance may be corrected."""
    registration = get_object_or_404(Registration.objects.select_related("run", "person"), pk=pk)
    issued = Certificate.objects.filter(registration=registration).first()
    if issued is None:
        messages.error(request, f"{registration.person.name}님의 수료증은 발급되지 않았습니다.")
        return redirect(registration.run)
    reason = (request.POST.get("reason") or "").strip()
    if not is_confirmed(request) or not reason:
        if is_confirmed(request):
            messages.error(request, "수료증 취소 사유를 입력하세요.")
        return confirm_page(
            request,
            title=f"수료증 취소: {registration.person.name} ({issued.number})",
            consequence=certificate_revoke_consequence(issued),
            confirm_label="수료증 취소",
            cancel_url=registration.run.get_absolute_url(),
            reason="required",
        )
    try:
        services.certificate_revoke(certificate=issued, actor=request.user, reason=reason)
    except ProgramRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"{registration.person.name}님의 수료증 {issued.number}{particle(issued.number, '을')} 취소했습니다. "
            "이제 출석부에서 출석을 고칠 수 있습니다.",
        )
    return redirect(registration.run)


@role_required(*READERS)
def consultations(request, pk):
    run = _run(pk)
    rows = Consultation.objects.filter(run=run).select_related("firm", "agency").order_by("-pk")
    return render(
        request,
        "programs/consultations.html",
        {
            "run": run,
            "consultations": rows,
            "summary": selectors.consultation_summary(run=run),
            "title": f"상담 기록: {run}",
            "breadcrumbs": [(str(run), run.get_absolute_url())],
        },
    )


@role_required(Role.STAFF)
def consultation_create(request, pk):
    run = get_object_or_404(ProgramRun, pk=pk)
    if run.kind != ProgramKind.CONSULTATION_FAIR:
        messages.error(request, "상담 기록은 상담회에만 남길 수 있습니다.")
        return redirect(run)
    return _consultation_form(request, run, Consultation(run=run), "상담 기록 추가")


@role_required(Role.STAFF)
def consultation_edit(request, pk):
    consultation = get_object_or_404(Consultation.objects.select_related("run", "firm"), pk=pk)
    return _consultation_form(request, consultation.run, consultation, "상담 기록 수정")


def _consultation_form(request, run, consultation, title):
    form = ConsultationForm(request.POST or None, instance=consultation, run=run)
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_save(consultation=form.save(commit=False), actor=request.user)
        except ProgramRuleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "상담 기록을 저장했습니다.")
            return redirect("programs:consultations", pk=run.pk)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": f"{title}: {run}",
            "breadcrumbs": [(str(run), run.get_absolute_url())],
            "cancel_url": run.get_absolute_url(),
        },
    )
