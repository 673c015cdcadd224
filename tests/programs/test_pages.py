"""The pages: index by year, run detail, completers (page + Excel), consultations, and who may see them."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from guro_sme.models import Organization
from guro_sme.roles import Role
from programs.models import Consultation, ConsultationTopic, ProgramKind, ProgramRun
from programs.services import certificate_issue


@pytest.fixture
def fair(make_run):
    run = make_run(kind=ProgramKind.CONSULTATION_FAIR, sessions=1, start=datetime.date(2018, 2, 1))
    for name in ("서울신용보증재단", "기술보증기금", "구로구상공회"):
        run.partners.add(Organization.objects.get_or_create(name=name, defaults={"kind": "agency"})[0])
    return run


def consult(run, agency, topic, firm=None, visitor="방문자", **fields):
    return Consultation.objects.create(
        run=run,
        agency=Organization.objects.get(name=agency),
        topic=topic,
        firm=firm,
        visitor_name="" if firm else visitor,
        **fields,
    )


def test_index_lists_runs_by_year_with_participants_and_completers(
    manager_client, make_run, make_registration
):
    run = make_run()
    make_registration(run, attend=2)
    make_registration(run, attend=2)
    make_registration(run, attend=1)
    make_run(kind=ProgramKind.LEADERS_ACADEMY, start=datetime.date(2019, 4, 3))
    body = manager_client.get(reverse("programs:index")).content.decode()
    assert "2018년" in body and "2019년" in body
    assert "3명" in body and "2명" in body
    only_2019 = manager_client.get(reverse("programs:index"), {"year": "2019"}).content.decode()
    assert "리더스 아카데미" in only_2019 and "창업 아카데미" not in only_2019


def test_a_bad_year_shows_everything_with_a_message(manager_client, make_run):
    make_run()
    response = manager_client.get(reverse("programs:index"), {"year": "abc"})
    assert response.status_code == 200
    assert "연도를 바르게 입력하세요" in response.content.decode()


def test_run_detail_shows_sessions_partners_curriculum_and_completion(
    manager_client, make_run, make_registration, seoul_guarantee
):
    run = make_run(curriculum="창업가 정신\n창업 세무", co_host=seoul_guarantee)
    run.partners.add(seoul_guarantee)
    make_registration(run, name="김완주", attend=2)
    make_registration(run, name="이중도", attend=1)
    body = manager_client.get(run.get_absolute_url()).content.decode()
    for text in [
        "창업가 정신",
        "창업 세무",
        "서울신용보증재단",
        "2018.02.26",
        "전 회차 출석",
        "수료 1명",
        "김완주",
        "이중도",
    ]:
        assert text in body, text


def test_completers_page_and_excel_list_only_completers_with_their_numbers(
    manager_client, make_run, make_registration, staff_user
):
    run = make_run()
    done = make_registration(run, name="김수료", attend=2)
    make_registration(run, name="박미수", attend=1)
    certificate_issue(registration=done, actor=staff_user)
    page = manager_client.get(reverse("programs:completers", args=[run.pk])).content.decode()
    assert "김수료" in page and "2018-창업-0001" in page and "박미수" not in page

    response = manager_client.get(reverse("programs:completers_xlsx", args=[run.pk]) + "?reason=테스트")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:3] == ("연번", "수료증 번호", "성명")
    assert rows[2][:3] == (1, "2018-창업-0001", "김수료")
    assert rows[2][7] == "2/2"
    assert len(rows) == 3


@pytest.mark.parametrize("people", [3, 40])
def test_run_detail_and_completers_run_constant_queries(
    manager_client, make_run, make_registration, make_firm, people, django_assert_max_num_queries
):
    run = make_run()
    for i in range(people):
        make_registration(run, attend=2 if i % 2 else 1, firm=make_firm() if i % 3 == 0 else None)
    # 15: the manager's 변경 이력 box reads the run's, its ticks' and certificates' history.
    with django_assert_max_num_queries(15):
        assert manager_client.get(run.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(10):
        assert manager_client.get(reverse("programs:completers", args=[run.pk])).status_code == 200
    with django_assert_max_num_queries(10):
        assert (
            manager_client.get(
                reverse("programs:completers_xlsx", args=[run.pk]) + "?reason=테스트"
            ).status_code
            == 200
        )
    with django_assert_max_num_queries(10):
        assert manager_client.get(reverse("programs:index")).status_code == 200


def test_consultation_summary_counts_by_topic_and_agency(manager_client, fair, make_firm):
    firm = make_firm(name="(주)상담기업")
    consult(fair, "서울신용보증재단", ConsultationTopic.FINANCE, firm=firm, follow_up_needed=True)
    consult(fair, "서울신용보증재단", ConsultationTopic.FINANCE)
    consult(fair, "기술보증기금", ConsultationTopic.GUARANTEE, follow_up_needed=True, follow_up_done=True)
    from programs.selectors import consultation_summary

    summary = consultation_summary(run=fair)
    assert summary.total == 3
    assert summary.by_topic == [("자금·금융", 2), ("보증", 1)]
    assert summary.by_agency == [("서울신용보증재단", 2), ("기술보증기금", 1)]
    assert (summary.follow_up_needed, summary.follow_up_done) == (2, 1)
    body = manager_client.get(reverse("programs:consultations", args=[fair.pk])).content.decode()
    assert (
        "(주)상담기업" in body
        and "분야별 상담 (3건)" in body
        and "후속 조치 필요 2건 (완료 1건, 미완료 1건)" in body
    )


def test_staff_records_a_consultation_for_a_firm(staff_client, staff_user, fair, make_firm):
    firm = make_firm()
    agency = Organization.objects.get(name="기술보증기금")
    response = staff_client.post(
        reverse("programs:consultation_create", args=[fair.pk]),
        {
            "business_number": firm.business_number_display,
            "agency": agency.pk,
            "topic": ConsultationTopic.TECHNOLOGY,
            "notes": "기술평가 보증",
            "follow_up_needed": "on",
        },
    )
    assert response.status_code == 302
    record = Consultation.objects.get()
    assert (record.firm, record.agency, record.recorded_by) == (firm, agency, staff_user)
    assert record.follow_up_needed and not record.follow_up_done


def test_marking_a_follow_up_done_implies_it_was_needed(staff_client, fair):
    record = consult(fair, "구로구상공회", ConsultationTopic.TAX)
    staff_client.post(
        reverse("programs:consultation_edit", args=[record.pk]),
        {"visitor_name": "방문자", "agency": record.agency_id, "topic": "tax", "follow_up_done": "on"},
    )
    record.refresh_from_db()
    assert record.follow_up_needed and record.follow_up_done


def test_a_consultation_needs_a_firm_or_a_visitor(staff_client, fair):
    agency = Organization.objects.get(name="구로구상공회")
    response = staff_client.post(
        reverse("programs:consultation_create", args=[fair.pk]), {"agency": agency.pk, "topic": "tax"}
    )
    assert "기업 사업자등록번호나 방문자 이름 중 하나는 입력하세요." in response.content.decode()
    assert Consultation.objects.count() == 0


def test_consultations_belong_to_the_fair_only(staff_client, make_run):
    academy = make_run()
    response = staff_client.get(reverse("programs:consultation_create", args=[academy.pk]), follow=True)
    assert "상담 기록은 상담회에만 남길 수 있습니다." in response.content.decode()


def test_staff_creates_a_run_and_adds_a_session(staff_client):
    response = staff_client.post(
        reverse("programs:run_create"),
        {
            "kind": ProgramKind.LEADERS_ACADEMY,
            "name": "리더스 아카데미",
            "year": "2019",
            "half": "1",
            "place": "평생학습관",
            "capacity": "60",
            "completion_rule": "min_percent",
            "completion_minimum": "75",
        },
    )
    run = ProgramRun.objects.get()
    assert response.status_code == 302 and run.completion_rule_text() == "출석률 75% 이상"
    staff_client.post(
        reverse("programs:session_add", args=[run.pk]),
        {"date": "2019-04-03", "start_time": "19:00", "end_time": "21:00", "topic": "리더십"},
    )
    assert run.sessions.get().topic == "리더십"
    bad = staff_client.post(
        reverse("programs:session_add", args=[run.pk]),
        {"date": "2019-04-10", "start_time": "19:00", "end_time": "18:00"},
    )
    assert "종료 시각은 시작 시각보다 늦어야 합니다." in bad.content.decode()


def test_a_min_rule_without_a_minimum_is_refused_on_the_form(staff_client):
    response = staff_client.post(
        reverse("programs:run_create"),
        {"kind": "leaders_academy", "name": "리더스", "year": "2019", "half": "1", "place": "x", "capacity": "5",
         "completion_rule": "min_sessions"},
    )  # fmt: skip
    assert "이 수료 기준에는 최소값(횟수 또는 %)이 필요합니다." in response.content.decode()
    assert ProgramRun.objects.count() == 0


def test_an_unknown_run_is_a_404(manager_client):
    assert manager_client.get("/programs/runs/999999/").status_code == 404
    assert manager_client.get("/programs/registrations/999999/certificate/").status_code == 404


# --- who may do what ---------------------------------------------------------------------------

READ_PAGES = ["index", "run_detail", "attendance", "completers", "completers_xlsx", "consultations"]
STAFF_PAGES = ["run_create", "run_edit", "session_add", "register", "consultation_create"]


def _url(name, run):
    if name in ("index", "run_create"):
        return reverse(f"programs:{name}")
    return reverse(f"programs:{name}", args=[run.pk])


@pytest.mark.parametrize(
    ("role", "page_name", "allowed"),
    [(Role.STAFF, p, True) for p in READ_PAGES + STAFF_PAGES]
    + [(Role.MANAGER, p, True) for p in READ_PAGES]
    + [(Role.MANAGER, p, False) for p in STAFF_PAGES]
    + [(Role.COMMITTEE, p, False) for p in READ_PAGES + STAFF_PAGES]
    + [(None, p, False) for p in READ_PAGES],
)
def test_programs_pages_by_role(client, make_user, make_run, role, page_name, allowed):
    run = make_run(kind=ProgramKind.CONSULTATION_FAIR, sessions=1)
    client.force_login(make_user(role))
    response = client.get(_url(page_name, run))
    assert response.status_code == (200 if allowed else 403)
    if not allowed:
        assert "권한이 없습니다" in response.content.decode()


@pytest.mark.parametrize("role", [Role.MANAGER, Role.COMMITTEE])
def test_only_staff_may_post(client, make_user, make_run, make_registration, role):
    run = make_run()
    registration = make_registration(run, attend=2)
    client.force_login(make_user(role))
    posts = [
        reverse("programs:register", args=[run.pk]),
        reverse("programs:attendance", args=[run.pk]),
        reverse("programs:certificate", args=[registration.pk]),
        reverse("programs:session_add", args=[run.pk]),
        reverse("programs:run_edit", args=[run.pk]),
    ]
    for url in posts:
        assert client.post(url, {"name": "x"}).status_code == 403, url


def test_a_committee_member_cannot_download_a_certificate(
    committee_client, make_run, make_registration, staff_user
):
    registration = make_registration(make_run(), attend=2)
    certificate_issue(registration=registration, actor=staff_user)
    assert committee_client.get(reverse("programs:certificate", args=[registration.pk])).status_code == 403


def test_capacity_cannot_drop_below_those_registered(staff_client, make_run, make_registration):
    run = make_run(capacity=5)
    for _ in range(3):
        make_registration(run)
    response = staff_client.post(
        reverse("programs:run_edit", args=[run.pk]),
        {"kind": run.kind, "name": run.name, "year": "2018", "half": "1", "place": run.place, "capacity": "2",
         "completion_rule": run.completion_rule},
    )  # fmt: skip
    assert "이미 3명이 등록되어 있어 정원을 3명보다 줄일 수 없습니다." in response.content.decode()
    run.refresh_from_db()
    assert run.capacity == 5


@pytest.mark.parametrize("count", [3, 60])
def test_consultations_page_runs_constant_queries(
    manager_client, fair, make_firm, count, django_assert_max_num_queries
):
    for i in range(count):
        consult(fair, "서울신용보증재단", ConsultationTopic.FINANCE, firm=make_firm() if i % 2 else None)
    with django_assert_max_num_queries(10):
        response = manager_client.get(reverse("programs:consultations", args=[fair.pk]))
    assert f"분야별 상담 ({count}건)" in response.content.decode()
