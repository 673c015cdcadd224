"""The admin reads the workflow's tables but never changes them, audit rows are never deletable
(superusers included), and a closed meeting is frozen."""

import datetime

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import RequestFactory
from django.urls import reverse

from loans.committee.models import CommitteeMeeting
from loans.models import Installment, LoanApplication, LoanCall, LoanFund

AUDIT_MODELS = [  # the application's timeline (ApplicationEvent) is an inline of the application
    "committee.CommitteeAction",
    "guro_sme.PersonalDataAccess",
]
WORKFLOW_MODELS = [
    "loans.LoanFund",
    "loans.LoanCall",
    "loans.LoanApplication",
    "loans.Installment",
    "loans.ApplicationDocument",
    "committee.CommitteeMeeting",
    "committee.CommitteeAction",
    "programs.ProgramRun",
    "programs.Registration",
    "programs.Certificate",
    "kotra.Participant",
    "marketing.Selection",
]


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", "root@example.com", "pw-not-used-1234")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_no_history_table_is_in_the_admin_and_revert_is_off(settings):
    historical = [m for m in admin.site._registry if m.__name__.startswith("Historical")]
    assert historical == []
    assert settings.SIMPLE_HISTORY_REVERT_DISABLED is True


@pytest.mark.parametrize("label", AUDIT_MODELS + WORKFLOW_MODELS)
def test_nobody_deletes_adds_or_changes_audit_and_workflow_rows_in_the_admin(superuser, label):
    model = apps.get_model(label)
    model_admin = admin.site._registry[model]
    request = _request(superuser)
    assert not model_admin.has_delete_permission(request)
    assert not model_admin.has_add_permission(request)
    if label != "committee.CommitteeMeeting":  # an open meeting's description: see below
        assert not model_admin.has_change_permission(request)
    for inline in model_admin.get_inline_instances(request):
        assert not inline.has_delete_permission(request) and not inline.has_change_permission(request)


@pytest.fixture
def application(db, make_firm, superuser):
    fund = LoanFund.objects.create(name="구기금", kind="district_fund", year=2018, allocation_won=10**9)
    call = LoanCall.objects.create(
        title="공고", year=2018, opens_on=datetime.date(2018, 1, 1), closes_on=datetime.date(2018, 1, 31)
    )
    return LoanApplication.objects.create(
        firm=make_firm(),
        call=call,
        fund=fund,
        requested_amount_won=100_000_000,
        approved_amount_won=100_000_000,
        status=LoanApplication.Status.EXECUTED,
        created_by=superuser,
    )


def test_a_superuser_can_neither_change_an_amount_nor_mark_an_installment_paid_nor_delete(
    admin_client, application
):
    change = reverse("admin:loans_loanapplication_change", args=[application.pk])
    assert admin_client.get(change).status_code == 200  # reading is fine
    response = admin_client.post(change, {"approved_amount_won": "1", "requested_amount_won": "1"})
    assert response.status_code == 403
    delete = reverse("admin:loans_loanapplication_delete", args=[application.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    installment = Installment.objects.create(
        application=application,
        number=1,
        due_on=datetime.date(2019, 1, 1),
        principal_won=1,
        interest_won=0,
        balance_before_won=1,
        balance_after_won=0,
    )
    response = admin_client.post(
        reverse("admin:loans_installment_change", args=[installment.pk]), {"paid_on": "2019-01-01"}
    )
    assert response.status_code == 403
    application.refresh_from_db()
    installment.refresh_from_db()
    assert (application.approved_amount_won, installment.paid_on) == (100_000_000, None)
    assert LoanApplication.objects.filter(pk=application.pk).exists()


def test_a_closed_meeting_is_frozen_and_an_open_ones_title_change_is_recorded(
    admin_client, application, superuser
):
    meeting = CommitteeMeeting.objects.create(
        call=application.call, title="제1차", held_on=datetime.date(2018, 2, 1), created_by=superuser
    )
    url = reverse("admin:committee_committeemeeting_change", args=[meeting.pk])
    data = {
        "title": "제1차 기금운용심의위원회",
        "held_on": "2018-02-01",
        "place": "소회의실",
        **{
            f"{prefix}-{key}": "0"
            for prefix in ("memberships", "budgets", "items")
            for key in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
    }
    assert admin_client.post(url, data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "제1차 기금운용심의위원회"
    assert meeting.history.latest("history_date").history_user == superuser

    meeting.status = CommitteeMeeting.Status.CLOSED
    meeting.save()
    data["title"] = "고친 제목"
    assert admin_client.post(url, data).status_code == 403
    meeting.refresh_from_db()
    assert meeting.title == "제1차 기금운용심의위원회"


def test_every_read_only_list_and_record_page_still_opens(admin_client, application):
    for label in WORKFLOW_MODELS:
        model = apps.get_model(label)
        opts = model._meta
        assert (
            admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")).status_code
            == 200
        )
    url = reverse("admin:loans_loanapplication_change", args=[application.pk])
    assert admin_client.get(url).status_code == 200
    history = reverse("admin:loans_loanapplication_history", args=[application.pk])
    assert admin_client.get(history).status_code == 200
