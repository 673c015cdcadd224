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
from functools import wraps

from django.conf import settings
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
