"""What the programs app tells the firm page, the home page and the reports."""

import datetime

import pytest
from django.utils import timezone

from guro_sme.models import Organization
from guro_sme.support import AttentionItem
from programs.models import Consultation, ConsultationTopic, ProgramKind
from programs.selectors import attention_items, firm_support, program_results_by_year


def test_firm_support_lists_registrations_with_completion_and_consultations(
    make_run, make_registration, make_firm
):
    firm = make_firm(name="(주)지원기업")
    academy = make_run()
    make_registration(academy, name="김대표", attend=2, firm=firm)
    make_registration(academy, name="이직원", attend=1, firm=firm)
    fair = make_run(kind=ProgramKind.CONSULTATION_FAIR, sessions=1, start=datetime.date(2018, 2, 1))
    agency = Organization.objects.create(name="기술보증기금", kind="guarantee")
    Consultation.objects.create(
        run=fair, firm=firm, agency=agency, topic=ConsultationTopic.GUARANTEE, follow_up_needed=True
    )
    records = firm_support(firm)
    by_title = {r.title: r for r in records}
    assert by_title["상반기 소상공인 창업 아카데미 · 김대표"].status == "수료"
    assert by_title["상반기 소상공인 창업 아카데미 · 이직원"].status == "미수료"
    consultation = by_title["중소기업 소상공인 지원 사업 상담회 상담 · 기술보증기금 (보증)"]
    assert consultation.status == "후속 조치 필요" and consultation.year == 2018
    assert all(r.program == "경영지원사업" for r in records)


def test_firm_support_is_empty_for_an_unrelated_firm(make_firm):
    assert firm_support(make_firm()) == []


def test_the_firm_page_shows_program_support(manager_client, make_run, make_registration, make_firm):
    firm = make_firm()
    make_registration(make_run(), name="김대표", attend=2, firm=firm)
    body = manager_client.get(firm.get_absolute_url()).content.decode()
    assert "경영지원사업" in body and "소상공인 창업 아카데미 · 김대표" in body and "수료" in body


def test_staff_are_told_of_todays_session_without_attendance(
    staff_user, manager_user, make_run, make_registration, django_assert_max_num_queries
):
    today = timezone.localdate()
    run = make_run(start=today, sessions=1)
    make_registration(run)
    make_run(kind=ProgramKind.LEADERS_ACADEMY, start=today, sessions=1)  # no participants: nothing to record
    with django_assert_max_num_queries(3):
        items = attention_items(staff_user)
    assert items == [
        AttentionItem(label="오늘 교육 출석 미입력", count=1, url=f"/programs/runs/{run.pk}/attendance/")
    ]
    assert attention_items(manager_user) == []


def test_no_attention_once_attendance_is_recorded(staff_user, make_run, make_registration):
    run = make_run(start=timezone.localdate(), sessions=1)
    make_registration(run, attend=1)
    assert attention_items(staff_user) == []


def test_open_fair_follow_ups_need_attention(staff_user, make_run):
    fair = make_run(kind=ProgramKind.CONSULTATION_FAIR, sessions=1)
    agency = Organization.objects.create(name="구로구상공회", kind="association")
    for done in (False, False, True):
        Consultation.objects.create(
            run=fair,
            visitor_name="방문",
            agency=agency,
            topic="tax",
            follow_up_needed=True,
            follow_up_done=done,
        )
    assert [(i.label, i.count) for i in attention_items(staff_user)] == [("상담회 후속 조치 미완료", 2)]


def test_program_results_by_year_counts_participants_and_completers(make_run, make_registration):
    academy = make_run()
    for attended in (2, 2, 1):
        make_registration(academy, attend=attended)
    leaders = make_run(
        kind=ProgramKind.LEADERS_ACADEMY, sessions=8, minimum=6, start=datetime.date(2018, 4, 4)
    )
    for attended in (8, 6, 5, 0):
        make_registration(leaders, attend=attended)
    make_run(start=datetime.date(2019, 2, 25))
    results = program_results_by_year(2018)
    assert sorted(results, key=lambda r: r["program"]) == [
        {"program": "리더스 아카데미 (상반기)", "participants": 4, "completers": 2},
        {"program": "소상공인 창업 아카데미 (상반기)", "participants": 3, "completers": 2},
    ]
    assert program_results_by_year(2017) == []


@pytest.mark.parametrize("people", [5, 60])
def test_program_results_runs_constant_queries(
    make_run, make_registration, people, django_assert_max_num_queries
):
    run = make_run()
    for _ in range(people):
        make_registration(run, attend=2)
    with django_assert_max_num_queries(3):
        assert program_results_by_year(2018)[0]["completers"] == people
