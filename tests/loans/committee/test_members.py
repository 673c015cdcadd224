"""Staff keep (and managers read) the members' appointments (위촉 정보) and declared interests (이해관계 신고)
on pages, not only in the admin; every change keeps who made it, and the pages are in the access log."""

import datetime
import html

import pytest
from django.urls import reverse

from guro_sme.access_log import Subject
from guro_sme.models import PersonalDataAccess
from guro_sme.roles import Role
from loans.committee.models import InterestDeclaration, MemberProfile
from tests.imports.conftest import bad_number, number

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def member(make_user):
    return make_user(Role.COMMITTEE, username="parkm", first_name="민수", last_name="박")


PROFILE = {
    "p-kind": "expert",
    "p-affiliation": "구로구 세무사회",
    "p-committee_role": "vice_chair",
    "p-appointed_on": "2018-01-02",
    "p-term_ends_on": "2019-12-31",
    "p-address": "",
}


def test_staff_enter_a_members_appointment_and_the_history_names_them(staff_client, staff_user, member):
    url = reverse("loans:committee_member", args=[member.pk])
    staff_client.post(url, PROFILE)
    staff_client.post(url, {**PROFILE, "p-committee_role": "chair"})
    profile = MemberProfile.objects.get(user=member)
    assert (profile.kind, profile.committee_role, profile.term_ends_on) == (
        "expert",
        "chair",
        datetime.date(2019, 12, 31),
    )
    rows = [(row.committee_role, row.history_user) for row in profile.history.order_by("history_id")]
    assert rows == [("vice_chair", staff_user), ("chair", staff_user)]
    listing = text(staff_client.get(reverse("loans:committee_members")))
    assert "박민수" in listing and "구로구 세무사회" in listing and "위원장" in listing


def test_a_term_ending_before_the_appointment_is_refused_in_korean_and_nothing_is_written(
    staff_client, member
):
    response = staff_client.post(
        reverse("loans:committee_member", args=[member.pk]), {**PROFILE, "p-term_ends_on": "2017-12-31"}
    )
    assert "임기 만료일은 위촉일보다 빠를 수 없습니다." in text(response)
    assert not MemberProfile.objects.exists()


def test_staff_declare_and_withdraw_an_interest_and_both_stay_in_the_history(
    staff_client, staff_user, member
):
    url = reverse("loans:committee_member_interest", args=[member.pk])
    bad = staff_client.post(url, {"i-relation": "owner", "i-business_number": bad_number(7)})
    assert bad.status_code == 400 and "사업자등록번호" in text(bad)
    empty = staff_client.post(url, {"i-relation": "owner"})
    assert "사업자등록번호 또는 회사명을 입력하세요." in text(empty)
    assert not InterestDeclaration.objects.exists()

    staff_client.post(
        url, {"i-relation": "relative", "i-business_number": number(7), "i-firm_name": "박가네"}
    )
    declaration = InterestDeclaration.objects.get()
    assert declaration.business_number == number(7).replace("-", "")
    staff_client.post(reverse("loans:committee_member_interest_withdraw", args=[member.pk, declaration.pk]))
    assert not InterestDeclaration.objects.exists()
    rows = [
        (row.history_type, row.history_user) for row in InterestDeclaration.history.order_by("history_id")
    ]
    assert rows == [("+", staff_user), ("-", staff_user)]


def test_managers_read_the_members_pages_but_change_nothing(manager_client, member):
    page = text(manager_client.get(reverse("loans:committee_member", args=[member.pk])))
    assert "박민수" in page and "위촉 정보 저장" not in page and "신고 등록" not in page
    assert (
        manager_client.post(reverse("loans:committee_member", args=[member.pk]), PROFILE).status_code == 403
    )
    url = reverse("loans:committee_member_interest", args=[member.pk])
    assert manager_client.post(url, {"i-relation": "owner", "i-firm_name": "박가네"}).status_code == 403
    assert not MemberProfile.objects.exists() and not InterestDeclaration.objects.exists()


def test_the_members_pages_are_in_the_access_log_and_closed_to_members(client, staff_user, member):
    client.force_login(staff_user)
    client.get(reverse("loans:committee_member", args=[member.pk]))
    record = PersonalDataAccess.objects.get()
    assert (record.subject, record.ids) == (Subject.COMMITTEE_MEMBER, [member.pk])
    client.force_login(member)
    assert client.get(reverse("loans:committee_members")).status_code == 403
    assert client.post(reverse("loans:committee_member", args=[member.pk]), PROFILE).status_code == 403
    assert not MemberProfile.objects.exists()


def test_a_user_without_the_committee_role_has_no_member_page(staff_client, staff_user):
    assert staff_client.get(reverse("loans:committee_member", args=[staff_user.pk])).status_code == 404
