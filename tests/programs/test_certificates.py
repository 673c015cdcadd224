"""Completion certificates (수료증): numbered once, reused, refused to non-completers, a real PDF."""

import re
import subprocess

import pytest
from django.db import IntegrityError
from django.urls import reverse

from programs.models import Certificate, ProgramKind
from programs.services import ProgramRuleError, certificate_issue, certificate_pdf


def pdf_text_and_fonts(tmp_path, content: bytes) -> tuple[str, str]:
    path = tmp_path / "certificate.pdf"
    path.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    return text.stdout, fonts.stdout


def test_numbers_run_per_program_and_year_across_both_halves(make_run, make_registration, staff_user):
    first_half, second_half = make_run(half=1), make_run(half=2)
    leaders = make_run(kind=ProgramKind.LEADERS_ACADEMY, sessions=8)
    a = certificate_issue(registration=make_registration(first_half, attend=2), actor=staff_user)
    b = certificate_issue(registration=make_registration(first_half, attend=2), actor=staff_user)
    c = certificate_issue(registration=make_registration(second_half, attend=2), actor=staff_user)
    d = certificate_issue(registration=make_registration(leaders, attend=8), actor=staff_user)
    assert [a.number, b.number, c.number, d.number] == [
        "2018-창업-0001",
        "2018-창업-0002",
        "2018-창업-0003",
        "2018-리더스-0001",
    ]
    assert a.issued_by == staff_user


def test_a_second_issue_returns_the_same_certificate(make_run, make_registration, staff_user, manager_user):
    registration = make_registration(make_run(), attend=2)
    first = certificate_issue(registration=registration, actor=staff_user)
    again = certificate_issue(registration=registration, actor=manager_user)
    assert again.pk == first.pk and again.number == first.number
    assert Certificate.objects.count() == 1


def test_the_database_refuses_a_duplicate_number(make_run, make_registration, staff_user):
    run = make_run()
    certificate_issue(registration=make_registration(run, attend=2), actor=staff_user)
    with pytest.raises(IntegrityError):
        Certificate.objects.create(registration=make_registration(run, attend=2), number="2018-창업-0001")


def test_a_non_completer_is_refused_a_certificate(make_run, make_registration, staff_user):
    registration = make_registration(make_run(), name="박결석", attend=1)
    with pytest.raises(ProgramRuleError, match="박결석님은 수료 기준\\(전 회차 출석\\)을 충족하지 않아"):
        certificate_issue(registration=registration, actor=staff_user)
    assert Certificate.objects.count() == 0


def test_the_fair_has_no_certificates(make_run, make_registration, staff_user):
    registration = make_registration(make_run(kind=ProgramKind.CONSULTATION_FAIR, sessions=1), attend=1)
    with pytest.raises(ProgramRuleError, match="수료 과정이 아니어서"):
        certificate_issue(registration=registration, actor=staff_user)


def test_the_pdf_names_the_person_number_district_and_co_host_in_nanum_gothic(
    tmp_path, make_run, make_registration, staff_user, district, seoul_guarantee
):
    run = make_run(co_host=seoul_guarantee, note="교육 수료시 서울시 창업자금 신청자격 부여")
    registration = make_registration(run, name="홍수료", attend=2)
    certificate = certificate_issue(registration=registration, actor=staff_user)
    text, fonts = pdf_text_and_fonts(tmp_path, certificate_pdf(certificate))
    for expected in [
        "제 2018-창업-0001 호",
        "홍수료",
        "2018년 상반기 소상공인 창업 아카데미",
        "2018.02.26 ~ 2018.02.27",
        "평생학습관",
        "서울신용보증재단",
        "서울시 창업자금 신청자격",
        "서울특별시 구로구청장",
        "구로구 지역경제과",
    ]:
        assert expected in text, expected
    assert re.search(r"수\s*료\s*증", text)  # spaced out by the letter-spacing of the title
    assert "NanumGothic" in fonts
    info = subprocess.run(
        ["pdfinfo", str(tmp_path / "certificate.pdf")], capture_output=True, text=True
    ).stdout
    assert "595.276 x 841.89" in info or "595.28 x 841.89" in info  # A4
    assert re.search(r"Pages:\s+1\n", info)


def test_staff_post_issues_and_downloads_then_get_reuses_the_number(
    tmp_path, staff_client, make_run, make_registration, district
):
    registration = make_registration(make_run(), name="김다운", attend=2)
    url = reverse("programs:certificate", args=[registration.pk])
    response = staff_client.post(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text, _ = pdf_text_and_fonts(tmp_path, response.content)
    assert "2018-창업-0001" in text and "김다운" in text

    again = staff_client.get(url)
    text, _ = pdf_text_and_fonts(tmp_path, again.content)
    assert "2018-창업-0001" in text
    assert Certificate.objects.count() == 1


def test_the_page_refuses_a_non_completer_with_a_message(staff_client, make_run, make_registration):
    registration = make_registration(make_run(), name="박결석", attend=1)
    response = staff_client.post(reverse("programs:certificate", args=[registration.pk]), follow=True)
    assert "수료 기준(전 회차 출석)을 충족하지 않아 수료증을 발급할 수 없습니다" in response.content.decode()
    assert Certificate.objects.count() == 0


def test_get_does_not_issue_a_certificate(manager_client, make_run, make_registration):
    registration = make_registration(make_run(), name="이조회", attend=2)
    response = manager_client.get(reverse("programs:certificate", args=[registration.pk]), follow=True)
    assert "이조회님의 수료증은 아직 발급되지 않았습니다" in response.content.decode()
    assert Certificate.objects.count() == 0


def test_a_manager_downloads_an_issued_certificate_but_cannot_issue(
    manager_client, make_run, make_registration, staff_user, district
):
    issued = make_registration(make_run(), attend=2)
    certificate_issue(registration=issued, actor=staff_user)
    not_issued = make_registration(issued.run, attend=2)
    assert manager_client.get(reverse("programs:certificate", args=[issued.pk])).status_code == 200
    assert manager_client.post(reverse("programs:certificate", args=[not_issued.pk])).status_code == 403
    assert Certificate.objects.count() == 1


def test_issuing_says_the_new_number_on_the_run_page_and_its_row_links_it(
    staff_client, make_run, make_registration, district
):
    run = make_run()
    registration = make_registration(run, name="김번호", attend=2)
    response = staff_client.post(reverse("programs:certificate", args=[registration.pk]))
    assert response["Content-Type"] == "application/pdf"
    page = staff_client.get(run.get_absolute_url()).content.decode()
    assert "김번호님의 수료증 2018-창업-0001을 발급했습니다." in page
    assert ">2018-창업-0001</a>" in page
    # The issue form is enhanced to save the file and then reload (static/js/app.js).
    assert "data-download-refresh" not in page  # issued: the row now links the number instead

    again = staff_client.post(reverse("programs:certificate", args=[registration.pk]))
    assert again["Content-Type"] == "application/pdf"
    assert "발급했습니다" not in staff_client.get(run.get_absolute_url()).content.decode()


def test_the_issue_button_is_marked_to_save_the_file_and_refresh(staff_client, make_run, make_registration):
    run = make_run()
    make_registration(run, name="김대기", attend=2)
    page = staff_client.get(run.get_absolute_url()).content.decode()
    assert 'class="inline" data-download-refresh>' in page
