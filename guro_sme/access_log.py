"""The personal-data access log (개인정보 접속기록): the one helper every view and export calls.

    from guro_sme.access_log import Subject, log_access

    log_access(request, Subject.FIRM, [firm])                           # a detail page: 열람
    log_access(request, Subject.FIRM, count=page.paginator.count)        # a list/search: query + count
    log_access(request, Subject.PARTICIPANT, rows, action=DOWNLOAD)     # an export (reason from request)

and put `@download_reason_required` on a view that downloads personal data: it asks for the
reason first (a small form) and the reason is recorded with the download.

The record keeps who (account), when, from where (IP), what (action, page, query string) and
whose data (the subject kind and the ids shown, or for a list the query and the count). It is
written in its own statement, outside any transaction of the view, so a refused action still
leaves the trace of what was read.
"""

from collections.abc import Iterable
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.db.models import Q
from django.shortcuts import render

from .models import PersonalDataAccess

Action = PersonalDataAccess.Action
VIEW, LIST, DOWNLOAD = Action.VIEW, Action.LIST, Action.DOWNLOAD
REASON_MAX_LENGTH = 200
# Keep the row small: a list page records the rows it shows, an export the query and the count.
MAX_RECORD_IDS = 200


class Subject:
    """Whose data: a constant per kind of data subject (add one here when a new kind appears)."""

    FIRM = "firm"
    PARTICIPANT = "participant"
    COMMITTEE_MEMBER = "committee_member"
    ACCESS_LOG = "access_log"

    LABELS = {
        FIRM: "기업 대표자·연락처",
        PARTICIPANT: "경영지원사업 참가자",
        COMMITTEE_MEMBER: "심의위원",
        ACCESS_LOG: "개인정보 접속기록",
    }


def client_ip(request) -> str | None:
    """The caller's address; behind the district's proxy (BEHIND_PROXY=1) the first forwarded one."""
    if getattr(settings, "BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def download_reason(request) -> str:
    return (request.POST.get("reason") or request.GET.get("reason") or "").strip()[:REASON_MAX_LENGTH]


def log_access(
    request,
    subject: str,
    records: Iterable = (),
    *,
    action: str | None = None,
    count: int | None = None,
    query: str | None = None,
) -> PersonalDataAccess:
    """Write one access record and return it.

    `records` are the model instances (or ids) shown; `count` defaults to how many there are.
    `action` defaults to 열람 with records and 목록·검색 without. `query` defaults to the request's
    query string (the reason left out: it has its own column).
    """
    ids = [getattr(record, "pk", record) for record in records]
    if action is None:
        action = VIEW if ids else LIST
    if query is None:
        query = "&".join(
            f"{key}={value}" for key, values in request.GET.lists() if key != "reason" for value in values
        )
    # PostgreSQL text cannot hold NUL; a query string may (…?q=%00): the record keeps the rest.
    query = query.replace("\x00", "")
    user = request.user if request.user.is_authenticated else None
    shown = ids[:MAX_RECORD_IDS]
    return PersonalDataAccess.objects.create(
        user=user,
        username=user.get_username() if user else "",
        ip_address=client_ip(request),
        action=action,
        subject=subject,
        record_ids=f",{','.join(str(pk) for pk in shown)}," if shown else "",
        count=len(ids) if count is None else count,
        path=request.path[:300],
        query=query[:500],
        reason=download_reason(request) if action == DOWNLOAD else "",
    )


def download_reason_required(view):
    """Ask for the download's reason before a view that hands out personal data.

    Without a `reason` in the request the user gets a one-field form (GET, the query string kept);
    with it the view runs, and `log_access(..., action=DOWNLOAD)` records the reason.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "GET" and not download_reason(request):
            return reason_form(request)
        return view(request, *args, **kwargs)

    return wrapper


def reason_form(request):
    """The page asking for the reason; submitting it repeats the same download with `reason=`."""
    kept = [(key, value) for key, values in request.GET.lists() if key != "reason" for value in values]
    return render(
        request,
        "guro_sme/download_reason.html",
        {"kept": kept, "asked": "reason" in request.GET, "title": "내려받기 사유"},
    )


# ---------------------------------------------------------------- reading the log (managers)


def _person_filters(text: str) -> Q:
    """Records whose subject matches `text`: firms (name, representative, number, phone),
    participants (name, phone) and committee members (account or name). At most 50 of each."""
    from django.apps import apps
    from django.contrib.auth import get_user_model

    Firm = apps.get_model("guro_sme", "Firm")
    Person = apps.get_model("programs", "Person")
    digits = "".join(ch for ch in text if ch.isdigit())
    firm_q = Q(name__icontains=text) | Q(representative__icontains=text)
    person_q = Q(name__icontains=text)
    if len(digits) >= 4:
        firm_q |= Q(business_number__contains=digits) | Q(phone__contains=text)
        person_q |= Q(phone__contains=digits)
    user_q = Q(username__iexact=text) | Q(first_name__icontains=text) | Q(last_name__icontains=text)
    found = Q(pk__in=[])
    for subject, ids in (
        (Subject.FIRM, Firm.objects.filter(firm_q).values_list("pk", flat=True)[:50]),
        (Subject.PARTICIPANT, Person.objects.filter(person_q).values_list("pk", flat=True)[:50]),
        (Subject.COMMITTEE_MEMBER, get_user_model().objects.filter(user_q).values_list("pk", flat=True)[:50]),
    ):
        for pk in ids:
            found |= Q(subject=subject, record_ids__contains=f",{pk},")
    return found


def access_search(*, person: str = "", account: str = "", date_from=None, date_to=None):
    """The log filtered by whose data (person), which account, and a period (dates inclusive)."""
    records = PersonalDataAccess.objects.all()
    if person:
        records = records.filter(_person_filters(person))
    if account:
        records = records.filter(username__iexact=account)
    if date_from:
        records = records.filter(accessed_at__date__gte=date_from)
    if date_to:
        records = records.filter(accessed_at__date__lte=date_to)
    return records.order_by("-accessed_at", "-pk")


def month_overview(months: int = 12) -> list[dict]:
    """The last `months` months with their record and download counts and sign-off (3 queries)."""
    from django.db.models import Count
    from django.db.models.functions import TruncMonth
    from django.utils import timezone

    from .models import AccessLogReview

    today = timezone.localdate()
    first = today.replace(day=1)
    starts = []
    for _ in range(months):
        starts.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    counts = {
        row["month"].date() if hasattr(row["month"], "date") else row["month"]: row
        for row in PersonalDataAccess.objects.filter(accessed_at__date__gte=starts[-1])
        .annotate(month=TruncMonth("accessed_at"))
        .values("month")
        .annotate(total=Count("pk"), downloads=Count("pk", filter=Q(action=DOWNLOAD)))
    }
    reviews = {
        r.month: r
        for r in AccessLogReview.objects.filter(month__gte=starts[-1]).select_related("reviewed_by")
    }
    return [
        {
            "month": start,
            "total": counts.get(start, {}).get("total", 0),
            "downloads": counts.get(start, {}).get("downloads", 0),
            "review": reviews.get(start),
            "closed": start < today.replace(day=1),
        }
        for start in starts
    ]
