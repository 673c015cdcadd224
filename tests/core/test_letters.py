"""The official letter layout (guro_sme/letters.py): every part of a 공문 from the district's profile."""

import datetime

import pytest

from guro_sme.letters import letter_number, official_letter, render_letters_pdf
from guro_sme.models import DistrictProfile
from tests.pdftext import pdf_pages, pdf_text_and_fonts


@pytest.fixture
def profile(db):
    return DistrictProfile.objects.create(
        district_name="구로구",
        city_name="서울특별시",
        department="지역경제과",
        contact_person="정효진",
        contact_phone="02-860-2865",
        sender_title="구로구청장",
        document_prefix="지역경제과",
        approval_titles="주무관,지역경제팀장,지역경제과장",
        postal_code="08284",
        address="구로구 가마산로 245",
        homepage="www.guro.go.kr",
    )


def test_a_letter_holds_every_part_of_the_official_layout(profile):
    letter = official_letter(
        recipient="(주)시큐브 대표 홍기용 귀하",
        title="융자 지원 대상 선정 통지",
        body="귀 사의 융자 신청을 심의하여 선정하였음을 알려 드립니다.\n\n<b>태그</b>는 글자 그대로 나옵니다.",
        attachments=["융자 안내문 1부", "약정서 양식 1부"],
        number=letter_number("2018-0012"),
        issued_on=datetime.date(2018, 2, 21),
    )
    text, fonts = pdf_text_and_fonts(render_letters_pdf([letter]))
    flat = " ".join(text.split())
    assert "구로구청장" in text.replace(" ", "")
    for expected in (
        "구로구",
        "수신",
        "(주)시큐브 대표 홍기용 귀하",
        "제목",
        "융자 지원 대상 선정 통지",
        "선정하였음을 알려 드립니다.",
        "<b>태그</b>",
        "붙임",
        "1. 융자 안내문 1부",
        "2. 약정서 양식 1부 끝.",
        "기안자 주무관 정효진",
        "검토자 지역경제팀장",
        "결재권자 지역경제과장",
        "시행 지역경제과-2018-0012 (2018. 2. 21.)",
        "우 08284 서울특별시 구로구 가마산로 245",
        "www.guro.go.kr",
        "전화 02-860-2865",
    ):
        assert expected in flat, expected
    assert "NanumGothic" in fonts


def test_without_attachments_the_body_ends_with_kkeut_and_letters_merge_page_by_page(profile):
    profile.sender_title = ""
    profile.save()
    letters = [
        official_letter(recipient=f"업체{n} 귀하", title="알림", body=f"{n}번 본문", number=f"x-{n}")
        for n in (1, 2, 3)
    ]
    content = render_letters_pdf(letters)
    text, _ = pdf_text_and_fonts(content)
    assert pdf_pages(content) == 3
    assert text.count("끝.") == 3 and "붙임" not in text
    assert text.replace(" ", "").count("구로구청장") == 3  # no title set: the district's head


def test_the_number_prefix_falls_back_to_the_department(profile):
    profile.document_prefix = ""
    assert letter_number(7, profile) == "지역경제과-7"
