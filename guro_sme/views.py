import csv
import datetime
import io
from base64 import b32encode

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from guro_sme.korean import particle

from . import second_factor, services
from .access_log import (
    DOWNLOAD,
    LIST,
    Subject,
    access_search,
    download_reason_required,
    log_access,
    month_overview,
)
from .documents import download_response
from .errors import RuleError
from .filters import FirmFilter
from .forms import AccessLogSearchForm, FirmForm
from .middleware import SECOND_FACTOR
from .models import Firm
from .paging import paginate_table
from .roles import ANY_ROLE, READERS, Role, role_required
from .search import LIMIT as SEARCH_LIMIT
from .search import SearchError, parse_query, search_all
from .services import firm_save
from .support import actions_for_firm, attention_for_user, support_history
from .tables import FirmTable

FIRMS_PER_PAGE = 25


@role_required(*ANY_ROLE)
def home(request):
    return render(request, "guro_sme/home.html", {"attention": attention_for_user(request.user)})


@role_required(*READERS)
def firm_list(request):
    firm_filter = FirmFilter(request.GET, queryset=Firm.objects.all())
    table = FirmTable(firm_filter.qs)
    paginate_table(request, table, per_page=FIRMS_PER_PAGE)
    log_access(request, Subject.FIRM, count=table.paginator.count)
    return render(request, "guro_sme/firm_list.html", {"filter": firm_filter, "table": table})


@role_required(*READERS)
def firm_detail(request, pk):
    firm = get_object_or_404(Firm, pk=pk)
    log_access(request, Subject.FIRM, [firm])
    history = firm.history.select_related("history_user").order_by("-history_date")[:20]
    support = support_history(firm)
    return render(
        request,
        "guro_sme/firm_detail.html",
        {
            "firm": firm,
            "actions": actions_for_firm(firm, request.user),
            "history": history,
            "support": support,
            "recent_support": [r for r in support if r["record"].year > timezone.localdate().year - 5],
        },
    )


@role_required(*READERS)
def search(request):
    """The header search: firms, loan applications, KOTRA and marketing firms, participants.

    Committee members are left out (no box, a 403): they see only their meetings' agendas."""
    raw = request.GET.get("q", "")
    context = {"title": "통합 검색", "q": " ".join(raw.split())[:100]}
    try:
        query = parse_query(raw)
    except SearchError as error:
        context["error"] = error.message
        return render(request, "guro_sme/search.html", context, status=200 if not raw.strip() else 400)
    groups = search_all(query, request.user)
    for group in groups:
        if group.subject:
            # Whose data was shown: the ids, and the query with the number of hits.
            log_access(request, group.subject, group.record_ids, action=LIST, query=f"q={query.text}"[:500])
    context.update(groups=groups, query=query, limit=SEARCH_LIMIT, total=sum(len(g.hits) for g in groups))
    return render(request, "guro_sme/search.html", context)


@role_required(Role.STAFF)
def firm_lookup(request):
    """Suggestions for the firm field as staff type (JSON, at most 20): the same match as the
    header search, by 회사명, 대표자 or 사업자등록번호; the firms suggested are access-logged."""
    from django.http import JsonResponse

    from .forms import firm_label
    from .search import matching_firms

    try:
        query = parse_query(request.GET.get("q", ""))
    except SearchError as error:
        return JsonResponse({"firms": [], "message": error.message})
    firms = list(matching_firms(query)[:FIRM_SUGGESTIONS])
    log_access(request, Subject.FIRM, [firm.pk for firm in firms], action=LIST, query=f"q={query.text}"[:500])
    return JsonResponse({"firms": [{"label": firm_label(firm)} for firm in firms]})


FIRM_SUGGESTIONS = 20


@role_required(Role.STAFF)
def firm_create(request):
    form = FirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            firm = firm_save(
                firm=form.save(commit=False),
                actor=request.user,
                reason="신규 등록",
                consent=form.cleaned_data["consent"],
            )
        except RuleError as error:
            form.add_error("consent", error.message)
        else:
            messages.success(request, f"'{firm.name}'{particle(firm.name, '을')} 등록했습니다.")
            return redirect(firm)
    return render(request, "guro_sme/firm_form.html", {"form": form, "title": "기업 등록"})


@role_required(Role.STAFF)
def firm_edit(request, pk):
    firm = get_object_or_404(Firm, pk=pk)
    form = FirmForm(request.POST or None, instance=firm)
    if request.method == "POST" and form.is_valid():
        try:
            firm_save(
                firm=form.save(commit=False),
                actor=request.user,
                reason="정보 수정",
                consent=form.cleaned_data["consent"],
            )
        except RuleError as error:
            form.add_error("consent", error.message)
        else:
            messages.success(request, f"'{firm.name}'의 정보를 수정했습니다.")
            return redirect(firm)
    return render(
        request, "guro_sme/firm_form.html", {"form": form, "title": f"기업 수정: {firm.name}", "firm": firm}
    )


@role_required(*ANY_ROLE)
def otp_verify(request):
    """After the password: the 6-digit code of the user's authenticator app."""
    if request.method == "POST":
        try:
            second_factor.totp_verify(request=request, token=request.POST.get("token", ""))
        except RuleError as error:
            messages.error(request, error.message)
        else:
            return redirect(_safe_next(request))
    return render(
        request, "registration/otp_verify.html", {"title": "2단계 인증", "next": _safe_next(request)}
    )


@role_required(*ANY_ROLE)
def otp_setup(request):
    """Set up (or replace) the authenticator app: scan the QR code, confirm with its first code."""
    device = second_factor.totp_pending_device(user=request.user)
    if request.method == "POST":
        try:
            second_factor.totp_confirm(request=request, device=device, token=request.POST.get("token", ""))
        except RuleError as error:
            messages.error(request, error.message)
        else:
            request.session[SECOND_FACTOR] = "verify"
            messages.success(request, "인증 앱을 등록했습니다. 다음 로그인부터 코드를 입력합니다.")
            return redirect(_safe_next(request))
    return render(
        request,
        "registration/otp_setup.html",
        {
            "title": "2단계 인증 설정",
            "qr_svg": second_factor.totp_qr_svg(device),
            "secret": b32encode(device.bin_key).decode(),
            "next": _safe_next(request),
        },
    )


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("home")


def csrf_failure(request, reason=""):
    """A Korean page instead of Django's English one (e.g. a form left open past the session)."""
    return render(request, "403_csrf.html", status=403)


class LogoutView(auth_views.LogoutView):
    """Logging out stays a POST (Django's rule); a GET, e.g. a typed /logout/, asks to confirm."""

    http_method_names = ["get", "post", "options"]

    def get(self, request, *args, **kwargs):
        return render(request, "registration/logout_confirm.html")


# ---------------------------------------------------------------- personal-data access log (managers)

ACCESS_LOG_PER_PAGE = 50


@role_required(Role.MANAGER)
def access_log(request):
    """Search the access log by person, account and period; download the result (itself logged)."""
    form = AccessLogSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    records = access_search(
        person=data.get("person", ""),
        account=data.get("account", ""),
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
    )
    if request.GET.get("format") == "csv":
        return _access_log_csv(request, records)
    page = Paginator(records, ACCESS_LOG_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "guro_sme/access_log.html",
        {"form": form, "page": page, "subjects": Subject.LABELS, "title": "개인정보 접속기록"},
    )


@download_reason_required
def _access_log_csv(request, records):
    rows = list(records[:100_000])
    log_access(request, Subject.ACCESS_LOG, action=DOWNLOAD, count=len(rows))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "접속일시",
            "계정",
            "접속지(IP)",
            "수행업무",
            "정보주체 구분",
            "대상 기록",
            "건수",
            "화면",
            "조회 조건",
            "사유",
        ]
    )
    for r in rows:
        writer.writerow(
            [
                timezone.localtime(r.accessed_at).strftime("%Y-%m-%d %H:%M:%S"),
                r.username,
                r.ip_address or "",
                r.get_action_display(),
                Subject.LABELS.get(r.subject, r.subject),
                r.record_ids.strip(","),
                r.count,
                r.path,
                _csv_text(r.query),
                _csv_text(r.reason),
            ]
        )
    today = timezone.localdate().strftime("%Y%m%d")
    return download_response(("\ufeff" + buffer.getvalue()).encode("utf-8"), f"개인정보_접속기록_{today}.csv")


def _csv_text(value: str) -> str:
    # A spreadsheet must never read a typed reason or query as a formula.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@role_required(Role.MANAGER)
def access_log_reviews(request):
    """The monthly review: each finished month's counts and who signed it off; sign a month (POST)."""
    if request.method == "POST":
        try:
            month = datetime.date.fromisoformat(request.POST.get("month", ""))
            review = services.access_log_review_sign(
                month=month, note=request.POST.get("note", ""), actor=request.user
            )
        except ValueError:
            messages.error(request, "점검할 달을 고르세요.")
        except RuleError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{review.month:%Y년 %m월} 접속기록 점검을 확인했습니다.")
        return redirect("access_log_reviews")
    return render(
        request,
        "guro_sme/access_log_reviews.html",
        {"months": month_overview(), "title": "개인정보 접속기록 월 점검"},
    )
