"""Managers search the access log by person, account and period, download it (logged), sign months off."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guro_sme.access_log import Subject
from guro_sme.models import AccessLogReview, PersonalDataAccess

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail(make_firm, make_user):
    kim = make_firm(name="(주)김가네", representative="김대표", phone="02-860-1111")
    lee = make_firm(name="이상회", representative="이대표")
    staff, park = Client(), Client()
    staff.force_login(make_user("담당자", username="staff"))
    park.force_login(make_user("담당자", username="park"))
    staff.get(reverse("firm_detail", args=[kim.pk]))
    staff.get(reverse("firm_detail", args=[lee.pk]))
    park.get(reverse("firm_detail", args=[lee.pk]))
    PersonalDataAccess.objects.create(
        username="staff", action="view", subject=Subject.FIRM, record_ids=f",{kim.pk},", count=1, path="/x/"
    )
    return kim, lee


def rows(response) -> list:
    return list(response.context["page"].object_list)


def test_search_by_person_account_and_period(manager_client, trail):
    kim, _ = trail
    url = reverse("access_log")
    assert len(rows(manager_client.get(url))) == 4
    by_person = rows(manager_client.get(url, {"person": "김대표"}))
    assert {r.path for r in by_person} == {f"/firms/{kim.pk}/", "/x/"}
    assert {r.username for r in rows(manager_client.get(url, {"person": "이상회"}))} == {"staff", "park"}
    assert {r.username for r in rows(manager_client.get(url, {"account": "park"}))} == {"park"}
    today = timezone.localdate()
    assert len(rows(manager_client.get(url, {"date_from": today, "date_to": today}))) == 4
    yesterday = today - datetime.timedelta(days=1)
    assert rows(manager_client.get(url, {"date_to": yesterday})) == []
    body = manager_client.get(url, {"date_from": today, "date_to": yesterday}).content.decode()
    assert "기간 시작이 끝보다 늦습니다" in body


def test_the_download_asks_a_reason_and_is_itself_logged(manager_client, manager_user, trail):
    url = reverse("access_log") + "?account=park&format=csv"
    assert "내려받기 사유" in manager_client.get(url).content.decode()
    before = PersonalDataAccess.objects.count()
    response = manager_client.get(url + "&reason=월 점검")
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("접속일시,계정,접속지(IP)")
    assert len(text.splitlines()) == 2 and ",park," in text
    logged = PersonalDataAccess.objects.order_by("-pk").first()
    assert PersonalDataAccess.objects.count() == before + 1
    assert (logged.subject, logged.action, logged.username, logged.reason, logged.count) == (
        Subject.ACCESS_LOG,
        "download",
        "manager",
        "월 점검",
        1,
    )


def test_only_managers_read_the_log(staff_client, committee_client):
    for client in (staff_client, committee_client):
        assert client.get(reverse("access_log")).status_code == 403
        assert client.get(reverse("access_log_reviews")).status_code == 403
        assert client.post(reverse("access_log_reviews"), {"month": "2026-01-01"}).status_code == 403
    assert not AccessLogReview.objects.exists()


def test_a_manager_signs_off_a_finished_month_once(manager_client, manager_user, trail):
    this_month = timezone.localdate().replace(day=1)
    last_month = (this_month - datetime.timedelta(days=1)).replace(day=1)
    page = manager_client.get(reverse("access_log_reviews")).content.decode()
    assert "진행 중인 달" in page and "점검 확인" in page
    response = manager_client.post(
        reverse("access_log_reviews"), {"month": this_month.isoformat()}, follow=True
    )
    assert "끝난 달만 점검 확인할 수 있습니다" in response.content.decode()
    assert not AccessLogReview.objects.exists()
    manager_client.post(reverse("access_log_reviews"), {"month": last_month.isoformat(), "note": "이상 없음"})
    review = AccessLogReview.objects.get()
    assert (review.month, review.reviewed_by, review.note, review.record_count) == (
        last_month,
        manager_user,
        "이상 없음",
        0,
    )
    response = manager_client.post(
        reverse("access_log_reviews"), {"month": last_month.isoformat()}, follow=True
    )
    assert "이미 점검 확인되었습니다" in response.content.decode()
    assert AccessLogReview.objects.count() == 1
    response = manager_client.post(reverse("access_log_reviews"), {"month": "junk"}, follow=True)
    assert "점검할 달을 고르세요" in response.content.decode()


def test_the_log_page_costs_the_same_queries_for_few_or_many_records(
    manager_client, trail, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        manager_client.get(reverse("access_log"))
    PersonalDataAccess.objects.bulk_create(
        PersonalDataAccess(username=f"u{n}", action="view", subject=Subject.FIRM, path="/y/")
        for n in range(60)
    )
    with django_assert_max_num_queries(6):
        response = manager_client.get(reverse("access_log"))
    assert len(rows(response)) == 50
