"""이번 주 상환 예정: staff tick several installments and record them paid at once. One transaction,
all or nothing, each through the single 납입 path (its rules, payment row, history and events);
asked once first (guro_sme/confirm.py); staff only."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guro_sme.dates import add_months
from loans import services
from loans.aftercare.models import LoanPayment
from loans.models import ApplicationEvent, Installment, LoanApplication
from loans.services import LoanRuleError

S = LoanApplication.Status
URL = "/aftercare/due/"


@pytest.fixture
def due_loan(make_application, execute, loan_firm):
    """due_loan("(주)가나"): a loan whose first installment (interest only) falls due this week."""
    today = timezone.localdate()

    def make(name):
        for days in range(7):  # month ends clamp: find an execution day six months back that fits
            executed_on = add_months(today + datetime.timedelta(days=days), -6)
            if today <= add_months(executed_on, 6) <= today + datetime.timedelta(days=6):
                break
        application = make_application(
            status=S.REFERRED, approved_amount_won=100_000_000, firm=loan_firm(name=name)
        )
        return execute(application, on=executed_on)

    return make


def first(loan) -> Installment:
    return loan.installments.get(number=1)


def test_the_ticked_installments_are_paid_each_as_the_single_button_would(due_loan, staff_user):
    a, b, untouched = due_loan("(주)가나"), due_loan("(주)다라"), due_loan("(주)마바")
    today = timezone.localdate()
    paid = services.installments_mark_paid(
        installment_ids=[first(a).pk, first(b).pk], paid_on=today, actor=staff_user
    )
    assert [i.application.firm.name for i in paid] == ["(주)가나", "(주)다라"]
    payments = LoanPayment.objects.order_by("application_id")
    assert [(p.application_id, p.amount_won, p.paid_on, p.entered_by) for p in payments] == [
        (a.pk, 900_000, today, staff_user),
        (b.pk, 900_000, today, staff_user),
    ]
    for loan in (a, b):
        loan.refresh_from_db()
        assert loan.status == S.REPAYING
        assert first(loan).paid_on == today and first(loan).paid_by == staff_user
        assert first(loan).history.first().history_user == staff_user
        event = ApplicationEvent.objects.filter(application=loan).latest("pk")
        assert (event.from_status, event.to_status, event.actor) == (S.EXECUTED, S.REPAYING, staff_user)
    untouched.refresh_from_db()
    assert untouched.status == S.EXECUTED and first(untouched).paid_on is None


def test_one_refused_installment_writes_nothing_and_is_named(due_loan, staff_user):
    a, b = due_loan("(주)가나"), due_loan("(주)다라")
    today = timezone.localdate()
    services.installments_mark_paid(installment_ids=[first(b).pk], paid_on=today, actor=staff_user)
    events = ApplicationEvent.objects.count()
    with pytest.raises(LoanRuleError) as refused:
        services.installments_mark_paid(
            installment_ids=[first(a).pk, first(b).pk], paid_on=today, actor=staff_user
        )
    assert refused.value.message == (
        "(주)다라 1회차를 납입 처리할 수 없습니다: 1회차는 이미 납입 처리되었습니다. "
        "선택한 2건 모두 기록하지 않았습니다."
    )
    assert LoanPayment.objects.count() == 1  # b's earlier one only: a's was undone
    assert ApplicationEvent.objects.count() == events
    a.refresh_from_db()
    assert a.status == S.EXECUTED and first(a).paid_on is None


def test_a_date_the_single_path_refuses_is_refused_for_the_batch(due_loan, staff_user):
    a = due_loan("(주)가나")
    before = a.executed_on - datetime.timedelta(days=1)
    with pytest.raises(LoanRuleError, match=r"^\(주\)가나 1회차를 납입 처리할 수 없습니다: 납입일\("):
        services.installments_mark_paid(installment_ids=[first(a).pk], paid_on=before, actor=staff_user)
    assert not LoanPayment.objects.exists()


def test_earlier_installments_of_one_loan_are_paid_first(loan, staff_user):
    rows = list(loan.installments.order_by("number")[:2])
    services.installments_mark_paid(
        installment_ids=[rows[1].pk, rows[0].pk], paid_on=rows[1].due_on, actor=staff_user
    )
    assert list(LoanPayment.objects.order_by("pk").values_list("amount_won", flat=True)) == [900_000, 900_000]
    assert [i.paid_on for i in loan.installments.order_by("number")[:3]] == [rows[1].due_on] * 2 + [None]


def test_an_empty_choice_or_an_unknown_id_writes_nothing(due_loan, staff_user):
    a = due_loan("(주)가나")
    today = timezone.localdate()
    with pytest.raises(LoanRuleError, match="한 건 이상 선택하세요"):
        services.installments_mark_paid(installment_ids=[], paid_on=today, actor=staff_user)
    with pytest.raises(LoanRuleError, match="목록에 없는 회차가 있습니다"):
        services.installments_mark_paid(
            installment_ids=[first(a).pk, 987654], paid_on=today, actor=staff_user
        )
    with pytest.raises(LoanRuleError, match="납입일을 입력하세요"):
        services.installments_mark_paid(installment_ids=[first(a).pk], paid_on=None, actor=staff_user)
    assert not LoanPayment.objects.exists()


@pytest.mark.parametrize("role", ["manager_user", "committee_user", "norole_user"])
def test_only_staff_may_mark_installments_paid(due_loan, request, role):
    a = due_loan("(주)가나")
    with pytest.raises(LoanRuleError, match="권한이 없습니다"):
        services.installments_mark_paid(
            installment_ids=[first(a).pk], paid_on=timezone.localdate(), actor=request.getfixturevalue(role)
        )
    assert not LoanPayment.objects.exists()


# ---------------------------------------------------------------- the page


def test_staff_see_a_checkbox_per_row_and_managers_see_the_list_without(
    due_loan, client, staff_user, manager_user
):
    a = due_loan("(주)가나")
    client.force_login(staff_user)
    page = client.get(URL).content.decode()
    assert f'name="installment" value="{first(a).pk}" aria-label="(주)가나 1회차 선택"' in page
    assert "선택한 회차 납입 처리" in page and 'data-confirm="선택한 {n}건의 납입을 기록합니다' in page
    assert f'value="{timezone.localdate().isoformat()}"' in page  # 납입일: today
    client.force_login(manager_user)
    page = client.get(URL).content.decode()
    assert "(주)가나" in page and 'name="installment"' not in page and "선택한 회차 납입 처리" not in page


@pytest.mark.parametrize("role", ["manager_client", "committee_client", "norole_client"])
def test_other_roles_are_refused_the_post(due_loan, request, role):
    a = due_loan("(주)가나")
    response = request.getfixturevalue(role).post(
        URL, {"installment": [first(a).pk], "paid_on": timezone.localdate().isoformat(), "confirmed": "1"}
    )
    assert response.status_code == 403
    assert not LoanPayment.objects.exists()


def test_the_batch_is_asked_once_then_recorded_with_the_count(due_loan, staff_client):
    a, b = due_loan("(주)가나"), due_loan("(주)다라")
    today = timezone.localdate()
    fields = {"installment": [first(a).pk, first(b).pk], "paid_on": today.isoformat()}
    asked = staff_client.post(URL, fields).content.decode()
    assert f"선택한 2건의 납입을 기록합니다 (납입일 {today:%Y.%m.%d})." in asked
    # The page posts back every ticked installment, not only the last.
    assert asked.count('name="installment"') == 2 and 'name="confirmed" value="1"' in asked
    assert not LoanPayment.objects.exists()

    done = staff_client.post(URL, {**fields, "confirmed": "1"}, follow=True).content.decode()
    assert f"2건의 납입을 기록했습니다 (납입일 {today:%Y.%m.%d})." in done
    assert LoanPayment.objects.count() == 2
    assert "이번 주에 납입일이 오는 회차가 없습니다." in done


def test_a_refusal_is_shown_and_nothing_is_written(due_loan, staff_client, staff_user):
    a, b = due_loan("(주)가나"), due_loan("(주)다라")
    today = timezone.localdate()
    services.installments_mark_paid(installment_ids=[first(a).pk], paid_on=today, actor=staff_user)
    fields = {"installment": [first(a).pk, first(b).pk], "paid_on": today.isoformat(), "confirmed": "1"}
    page = staff_client.post(URL, fields, follow=True).content.decode()
    assert "(주)가나 1회차를 납입 처리할 수 없습니다" in page
    assert LoanPayment.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "납입 처리할 회차를 한 건 이상 선택하세요."),
        ({"installment": ["abc"]}, "선택한 항목을 알아볼 수 없습니다."),
        ({"installment": ["-1"]}, "선택한 항목을 알아볼 수 없습니다."),
        ({"installment": ["9" * 30]}, "선택한 항목을 알아볼 수 없습니다."),
        ({"installment": ["987654"], "confirmed": "1"}, "목록에 없는 회차가 있습니다."),
        ({"installment": ["987654"], "paid_on": "어제"}, "납입일을 입력하세요."),
    ],
)
def test_junk_is_refused_in_korean_and_writes_nothing(due_loan, staff_client, fields, message):
    due_loan("(주)가나")
    data = {"paid_on": timezone.localdate().isoformat(), **fields}
    response = staff_client.post(URL, data, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not LoanPayment.objects.exists()


def test_the_due_list_runs_as_many_queries_for_four_loans_as_for_one(due_loan, staff_client):
    due_loan("(주)하나")
    with CaptureQueriesContext(connection) as one:
        assert staff_client.get(URL).status_code == 200
    for name in ("(주)둘", "(주)셋", "(주)넷"):
        due_loan(name)
    with CaptureQueriesContext(connection) as four:
        response = staff_client.get(URL)
    assert response.content.decode().count('name="installment"') == 4
    assert len(four) == len(one), [q["sql"][:120] for q in four.captured_queries]
