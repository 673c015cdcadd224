"""`python manage.py bench` (`make bench`): every page of the app, measured on the current database.

Every URL pattern is requested with its heaviest object (the meeting with the most items, the firm
with the most support, …) as the role allowed to see it — the meeting page both as staff and as a
member — over interleaved rounds, so a slow moment of the machine spreads over every page instead of
landing on one. For each page: queries, median and p95 time, response size; list pages also time the
Django admin changelist on the same rows (the baseline: ratio = page / admin). On PostgreSQL each
paged list's queries are EXPLAINed and a sequential scan on a large table is reported.

It prints a table, writes JSON (`--json`), and checks the targets of the performance issue:
HTML ≤ 100 ms median, lists ≤ 0.5 × admin, PDFs ≤ 1.5 s (the yearly report ≤ 1 s), exports of
20,000 rows ≤ 3 s. It reads only; the one thing it writes is its own superuser for the admin pages.
Run `python manage.py seed_bench --scale 1` first on an empty database.
"""

import json
import logging
import statistics
import time
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from guro_sme.roles import Role
from guro_sme.routes import walk_urls

HTML_TARGET_MS = 100
PDF_TARGET_MS = 1500
REPORT_PDF_TARGET_MS = 1000
EXPORT_TARGET_MS = 3000
ADMIN_RATIO_TARGET = 0.5
LARGE_TABLE_ROWS = 5000


def _first_pk(queryset) -> int | None:
    return queryset.values_list("pk", flat=True).first()


def heaviest_objects() -> dict[str, Callable[[], list[tuple[str, dict, str]]]]:
    """URL name → the (label, kwargs, query string) variants to measure: each at its heaviest."""
    from guro_sme.models import Firm
    from kotra.models import KotraProject
    from loans.committee.models import CommitteeMeeting
    from loans.models import LoanApplication, LoanCall
    from marketing.models import MarketingProject
    from programs.models import ProgramRun

    firm = _first_pk(Firm.objects.annotate(n=Count("loan_applications")).order_by("-n", "pk"))
    call = _first_pk(LoanCall.objects.annotate(n=Count("applications")).order_by("-n", "pk"))
    application = _first_pk(LoanApplication.objects.annotate(n=Count("installments")).order_by("-n", "-pk"))
    open_meeting = _first_pk(
        CommitteeMeeting.objects.filter(status=CommitteeMeeting.Status.OPEN)
        .annotate(n=Count("items"))
        .order_by("-n", "pk")
    )
    closed_meeting = _first_pk(
        CommitteeMeeting.objects.filter(status=CommitteeMeeting.Status.CLOSED)
        .annotate(n=Count("items"))
        .order_by("-n", "pk")
    )
    run = _first_pk(ProgramRun.objects.annotate(n=Count("registrations")).order_by("-n", "pk"))
    kotra_year = (
        KotraProject.objects.annotate(n=Count("participants"))
        .order_by("-n")
        .values_list("year", flat=True)
        .first()
    )
    marketing_year = (
        MarketingProject.objects.annotate(n=Count("selections"))
        .order_by("-n")
        .values_list("year", flat=True)
        .first()
    )
    member = get_user_model().objects.filter(username="member1").values_list("pk", flat=True).first()
    late = "?page=50"

    def one(label="", **kwargs):
        return [(label, kwargs, "")]

    return {
        "firm_list": lambda: [
            ("", {}, ""),
            ("검색", {}, "?q=벤치"),
            ("뒤쪽 쪽", {}, late),
            ("필터", {}, "?firm_type=venture&in_district=true"),
        ],
        "search": lambda: [("기업명", {}, "?q=벤치"), ("번호", {}, "?q=2208")],
        "firm_detail": lambda: one(pk=firm),
        "firm_edit": lambda: one(pk=firm),
        "loans:application_list": lambda: [
            ("", {}, ""),
            ("상태", {}, "?status=repaying"),
            ("뒤쪽 쪽", {}, late),
        ],
        "loans:application_detail": lambda: one(pk=application),
        "loans:application_edit": lambda: one(pk=application),
        "loans:application_bank_outcome": lambda: one(pk=application),
        "loans:call_detail": lambda: one(pk=call),
        "loans:call_edit": lambda: one(pk=call),
        "loans:call_copy": lambda: one(pk=call),
        "loans:referral_pdf": lambda: one(pk=call),
        "loans:referral_xlsx": lambda: one(pk=call),
        "loans:meeting_list": lambda: [("", {}, ""), ("뒤쪽 쪽", {}, "?page=3")],
        "loans:meeting_detail": lambda: [
            ("진행중", {"pk": open_meeting}, ""),
            ("종료", {"pk": closed_meeting}, ""),
        ],
        "loans:meeting_attendance": lambda: one(pk=open_meeting),
        "loans:meeting_budget": lambda: one(pk=open_meeting),
        "loans:meeting_results": lambda: one(pk=closed_meeting),
        "loans:meeting_minutes_pdf": lambda: one(pk=closed_meeting),
        "loans:meeting_packet_pdf": lambda: one(pk=open_meeting),
        "loans:meeting_member_packet_pdf": lambda: one(pk=open_meeting, member_pk=member),
        "marketing:project_detail": lambda: one(year=marketing_year),
        "marketing:project_edit": lambda: one(year=marketing_year),
        "kotra:project_detail": lambda: one(year=kotra_year),
        "kotra:project_edit": lambda: one(year=kotra_year),
        "programs:run_detail": lambda: one(pk=run),
        "programs:run_edit": lambda: one(pk=run),
        "programs:attendance": lambda: one(pk=run),
        "programs:completers": lambda: one(pk=run),
        "programs:completers_xlsx": lambda: one(pk=run),
        "programs:consultations": lambda: one(pk=run),
        "reports:year": lambda: one(year=2018),
        "reports:pdf": lambda: one(year=2018),
        "reports:xlsx": lambda: one(year=2018),
    }


# Pages that show something only to one role (a member's own packet): measured as that role.
ROLE_FOR = {"loans:meeting_packet_pdf": Role.COMMITTEE}

# List page → the admin changelist of the same rows (the baseline).
ADMIN_BASELINE = {
    "firm_list": "/admin/guro_sme/firm/",
    "loans:application_list": "/admin/loans/loanapplication/",
    "loans:meeting_list": "/admin/committee/committeemeeting/",
}


def kind_of(response) -> str:
    content_type = response.get("Content-Type", "")
    if "pdf" in content_type:
        return "pdf"
    if "spreadsheet" in content_type or "csv" in content_type:
        return "export"
    return "html"


def body_size(response) -> int:
    if getattr(response, "streaming", False):
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


class Command(BaseCommand):
    help = "모든 화면·내려받기를 현재 데이터베이스에서 측정합니다 (쿼리 수, 중앙값, p95, 크기, 관리자 화면 대비)."

    def add_arguments(self, parser):
        parser.add_argument("--rounds", type=int, default=7, help="HTML 화면 반복 횟수")
        parser.add_argument("--slow-rounds", type=int, default=3, help="PDF·엑셀 반복 횟수")
        parser.add_argument("--json", dest="json_path", default="", help="결과를 쓸 JSON 파일")
        parser.add_argument("--only", default="", help="이름에 이 글자가 들어간 화면만 (쉼표로 여러 개)")

    def handle(self, *args, rounds, slow_rounds, json_path: str, only: str, **options):
        logging.getLogger("django.request").setLevel(logging.ERROR)  # 404/405 of skipped pages: noise
        clients = self._clients()
        pages, skipped = self._pages(only)
        # The work itself is measured: a big export or merged PDF is not handed to the worker here,
        # and a personal-data download carries its reason (it is still written to the access log).
        overrides = override_settings(BACKGROUND_EXPORT_ROWS=10**9, BACKGROUND_PDF_ITEMS=10**9)
        overrides.enable()
        self.stdout.write(f"{len(pages)}개 화면을 {rounds}회(느린 것은 {slow_rounds}회) 측정합니다 …")
        measured = self._measure(pages, clients, rounds, slow_rounds)
        rows = [self._summarise(page, samples) for page, samples in measured.items()]
        self._compare_with_admin(rows, clients["admin"], rounds)
        if connection.vendor == "postgresql":
            self._explain(rows, clients)
        self._print(rows, skipped)
        if json_path:
            with open(json_path, "w", encoding="utf-8") as out:
                payload = {
                    "database": connection.vendor,
                    "measured_at": time.strftime("%Y-%m-%d %H:%M"),
                    "rows": rows,
                    "skipped": skipped,
                }
                out.write(json.dumps(payload, ensure_ascii=False, indent=1))
            self.stdout.write(f"JSON: {json_path}")

    # --- set-up ------------------------------------------------------------------------------
    def _clients(self) -> dict[str, Client]:
        User = get_user_model()
        admin, _ = User.objects.get_or_create(
            username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
        )
        users = {
            Role.STAFF: User.objects.get(username="staff"),
            Role.MANAGER: User.objects.get(username="manager"),
            Role.COMMITTEE: User.objects.get(username="member1"),
            "admin": admin,
        }
        clients = {}
        for key, user in users.items():
            client = Client(HTTP_HOST="localhost")
            client.force_login(user)
            clients[key] = client
        if not admin.groups.exists():
            admin.groups.add(Group.objects.get(name=Role.MANAGER))
        return clients

    def _pages(self, only: str):
        """Every GET page: (name, label, url, role) — and the patterns that could not be measured."""
        variants = heaviest_objects()
        pages, skipped = [], []
        for name, view, converters in walk_urls():
            if name in ("login", "logout") or (only and not any(part in name for part in only.split(","))):
                continue
            roles = getattr(view, "allowed_roles", frozenset())
            if name in ROLE_FOR:
                role = ROLE_FOR[name]
            elif Role.STAFF in roles:
                role = Role.STAFF
            elif Role.MANAGER in roles:
                role = Role.MANAGER
            else:
                role = Role.COMMITTEE
            if name.startswith("imports:") and "key" in converters:
                from guro_sme.imports.registry import IMPORT_TYPES

                for import_type in IMPORT_TYPES:
                    url = reverse(name, kwargs={"key": import_type.key}) + "?reason=성능 측정"
                    pages.append((name, import_type.key, url, role))
                continue
            if converters and name not in variants:
                skipped.append(name)
                continue
            for label, kwargs, query in variants[name]() if name in variants else [("", {}, "")]:
                if any(value is None for value in kwargs.values()):
                    skipped.append(name)
                    continue
                url = reverse(name, kwargs=kwargs) + (query or "?") + "&reason=성능 측정"
                pages.append((name, label, url, role))
                if name == "loans:meeting_detail" and label == "진행중":
                    pages.append((name, "위원", url, Role.COMMITTEE))
        return pages, skipped

    # --- measuring ---------------------------------------------------------------------------
    def _measure(self, pages, clients, rounds, slow_rounds):
        samples: dict[tuple, dict] = {}
        for page in pages:  # one warm-up request each: template and query caches, like production
            _name, _label, url, role = page
            response = clients[role].get(url)
            body_size(response)
            if response.status_code == 405:
                continue
            samples[page] = {"status": response.status_code, "kind": kind_of(response), "ms": []}
        for n in range(max(rounds, slow_rounds)):
            for page, entry in samples.items():
                if entry["kind"] != "html" and n >= slow_rounds:
                    continue
                _name, _label, url, role = page
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    response = clients[role].get(url)
                    size = body_size(response)
                    entry["ms"].append((time.perf_counter() - start) * 1000)
                entry["queries"] = len(queries)
                entry["bytes"] = size
                entry["status"] = response.status_code
            self.stdout.write(f"  {n + 1}회 완료")
        return samples

    @staticmethod
    def _summarise(page, entry) -> dict:
        name, label, url, role = page
        ms = sorted(entry["ms"])
        p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
        return {
            "name": name,
            "label": label,
            "url": url,
            "role": str(role),
            "kind": entry["kind"],
            "status": entry["status"],
            "queries": entry.get("queries"),
            "median_ms": round(statistics.median(ms), 1),
            "p95_ms": round(p95, 1),
            "kb": round(entry.get("bytes", 0) / 1024, 1),
        }

    def _compare_with_admin(self, rows, admin_client, rounds) -> None:
        for row in rows:
            admin_url = ADMIN_BASELINE.get(row["name"])
            if not admin_url or row["label"]:
                continue
            admin_client.get(admin_url)
            ms = []
            for _ in range(rounds):
                start = time.perf_counter()
                admin_client.get(admin_url)
                ms.append((time.perf_counter() - start) * 1000)
            row["admin_ms"] = round(statistics.median(ms), 1)
            row["admin_ratio"] = round(row["median_ms"] / row["admin_ms"], 2)

    def _explain(self, rows, clients) -> None:
        """Sequential scans on large tables in a list page's queries (PostgreSQL's EXPLAIN)."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT relname, reltuples FROM pg_class WHERE relkind = 'r'")
            large = {table for table, tuples in cursor.fetchall() if tuples >= LARGE_TABLE_ROWS}
        for row in rows:
            if row["kind"] != "html":
                continue
            with CaptureQueriesContext(connection) as queries:
                clients[self._role_key(row["role"])].get(row["url"])
            scans = set()
            with connection.cursor() as cursor:
                for query in queries.captured_queries:
                    sql = query["sql"]
                    if not sql.lstrip().upper().startswith("SELECT") or " LIMIT " not in sql.upper():
                        continue
                    cursor.execute("EXPLAIN " + sql)
                    for (line,) in cursor.fetchall():
                        if "Seq Scan on " in line:
                            table = line.split("Seq Scan on ")[1].split()[0]
                            if table in large:
                                scans.add(table)
            row["seq_scans"] = sorted(scans)

    @staticmethod
    def _role_key(role: str):
        for key in (Role.STAFF, Role.MANAGER, Role.COMMITTEE):
            if str(key) == role:
                return key
        return Role.STAFF

    # --- report ------------------------------------------------------------------------------
    def _print(self, rows, skipped) -> None:
        failures = []
        header = f"{'화면':<46} {'역할':<5} {'종류':<6} {'쿼리':>4} {'중앙값':>8} {'p95':>8} {'KB':>7} {'관리자 대비':>9}"
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for row in rows:
            title = f"{row['name']} {row['label']}".strip()
            ratio = f"{row['admin_ratio']:.2f}×" if "admin_ratio" in row else ""
            self.stdout.write(
                f"{title[:46]:<46} {row['role'][:5]:<5} {row['kind']:<6} {row['queries'] or 0:>4} "
                f"{row['median_ms']:>6.0f}ms {row['p95_ms']:>6.0f}ms {row['kb']:>7.0f} {ratio:>9}"
                + (f"  순차 탐색: {', '.join(row['seq_scans'])}" if row.get("seq_scans") else "")
            )
            failures += self._target_failures(row)
        if skipped:
            self.stdout.write(f"측정하지 못한 화면(무거운 대상을 모름): {', '.join(sorted(set(skipped)))}")
        if failures:
            self.stdout.write(self.style.WARNING("목표 미달:"))
            for failure in failures:
                self.stdout.write(f"  - {failure}")
        else:
            self.stdout.write(self.style.SUCCESS("모든 목표를 지켰습니다."))

    @staticmethod
    def _target_failures(row) -> list[str]:
        title = f"{row['name']} {row['label']}".strip()
        failures = []
        if row["status"] >= 500:
            failures.append(f"{title}: HTTP {row['status']}")
        if row["kind"] == "html" and row["median_ms"] > HTML_TARGET_MS:
            failures.append(f"{title}: 중앙값 {row['median_ms']:.0f} ms > {HTML_TARGET_MS} ms")
        if row["kind"] == "pdf":
            target = REPORT_PDF_TARGET_MS if row["name"] == "reports:pdf" else PDF_TARGET_MS
            if row["median_ms"] > target:
                failures.append(f"{title}: PDF {row['median_ms']:.0f} ms > {target} ms")
        if row["kind"] == "export" and row["median_ms"] > EXPORT_TARGET_MS:
            failures.append(f"{title}: 내려받기 {row['median_ms']:.0f} ms > {EXPORT_TARGET_MS} ms")
        if row.get("admin_ratio", 0) > ADMIN_RATIO_TARGET:
            failures.append(f"{title}: 관리자 화면의 {row['admin_ratio']:.2f}배 > {ADMIN_RATIO_TARGET}")
        if row.get("seq_scans"):
            failures.append(f"{title}: 큰 표 순차 탐색 {', '.join(row['seq_scans'])}")
        return failures
