"""Names are written family name first, without a space (정효진), on every page that shows one:
the header, the home greeting, the application timeline, the meeting's members, the minutes PDF,
the history trail and the admin's account list. Django's get_full_name() ("효진 정") is never shown."""

import subprocess

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from guro_sme.korean import korean_name
from guro_sme.models import DistrictProfile
from guro_sme.roles import Role


def _pdf_text(tmp_path, content: bytes) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_korean_name_is_family_name_first_without_a_space(make_user):
    assert korean_name(make_user(first_name="효진", last_name="정")) == "정효진"
    assert korean_name(make_user(username="nobody")) == "nobody"
    assert korean_name(None) == "-"


@pytest.fixture
def jung(make_user):
    """정효진: staff and manager (sees the history trail), and a superuser for the admin."""
    user = make_user(
        Role.STAFF, username="jung", first_name="효진", last_name="정", is_staff=True, is_superuser=True
    )
    user.groups.add(Group.objects.get(name=Role.MANAGER))
    return user


def test_every_page_writes_the_family_name_first(client, make_user, make_committee, jung, tmp_path):
    DistrictProfile.objects.create(district_name="구로구", city_name="서울특별시", department="지역경제과")
    members = [
        make_user(Role.COMMITTEE, username="m_jung", first_name="민수", last_name="정"),
        make_user(Role.COMMITTEE, username="m_kim", first_name="지훈", last_name="김"),
        make_user(Role.COMMITTEE, username="m_lee", first_name="서연", last_name="이"),
    ]
    c = make_committee(members=3, requested=[50_000_000], staff=jung, member_users=members)
    c.vote(c.items[0], members)
    c.close()
    client.force_login(jung)

    pages = {
        "home": reverse("home"),
        "application": reverse("loans:application_detail", args=[c.items[0].application_id]),
        "meeting": reverse("loans:meeting_detail", args=[c.meeting.pk]),
        "members": reverse("loans:committee_members"),
        "admin users": reverse("admin:auth_user_changelist"),
    }
    for label, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, label
        html = response.content.decode()
        assert "정효진" in html, label
        assert "효진 정" not in html and "민수 정" not in html, label
    meeting_page = client.get(pages["meeting"]).content.decode()
    assert "정민수" in meeting_page and "김지훈" in meeting_page

    minutes = client.get(reverse("loans:meeting_minutes_pdf", args=[c.meeting.pk]))
    text = _pdf_text(tmp_path, minutes.content)
    assert "정민수" in text and "정효진" in text
    assert "민수 정" not in text and "효진 정" not in text
