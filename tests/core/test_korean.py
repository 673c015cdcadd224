"""Particles follow the word's last sound; no message shows "을(를)", "이(가)", "(으)로" any more."""

import re
import subprocess
from pathlib import Path

import pytest

from guro_sme.korean import particle, with_particle

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("word", "form", "expected"),
    [
        ("기금", "을", "을"),
        ("구로", "을", "를"),
        ("(주)구로브라우저", "을", "를"),
        ("'구기금'", "은", "은"),
        ("사업자", "이", "가"),
        ("이름", "와", "과"),
        ("사용자 이름", "과", "과"),
        ("비밀번호", "과", "와"),
        ("취하", "으로", "로"),
        ("선정", "로", "으로"),
        ("서울", "으로", "로"),  # ㄹ takes 로
        ("2018", "은", "은"),  # 팔
        ("2019", "는", "는"),  # 구
        ("3", "을", "을"),  # 삼
        ("KOTRA", "은", "는"),
        ("2018.07.10)", "을", "을"),  # 영
    ],
)
def test_particle_follows_the_final_sound(word, form, expected):
    assert particle(word, form) == expected


def test_with_particle_joins():
    assert with_particle("구로", "은") == "구로는"


def test_template_filter(rf):
    from django.template import Context, Template

    html = Template('{% load korean %}{{ a|josa:"을" }} / \'{{ b }}\'{{ b|particle:"이" }}').render(
        Context({"a": "기금", "b": "구로"})
    )
    assert html == "기금을 / '구로'가"


def test_no_code_or_template_writes_both_particles():
    """ "을(를)", "이(가)", "은(는)", "와/과", "(으)로" read as a machine wrote them."""
    pattern = r"을\(를\)|이\(가\)|은\(는\)|와/과|과\(와\)|\(으\)로"
    files = subprocess.run(
        ["git", "ls-files", "*.py", "*.html"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    offenders = [
        f"{name}:{number}"
        for name in files
        if not name.startswith("tests/") and name != "guro_sme/korean.py"
        for number, line in enumerate((ROOT / name).read_text().splitlines(), 1)
        if re.search(pattern, line)
    ]
    assert offenders == []


def test_the_login_refusal_reads_right(client, staff_user):
    response = client.post("/login/", {"username": "staff", "password": "wrong"})
    body = response.content.decode()
    assert "사용자 이름과 비밀번호가 맞지 않습니다." in body
    assert "와/과" not in body


def test_the_in_district_filter_offers_all_yes_no(staff_client, make_firm):
    make_firm(name="관내기업", in_district=True)
    make_firm(name="관외기업", in_district=False)
    page = staff_client.get("/firms/").content.decode()
    assert '<option value="" selected>전체</option>' in page
    assert '<option value="true">예</option>' in page and '<option value="false">아니오</option>' in page
    assert "알 수 없음" not in page
    outside = staff_client.get("/firms/?in_district=false").content.decode()
    assert "관외기업" in outside and "관내기업" not in outside
    both = staff_client.get("/firms/?in_district=").content.decode()
    assert "관외기업" in both and "관내기업" in both


def test_the_firm_list_has_no_english_header(staff_client, make_firm):
    make_firm()
    page = staff_client.get("/firms/").content.decode()
    assert "Business number" not in page and ">사업자등록번호</a>" in page
