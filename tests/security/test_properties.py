"""Property tests: whatever staff type or upload, the main forms and every import type answer a
page (never a 500), and a refused submission writes nothing.

Hypothesis posts arbitrary text and numbers (mixed with valid values, so some submissions pass)
through the test client. Each example runs in a savepoint that is rolled back, so examples don't
see each other's rows. Bounded: 25-30 examples a form or import type, no deadline.
"""

import csv
import datetime
import io
from pathlib import Path

import openpyxl
import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from guro_sme.imports import registry
from guro_sme.validators import with_check_digit
from tests.loans.conftest import guarantee_foundation, loan_call, loan_funds, partner_bank  # noqa: F401
from tests.programs.conftest import make_run  # noqa: F401

pytestmark = pytest.mark.django_db

BOUNDED = settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
IMPORTS_BOUNDED = settings(BOUNDED, max_examples=25)

# Rows these record about the request itself, not what was submitted.
NOT_WRITES = {"sessions.Session", "guro_sme.PersonalDataAccess", "axes.AccessLog", "axes.AccessAttempt"}

FIRM_NUMBER = with_check_digit("220899999")

# Any text (a Korean sentence, control characters, 10,000 characters…), any number as typed.
anything = st.one_of(
    st.text(max_size=40),
    st.text(alphabet="0123456789,.-+ 원만억₩eE", max_size=25),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.dates(min_value=datetime.date(1, 1, 1)).map(str),
    st.just("x" * 5000),
)


def field(*valid):
    """A value for a field: one of the valid ones, or anything at all."""
    return st.one_of(st.sampled_from(valid), anything) if valid else anything


def snapshot() -> dict[str, int]:
    """The row count of every table (one query: this runs twice an example)."""
    models = [
        model
        for model in apps.get_models()
        if model._meta.label not in NOT_WRITES and not model._meta.proxy and model._meta.managed
    ]
    quote = connection.ops.quote_name
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(model._meta.db_table)})" for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        row = cursor.fetchone()
    return {model._meta.label: count for model, count in zip(models, row, strict=True)}


def media_files(media_root) -> list[Path]:
    root = Path(media_root)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


class Rollback(Exception):
    pass


def in_savepoint(check):
    """Run `check()` and undo whatever it wrote: every example starts from the same rows."""
    try:
        with transaction.atomic():
            check()
            raise Rollback
    except Rollback:
        pass


def assert_answered(response, before):
    """A page, never a 500; a refusal (the form again) wrote nothing."""
    assert response.status_code in (200, 302), response.status_code
    event("accepted" if response.status_code == 302 else "refused")  # --hypothesis-show-statistics
    if response.status_code == 200:
        form = response.context["form"]
        assert form.errors, "a form page after a POST must say what was wrong"
        assert snapshot() == before


@pytest.fixture
def world(make_firm, loan_call, loan_funds, make_run, settings, tmp_path):  # noqa: F811
    from kotra.models import KotraProject
    from marketing.models import BloggerEvent, MarketingProject

    settings.MEDIA_ROOT = tmp_path / "media"
    firm = make_firm(business_number=FIRM_NUMBER, name="(주)속성", founded_on=datetime.date(2010, 1, 1))
    marketing = MarketingProject.objects.create(year=2018, budget_won=15_000_000)
    event = BloggerEvent.objects.create(
        project=marketing, held_on=datetime.date(2018, 4, 19), place="구로구청", bloggers_invited=20
    )
    return {
        "firm": firm,
        "kotra": KotraProject.objects.create(year=2018, budget_won=15_000_000),
        "marketing": marketing,
        "event": event,
        "call": loan_call,
        "funds": loan_funds,
        "run": make_run(),
    }


# ---- forms --------------------------------------------------------------------------------------
def submission(data, valid: dict[str, str], alternatives: dict[str, tuple] | None = None) -> dict:
    """The valid submission with up to three fields replaced by another valid value or anything."""
    alternatives = alternatives or {}
    values = dict(valid)
    for name in data.draw(st.sets(st.sampled_from(sorted(valid)), max_size=3), label="changed"):
        values[name] = data.draw(field(*alternatives.get(name, ())), label=name)
    return values


def post_and_check(client, url, values):
    def check():
        before = snapshot()
        assert_answered(client.post(url, values), before)

    in_savepoint(check)


@BOUNDED
@given(data=st.data())
def test_the_firm_form_never_fails_and_a_refusal_writes_nothing(staff_client, world, data):
    valid = {
        "business_number": with_check_digit("220877777"),
        "name": "(주)새기업",
        "representative": "김대표",
        "representative_gender": "female",
        "firm_type": "sme",
        "address": "서울특별시 구로구",
        "in_district": "on",
        "industry": "소프트웨어",
        "employees": "12",
        "founded_on": "2018-02-01",
        "closed_on": "",
        "phone": "02-860-0001",
        "email": "a@example.com",
    }
    alternatives = {
        "business_number": (FIRM_NUMBER, "123-45-67890"),  # taken; a wrong check digit
        "firm_type": ("small_business", "venture", "none"),
        "employees": ("0", "-1"),
        "founded_on": ("2999-01-01",),
        "closed_on": ("2017-01-01", "2019-01-01"),
    }
    post_and_check(staff_client, reverse("firm_create"), submission(data, valid, alternatives))


@BOUNDED
@given(data=st.data())
def test_the_loan_application_form_never_fails_and_a_refusal_writes_nothing(staff_client, world, data):
    funds = [str(fund.pk) for fund in world["funds"].values()]
    valid = {
        "firm": str(world["firm"].pk),
        "call": str(world["call"].pk),
        "fund": str(world["funds"]["district"].pk),
        "requested_amount_won": "100000000",
        "purpose": "operating",
        "purpose_detail": "운전자금",
        "repayment_method": "equal_principal",
        "repayment_years": "5",
        "staff_notes": "",
        "received_on": "2018-01-15",
    }
    alternatives = {
        "firm": ("999999",),
        "fund": tuple(funds),
        "requested_amount_won": ("0", "99999999999999999999"),
        "purpose": ("facility",),
        "repayment_method": ("", "equal_payment"),
        "repayment_years": ("0", "30"),
        "received_on": ("", "2099-01-01"),
    }
    values = submission(data, valid, alternatives)
    if data.draw(st.booleans(), label="submit"):
        values["submit"] = "1"
    post_and_check(staff_client, reverse("loans:application_create"), values)


@BOUNDED
@given(data=st.data())
def test_the_kotra_participant_form_never_fails_and_a_refusal_writes_nothing(staff_client, world, data):
    valid = {
        "firm": str(world["firm"].pk),
        "trade_office_city": "런던",
        "trade_office_country": "영국",
        "product": "",
        "branch_fee": "1,500,000",
        "logistics_fee": "",
        "other_agency_funded": "",
        "other_agency_name": "",
    }
    alternatives = {"firm": ("0",), "branch_fee": ("", "0"), "logistics_fee": ("500000원",)}
    url = reverse("kotra:participant_create", args=[world["kotra"].year])
    post_and_check(staff_client, url, submission(data, valid, alternatives))


@BOUNDED
@given(data=st.data())
def test_the_marketing_selection_form_never_fails_and_a_refusal_writes_nothing(staff_client, world, data):
    valid = {
        "firm": str(world["firm"].pk),
        "event": str(world["event"].pk),
        "product": "수제화",
        "cost_won": "1,500,000",
        "posts_count": "3",
        "reach": "1000",
        "link_url": "https://blog.example.com/1",
        "note": "",
    }
    alternatives = {
        "event": ("",),
        "cost_won": ("150만원", "0"),
        "link_url": ("", "javascript:alert(1)"),
    }
    url = reverse("marketing:selection_create", args=[world["marketing"].year])
    post_and_check(staff_client, url, submission(data, valid, alternatives))


@BOUNDED
@given(data=st.data())
def test_the_programme_registration_form_never_fails_and_a_refusal_writes_nothing(staff_client, world, data):
    valid = {
        "name": "홍길동",
        "phone": "010-1234-5678",
        "birth_date": "1980-01-01",
        "category": "pre_founder",
        "business_number": "",
    }
    alternatives = {
        "birth_date": ("",),
        "category": ("existing_business", "sme", ""),
        "business_number": (FIRM_NUMBER,),
    }
    url = reverse("programs:register", args=[world["run"].pk])
    post_and_check(staff_client, url, submission(data, valid, alternatives))


# ---- every import type --------------------------------------------------------------------------
def sheet_bytes(kind: str, rows: list[list[str]]) -> tuple[str, bytes]:
    if kind == "xlsx":
        workbook = openpyxl.Workbook()
        for row in rows:
            workbook.active.append([ILLEGAL_CHARACTERS_RE.sub("", cell) for cell in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return "upload.xlsx", buffer.getvalue()
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    encoding = "utf-8" if kind == "csv" else "cp949"
    return "upload.csv", text.getvalue().encode(encoding, errors="replace")


def valid_cells(world) -> dict[str, str]:
    """A plausible value for each import column name (others stay empty)."""
    firm, run = world["firm"], world["run"]
    return {
        "사업자등록번호": firm.business_number_display,
        "회사명": firm.name,
        "대표자": firm.representative,
        "기업구분": "중소기업",
        "설립일": "2010-01-01",
        "공고명": world["call"].title,
        "기금명": world["funds"]["district"].name,
        "신청금액": "100,000,000",
        "자금용도": "운전자금",
        "접수일": "2018-01-15",
        "심사결과": "승인",
        "대출실행일": "2018-03-02",
        "납입일": "2018-04-02",
        "원금": "0",
        "이자": "100,000",
        "청구기간 시작": "2018-01-01",
        "청구기간 끝": "2018-06-30",
        "청구액": "100,000",
        "연도": str(run.year),
        "무역관명": "런던",
        "지원비용": "1,500,000",
        "사업 구분": run.get_kind_display(),
        "성명": "홍길동",
        "연락처": "010-1234-5678",
        "신청 구분": "예비창업자",
        "교육일자": "2018-02-26",
        "출석": "O",
        "구분": "융자",
        "업체수": "3",
    }


@pytest.mark.parametrize("key", [item.key for item in registry.IMPORT_TYPES])
@IMPORTS_BOUNDED
@given(data=st.data())
def test_every_import_type_never_fails_and_a_refused_file_writes_nothing(staff_client, world, key, data):
    resource = registry.get_type(key).resource_class()()
    headers = [column.column_name for column in resource.get_import_fields()]
    valid = valid_cells(world)
    rows = []
    for _ in range(data.draw(st.integers(1, 3), label="rows")):
        row = [valid.get(name, "") for name in headers]
        for position in data.draw(st.sets(st.integers(0, len(headers) - 1), max_size=3), label="changed"):
            row[position] = data.draw(field(*valid.values()), label=headers[position])
        rows.append(row)
    header_row = list(headers)
    if data.draw(st.integers(0, 4), label="header") == 0:  # sometimes a header is wrong too
        header_row[data.draw(st.integers(0, len(headers) - 1))] = data.draw(anything)
    kind = data.draw(st.sampled_from(["xlsx", "csv", "cp949"]), label="format")
    filename, content = sheet_bytes(kind, [header_row, *rows])

    def check():
        before = snapshot()
        response = staff_client.post(
            reverse("imports:upload", args=[key]), {"file": SimpleUploadedFile(filename, content)}
        )
        assert response.status_code == 200
        report, token = response.context["report"], response.context["token"]
        assert report is not None
        assert snapshot() == before  # a preview never writes
        event("preview refused" if not report.ok else "preview accepted")
        if not report.ok:
            assert token is None and not media_files(world_media())
            return
        confirmed = staff_client.post(reverse("imports:confirm", args=[key]), {"token": token})
        assert confirmed.status_code in (200, 302)
        event("written" if confirmed.status_code == 302 else "refused at confirmation")
        if confirmed.status_code == 200:  # refused at the confirmation: nothing written
            assert not confirmed.context["report"].ok
            assert snapshot() == before
        assert not media_files(world_media())  # the preview file is gone either way

    in_savepoint(check)


def world_media():
    from django.conf import settings as django_settings

    return django_settings.MEDIA_ROOT
