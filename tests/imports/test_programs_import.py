"""Program registrations and attendance from Excel, through programs' services."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guro_sme.imports.engine import run_import
from programs.models import Attendance, CompletionRule, ProgramKind, ProgramRun, Registration, Session
from programs.resources import AttendanceResource, RegistrationResource

from .conftest import xlsx_bytes, xlsx_rows

pytestmark = pytest.mark.django_db

REG_HEADERS = ["연도", "반기", "사업 구분", "성명", "연락처", "신청 구분", "개인정보 동의일자"]
ATT_HEADERS = ["연도", "반기", "사업 구분", "성명", "연락처", "교육일자", "출석"]


@pytest.fixture
def academy(db):
    run = ProgramRun.objects.create(
        kind=ProgramKind.STARTUP_ACADEMY,
        name="소상공인 창업 아카데미",
        year=2018,
        half=1,
        place="평생학습관",
        capacity=3,
        completion_rule=CompletionRule.ALL_SESSIONS,
    )
    for day in (26, 27):
        Session.objects.create(
            run=run,
            date=datetime.date(2018, 2, day),
            start_time=datetime.time(14),
            end_time=datetime.time(17),
        )
    return run


def registration_rows():
    return [
        list(REG_HEADERS),
        [2018, "상반기", "창업 아카데미", "김창업", "010-1111-2222", "예비창업자", "2018-02-01"],
        ["2018년", "", "창업 아카데미", "이전환", "01033334444", "업종전환 희망자", "2018.2.2"],
        [2018, "상반기", "창업아카데미", "박예비", "010 5555 6666", "예비창업자", "2018-02-03"],
    ]


def attendance_rows():
    return [
        list(ATT_HEADERS),
        [2018, "상반기", "창업 아카데미", "김창업", "010-1111-2222", "2018.2.26", "O"],
        [2018, "상반기", "창업 아카데미", "김창업", "010-1111-2222", "2018.2.27", "O"],
        [2018, "상반기", "창업 아카데미", "이전환", "010-3333-4444", "2018-02-26", "O"],
        [2018, "상반기", "창업 아카데미", "이전환", "010-3333-4444", "2018-02-27", "X"],
    ]


def run(resource, rows, user, dry_run=False):
    return run_import(resource, xlsx_bytes(rows), "p.xlsx", user=user, dry_run=dry_run)


def test_registrations_go_through_registration_create(academy, staff_user):
    report = run(RegistrationResource, registration_rows(), staff_user)
    assert report.ok, [str(e) for e in report.errors]
    assert sorted(Registration.objects.values_list("person__name", "person__phone", "category")) == [
        ("김창업", "01011112222", "pre_founder"),
        ("박예비", "01055556666", "pre_founder"),
        ("이전환", "01033334444", "business_changer"),
    ]
    assert set(Registration.objects.values_list("registered_by", flat=True)) == {staff_user.pk}
    assert run(RegistrationResource, registration_rows(), staff_user).counts == {
        "new": 0,
        "update": 0,
        "skip": 3,
    }


def test_a_full_run_refuses_the_extra_row_and_nothing_is_written(academy, staff_user):
    rows = registration_rows()
    rows.append([2018, "상반기", "창업 아카데미", "최초과", "010-7777-8888", "예비창업자", "2018-02-04"])
    report = run(RegistrationResource, rows, staff_user)
    assert [(e.row, e.column) for e in report.errors] == [(5, "성명")]
    assert "정원 3명이 모두 찼습니다" in report.errors[0].message
    assert Registration.objects.count() == 0


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("사업 구분", "리더스 아카데미", "등록되지 않은 사업 회차입니다: 2018년 상반기 리더스 아카데미"),
        ("연락처", "12-34", "9~11자리"),
        ("신청 구분", "학생", "중 하나"),
        ("성명", "", "필수 항목이 비어 있습니다"),
    ],
)
def test_bad_registration_cells(academy, staff_user, column, value, message):
    rows = registration_rows()
    rows[2][REG_HEADERS.index(column)] = value
    report = run(RegistrationResource, rows, staff_user)
    assert any(e.row == 3 and e.column == column and message in e.message for e in report.errors), [
        str(e) for e in report.errors
    ]
    assert Registration.objects.count() == 0


def test_attendance_is_recorded_and_reimports_change_nothing(academy, staff_user):
    run(RegistrationResource, registration_rows(), staff_user)
    report = run(AttendanceResource, attendance_rows(), staff_user)
    assert report.ok, [str(e) for e in report.errors]
    assert report.counts == {"new": 3, "update": 0, "skip": 1}
    assert Attendance.objects.count() == 3
    assert run(AttendanceResource, attendance_rows(), staff_user).counts == {"new": 0, "update": 0, "skip": 4}
    rows = attendance_rows()
    rows[2][6] = "결석"
    report = run(AttendanceResource, rows, staff_user)
    assert report.counts == {"new": 0, "update": 1, "skip": 3}
    assert Attendance.objects.count() == 2


def test_attendance_for_a_future_session_is_refused_by_the_programs_rule(academy, staff_user):
    future = timezone.localdate() + datetime.timedelta(days=30)
    Session.objects.create(run=academy, date=future, start_time=datetime.time(14), end_time=datetime.time(17))
    run(RegistrationResource, registration_rows(), staff_user)
    rows = attendance_rows()
    rows.append([2018, "상반기", "창업 아카데미", "박예비", "010-5555-6666", future.isoformat(), "O"])
    report = run(AttendanceResource, rows, staff_user)
    assert [(e.row, e.column) for e in report.errors] == [(6, "출석")]
    assert "아직 열리지 않은 일정" in report.errors[0].message
    assert Attendance.objects.count() == 0


def test_attendance_of_someone_not_registered_is_refused(academy, staff_user):
    run(RegistrationResource, registration_rows(), staff_user)
    rows = attendance_rows()
    rows[1][3] = "홍길동"
    rows[2][5] = "2018.3.1"
    report = run(AttendanceResource, rows, staff_user)
    assert [(e.row, e.column) for e in report.errors] == [(2, "성명"), (3, "교육일자")]
    assert "이 회차에 등록되지 않은 참가자입니다" in report.errors[0].message
    assert "2018.03.01에 이 회차의 교육 일정이 없습니다" in report.errors[1].message
    assert Attendance.objects.count() == 0


def test_exports_import_back_unchanged(staff_client, academy, staff_user):
    run(RegistrationResource, registration_rows(), staff_user)
    run(AttendanceResource, attendance_rows(), staff_user)
    registrations = staff_client.get(
        reverse("imports:export", args=["program-registrations"]) + "?year=2018&reason=테스트"
    ).content
    rows = xlsx_rows(registrations)
    completed = {row[3]: row[rows[0].index("수료")] for row in rows[1:]}
    assert completed == {"김창업": "수료", "이전환": "미수료", "박예비": "미수료"}
    assert rows[1][4] == "010-1111-2222"
    report = run_import(RegistrationResource, registrations, "r.xlsx", user=staff_user, dry_run=False)
    assert report.ok and report.counts == {"new": 0, "update": 0, "skip": 3}, report.errors
    attendance = staff_client.get(
        reverse("imports:export", args=["program-attendance"]) + "?reason=테스트"
    ).content
    assert len(xlsx_rows(attendance)) == 4
    report = run_import(AttendanceResource, attendance, "a.xlsx", user=staff_user, dry_run=False)
    assert report.ok and report.counts == {"new": 0, "update": 0, "skip": 3}, report.errors
    assert Attendance.objects.count() == 3


def register_people(run, count, start, actor):
    """`count` consenting pre-founders registered for `run`, numbered from `start`."""
    from programs.services import registration_create

    for n in range(start, start + count):
        registration_create(
            run=run,
            name=f"참가자{n}",
            phone=f"0101234{n:04d}",
            category="pre_founder",
            actor=actor,
            consent_at=timezone.now(),
        )


def test_the_registration_export_costs_the_same_queries_for_more_people(
    staff_client, academy, staff_user, django_assert_max_num_queries
):

    academy.capacity = 50
    academy.save()

    def add(count, start):
        register_people(academy, count, start, staff_user)

    url = reverse("imports:export", args=["program-registrations"]) + "?reason=테스트"
    add(2, 0)
    with django_assert_max_num_queries(8):
        staff_client.get(url)
    add(20, 100)
    with django_assert_max_num_queries(8):
        rows = xlsx_rows(staff_client.get(url).content)
    assert len(rows) == 23


def test_a_registration_row_without_a_consent_date_is_refused_and_the_date_is_recorded_otherwise(
    academy, staff_user
):
    rows = registration_rows()
    rows[2][REG_HEADERS.index("개인정보 동의일자")] = ""
    report = run(RegistrationResource, rows, staff_user)
    assert not report.ok and not report.written
    assert [(e.row, e.column) for e in report.errors] == [(3, "개인정보 동의일자")]
    assert run(RegistrationResource, registration_rows(), staff_user).ok
    registration = Registration.objects.get(person__name="이전환")
    assert timezone.localtime(registration.consent_at).date() == datetime.date(2018, 2, 2)
    assert registration.consent_recorded_by == staff_user


def _export_both_ways(resource_class):
    """The export's rows read as plain values, and through one model instance per row."""
    from guro_sme.imports.base import KoreanResource

    resource = resource_class()
    queryset = resource.get_export_queryset()
    return list(resource.export_rows(queryset)), list(KoreanResource.export_rows(resource, queryset))


def test_the_program_exports_read_as_values_give_the_same_cells_as_the_instances(
    academy, staff_user, make_firm
):
    from programs.services import registration_create

    run(RegistrationResource, registration_rows(), staff_user)
    run(AttendanceResource, attendance_rows(), staff_user)
    fair = ProgramRun.objects.create(
        kind=ProgramKind.CONSULTATION_FAIR,
        name="상담회",
        year=2018,
        half=2,
        capacity=10,
        completion_rule=CompletionRule.NONE,
    )
    registration_create(  # with a firm, no birth date, on a run without completion
        run=fair,
        name="최기업",
        phone="0212345678",
        category="sme",
        actor=staff_user,
        firm=make_firm(name="(주)상담"),
        consent_at=timezone.now(),
    )
    for resource_class in (RegistrationResource, AttendanceResource):
        values, instances = _export_both_ways(resource_class)
        assert values == instances and values
        assert [[type(cell) for cell in row] for row in values] == [
            [type(cell) for cell in row] for row in instances
        ]
    registrations = _export_both_ways(RegistrationResource)[0]
    assert {row[3]: row[9] for row in registrations} == {
        "김창업": "수료",
        "이전환": "미수료",
        "박예비": "미수료",
        "최기업": "",
    }


def test_the_attendance_export_costs_the_same_queries_for_more_people(staff_client, academy, staff_user):
    from programs.services import attendance_record

    academy.capacity = 50
    academy.save()
    url = reverse("imports:export", args=["program-attendance"]) + "?reason=테스트"

    def add(count, start):
        register_people(academy, count, start, staff_user)
        sessions = list(academy.sessions.all())
        present = {(r.pk, s.pk) for r in academy.registrations.all() for s in sessions}
        attendance_record(run=academy, present=present, actor=staff_user)

    def queries(expected_rows) -> int:
        with CaptureQueriesContext(connection) as captured:
            rows = xlsx_rows(staff_client.get(url).content)
        assert len(rows) == expected_rows + 1
        return len(captured)

    add(2, 0)
    few = queries(4)
    add(20, 100)
    assert queries(44) == few <= 8
