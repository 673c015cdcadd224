"""Loan applications and bank outcomes from Excel, through the loans services' rules."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guro_sme.imports.engine import run_import
from loans.models import ApplicationEvent, FundFirmLimit, Installment, LoanApplication, LoanCall, LoanFund
from loans.resources import BankOutcomeResource, LoanApplicationResource

from .conftest import number, xlsx_bytes, xlsx_rows

pytestmark = pytest.mark.django_db

CALL = "2018년 상반기 융자 공고"
HEADERS = ["사업자등록번호", "회사명", "공고명", "기금명", "신청금액", "자금용도", "용도 상세", "접수일"]


@pytest.fixture
def call_2018(db):
    limits = {"sme": 200_000_000, "venture": 200_000_000, "small_business": 50_000_000}
    district = LoanFund.objects.create(
        name="중소기업육성기금",
        kind=LoanFund.Kind.DISTRICT_FUND,
        year=2018,
        allocation_won=5_000_000_000,
        interest_rate=Decimal("1.80"),
    )
    guarantee = LoanFund.objects.create(
        name="보증특례지원",
        kind=LoanFund.Kind.GUARANTEE,
        year=2018,
        allocation_won=1_000_000_000,
        rate_min=Decimal("3.00"),
        rate_max=Decimal("5.00"),
        guarantee_contribution_won=500_000_000,
        guarantee_multiplier=10,
    )
    for firm_type, limit in limits.items():
        FundFirmLimit.objects.create(fund=district, firm_type=firm_type, limit_won=limit)
    FundFirmLimit.objects.create(fund=guarantee, firm_type="small_business", limit_won=50_000_000)
    call = LoanCall.objects.create(
        title=CALL, year=2018, opens_on=datetime.date(2018, 1, 8), closes_on=datetime.date(2018, 1, 26)
    )
    call.funds.set([district, guarantee])
    return call


@pytest.fixture
def firms(make_firm):
    old = datetime.date(2010, 1, 1)
    return [
        make_firm(business_number=number(201).replace("-", ""), name="(주)융자", founded_on=old),
        make_firm(
            business_number=number(202).replace("-", ""),
            name="골목식당",
            firm_type="small_business",
            founded_on=old,
        ),
    ]


def application_rows():
    return [
        list(HEADERS),
        [number(201), "(주)융자", CALL, "중소기업육성기금", "1억", "시설자금", "설비 구입", "2018.1.15"],
        [
            number(202),
            "골목식당",
            CALL,
            "보증특례지원",
            "5,000만원",
            "운전자금",
            "",
            datetime.datetime(2018, 1, 16),
        ],
    ]


def run(resource, rows, user, dry_run=False):
    return run_import(resource, xlsx_bytes(rows), "loans.xlsx", user=user, dry_run=dry_run)


def snapshot():
    return sorted(
        LoanApplication.objects.values_list(
            "firm__name", "fund__name", "requested_amount_won", "status", "updated_at"
        )
    )


def test_applications_are_received_through_the_submit_rules(call_2018, firms, staff_user):
    report = run(LoanApplicationResource, application_rows(), staff_user)
    assert report.ok, [str(e) for e in report.errors]
    assert report.counts == {"new": 2, "update": 0, "skip": 0}
    first = LoanApplication.objects.get(firm__name="(주)융자")
    assert (first.status, first.requested_amount_won, first.purpose) == ("received", 100_000_000, "facility")
    assert first.submitted_on == datetime.date(2018, 1, 15)
    assert first.created_by == staff_user
    assert ApplicationEvent.objects.filter(application=first, to_status="received", actor=staff_user).exists()
    assert LoanApplication.objects.get(firm__name="골목식당").requested_amount_won == 50_000_000


def test_reimporting_applications_changes_nothing(call_2018, firms, staff_user):
    run(LoanApplicationResource, application_rows(), staff_user)
    before = snapshot()
    report = run(LoanApplicationResource, application_rows(), staff_user)
    assert report.counts == {"new": 0, "update": 0, "skip": 2}
    assert snapshot() == before


@pytest.mark.parametrize(
    ("row", "column", "value", "message"),
    [
        (2, "기금명", "없는기금", "등록되지 않은 기금입니다 (2018년): '없는기금'"),
        (3, "공고명", "없는 공고", "등록되지 않은 공고입니다"),
        (2, "신청금액", "-1,000,000", "금액은 0 이상이어야 합니다"),
        (2, "신청금액", "일억", "금액을 읽을 수 없습니다"),
        (2, "신청금액", "", "필수 항목이 비어 있습니다"),
        (3, "접수일", "18/1/16", "날짜를 읽을 수 없습니다"),
        (2, "신청금액", "3억", "업체당 한도 200,000,000원"),
        (3, "접수일", "2018.2.1", "접수 기간"),
    ],
)
def test_bad_rows_are_refused_by_row_and_column_and_nothing_is_written(
    call_2018, firms, staff_user, row, column, value, message
):
    rows = application_rows()
    rows[row - 1][HEADERS.index(column)] = value
    report = run(LoanApplicationResource, rows, staff_user)
    assert not report.ok
    expected_column = "사업자등록번호" if message in ("업체당 한도 200,000,000원", "접수 기간") else column
    assert any(
        e.row == row and e.column == expected_column and message in e.message for e in report.errors
    ), [str(e) for e in report.errors]
    assert LoanApplication.objects.count() == 0


def test_a_submitted_application_cannot_be_changed_by_an_import(call_2018, firms, staff_user):
    run(LoanApplicationResource, application_rows(), staff_user)
    rows = application_rows()
    rows[1][4] = "1억 5,000만원"
    report = run(LoanApplicationResource, rows, staff_user)
    assert any("'접수' 상태인 신청은 가져오기로 고칠 수 없습니다" in e.message for e in report.errors)
    assert LoanApplication.objects.get(firm__name="(주)융자").requested_amount_won == 100_000_000


def test_exported_applications_import_back_unchanged(client, call_2018, firms, staff_user):
    run(LoanApplicationResource, application_rows(), staff_user)
    other_call = LoanCall.objects.create(
        title="2018년 하반기 융자 공고",
        year=2018,
        opens_on=datetime.date(2018, 7, 2),
        closes_on=datetime.date(2018, 7, 20),
    )
    other_call.funds.set(LoanFund.objects.all())
    LoanApplication.objects.create(
        firm=firms[0],
        call=other_call,
        fund=LoanFund.objects.get(name="중소기업육성기금"),
        requested_amount_won=1,
        purpose="operating",
        created_by=staff_user,
    )
    before = snapshot()
    client.force_login(staff_user)
    data = client.get(reverse("imports:export", args=["loan-applications"]) + f"?call={call_2018.pk}").content
    rows = xlsx_rows(data)
    assert rows[0][:5] == ["사업자등록번호", "회사명", "공고명", "기금명", "신청금액"]
    assert {row[4] for row in rows[1:]} == {100_000_000, 50_000_000}  # the list filter (?call=) applies
    report = run_import(LoanApplicationResource, data, "export.xlsx", user=staff_user, dry_run=False)
    assert report.ok, report.errors
    assert report.counts == {"new": 0, "update": 0, "skip": 2}
    assert snapshot() == before


# ---- bank outcomes ---------------------------------------------------------------------------------
OUTCOME_HEADERS = [
    "사업자등록번호",
    "공고명",
    "기금명",
    "심사결과",
    "실행금액",
    "대출금리",
    "대출실행일",
    "부결사유",
]


@pytest.fixture
def referred(call_2018, firms, staff_user):
    run(LoanApplicationResource, application_rows(), staff_user)
    LoanApplication.objects.update(status="referred", approved_amount_won=50_000_000)
    return LoanApplication.objects.all()


def outcome_rows():
    return [
        list(OUTCOME_HEADERS),
        [number(201), CALL, "중소기업육성기금", "승인", "5,000만원", "1.8", "2018.3.2", ""],
        [number(202), CALL, "보증특례지원", "부결", "", "", "", "담보 부족"],
    ]


def test_bank_outcomes_execute_or_reject_the_referred_applications(referred, staff_user):
    report = run(BankOutcomeResource, outcome_rows(), staff_user)
    assert report.ok, [str(e) for e in report.errors]
    executed = LoanApplication.objects.get(firm__name="(주)융자")
    assert (executed.status, executed.executed_amount_won, executed.bank_rate) == (
        "executed",
        50_000_000,
        Decimal("1.80"),
    )
    schedule = list(Installment.objects.filter(application=executed).order_by("number"))
    assert schedule and schedule[-1].balance_after_won == 0
    assert sum(i.principal_won for i in schedule) == 50_000_000
    rejected = LoanApplication.objects.get(firm__name="골목식당")
    assert (rejected.status, rejected.bank_rejection_reason) == ("bank_rejected", "담보 부족")
    again = run(BankOutcomeResource, outcome_rows(), staff_user)
    assert again.counts == {"new": 0, "update": 0, "skip": 2}


def test_an_outcome_above_the_approved_amount_is_refused_and_nothing_is_written(referred, staff_user):
    rows = outcome_rows()
    rows[1][4] = "6,000만원"
    report = run(BankOutcomeResource, rows, staff_user)
    assert [(e.row, e.column) for e in report.errors] == [(2, "사업자등록번호")]
    assert "선정금액 50,000,000원보다 많습니다" in report.errors[0].message
    assert set(LoanApplication.objects.values_list("status", flat=True)) == {"referred"}


def test_an_outcome_for_an_unknown_application_is_refused(referred, staff_user):
    rows = outcome_rows()
    rows[2][2] = "중소기업육성기금"
    report = run(BankOutcomeResource, rows, staff_user)
    assert any(e.row == 3 and "융자 신청이 없습니다" in e.message for e in report.errors)
    assert set(LoanApplication.objects.values_list("status", flat=True)) == {"referred"}


def test_an_approval_needs_its_amount_rate_and_date(referred, staff_user):
    rows = outcome_rows()
    rows[1][5] = ""
    report = run(BankOutcomeResource, rows, staff_user)
    assert [(e.row, e.column) for e in report.errors] == [(2, "대출금리")]


def test_the_command_needs_an_acting_staff_user_for_loans(tmp_path, call_2018, firms, staff_user, capsys):
    path = tmp_path / "loans.xlsx"
    path.write_bytes(xlsx_bytes(application_rows()))
    with pytest.raises(CommandError, match="--user"):
        call_command("import_data", "loan-applications", str(path))
    call_command("import_data", "loan-applications", str(path), "--user", staff_user.username)
    assert "신규 2건" in capsys.readouterr().out
    assert LoanApplication.objects.count() == 2


def test_exported_bank_outcomes_import_back_unchanged(client, referred, staff_user):
    run(BankOutcomeResource, outcome_rows(), staff_user)
    before = snapshot()
    installments = Installment.objects.count()
    client.force_login(staff_user)
    data = client.get(reverse("imports:export", args=["bank-outcomes"])).content
    rows = xlsx_rows(data)
    assert rows[0][4:7] == ["심사결과", "실행금액", "대출금리"]
    assert {row[4] for row in rows[1:]} == {"승인", "부결"}
    report = run_import(BankOutcomeResource, data, "export.xlsx", user=staff_user, dry_run=False)
    assert report.ok, report.errors
    assert report.counts == {"new": 0, "update": 0, "skip": 2}
    assert snapshot() == before
    assert Installment.objects.count() == installments


def test_an_exported_draft_with_empty_cells_imports_back_unchanged(client, call_2018, firms, staff_user):
    LoanApplication.objects.create(
        firm=firms[0], call=call_2018, fund=LoanFund.objects.get(name="보증특례지원"), created_by=staff_user
    )
    client.force_login(staff_user)
    data = client.get(reverse("imports:export", args=["loan-applications"])).content
    report = run_import(LoanApplicationResource, data, "export.xlsx", user=staff_user, dry_run=False)
    assert report.ok, [str(e) for e in report.errors]
    assert report.counts == {"new": 0, "update": 0, "skip": 1}
    assert LoanApplication.objects.get().status == "draft"


def _export_both_ways(resource_class):
    """The export's rows read as plain values, and through one model instance per row."""
    from guro_sme.imports.base import KoreanResource

    resource = resource_class()
    queryset = resource.get_export_queryset()
    return list(resource.export_rows(queryset)), list(KoreanResource.export_rows(resource, queryset))


def test_the_loan_exports_read_as_values_give_the_same_cells_as_the_instances(
    referred, call_2018, make_firm, staff_user
):
    run(BankOutcomeResource, outcome_rows(), staff_user)  # one executed, one rejected
    LoanApplication.objects.create(  # a draft: empty amounts, no date
        firm=make_firm(name="초안기업"),
        call=call_2018,
        fund=LoanFund.objects.get(name="중소기업육성기금"),
        created_by=staff_user,
    )
    LoanApplication.objects.filter(firm__name="(주)융자").update(bank_rate=Decimal("3.25"))
    for resource_class in (LoanApplicationResource, BankOutcomeResource):
        values, instances = _export_both_ways(resource_class)
        assert values == instances and values
        assert [[type(cell) for cell in row] for row in values] == [
            [type(cell) for cell in row] for row in instances
        ]
    assert {row[4] for row in _export_both_ways(BankOutcomeResource)[0]} == {"승인", "부결"}


@pytest.mark.parametrize("key", ["loan-applications", "bank-outcomes"])
def test_a_loan_export_costs_the_same_queries_for_more_applications(
    client, referred, call_2018, make_firm, staff_user, key
):
    client.force_login(staff_user)
    url = reverse("imports:export", args=[key])
    fund = LoanFund.objects.get(name="중소기업육성기금")

    def queries(expected_rows) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert len(xlsx_rows(response.content)) == expected_rows + 1
        return len(captured)

    few = queries(2)
    for _ in range(20):
        LoanApplication.objects.create(
            firm=make_firm(), call=call_2018, fund=fund, created_by=staff_user, status="referred"
        )
    assert queries(22) == few <= 8
