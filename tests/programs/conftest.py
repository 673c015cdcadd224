"""Fixtures for the programs tests: runs with sessions, registrations and attendance."""

import datetime

import pytest

from guro_sme.models import DistrictProfile, Organization
from programs.models import (
    ApplicantCategory,
    Attendance,
    CompletionRule,
    Person,
    ProgramKind,
    ProgramRun,
    Registration,
    Session,
)


@pytest.fixture
def district(db):
    return DistrictProfile.objects.create(
        district_name="구로구", city_name="서울특별시", department="지역경제과", contact_phone="02-860-2865"
    )


@pytest.fixture
def seoul_guarantee(db):
    return Organization.objects.get_or_create(name="서울신용보증재단", defaults={"kind": "guarantee"})[0]


@pytest.fixture
def make_run(db):
    """make_run(kind=..., sessions=2, start=date, rule=..., minimum=..., capacity=...)."""

    def make(
        kind=ProgramKind.STARTUP_ACADEMY,
        sessions=2,
        start=datetime.date(2018, 2, 26),
        rule=None,
        minimum=None,
        capacity=40,
        year=None,
        half=None,
        step=datetime.timedelta(days=1),
        **fields,
    ):
        if rule is None:
            rule = {
                ProgramKind.STARTUP_ACADEMY: CompletionRule.ALL_SESSIONS,
                ProgramKind.LEADERS_ACADEMY: CompletionRule.MIN_SESSIONS,
                ProgramKind.CONSULTATION_FAIR: CompletionRule.NONE,
            }[kind]
        if rule == CompletionRule.MIN_SESSIONS and minimum is None:
            minimum = 6
        defaults = {
            "name": {
                ProgramKind.STARTUP_ACADEMY: "소상공인 창업 아카데미",
                ProgramKind.LEADERS_ACADEMY: "리더스 아카데미",
                ProgramKind.CONSULTATION_FAIR: "중소기업 소상공인 지원 사업 상담회",
            }[kind],
            "place": "평생학습관",
            "founded_within_months": 6 if kind == ProgramKind.STARTUP_ACADEMY else None,
        }
        defaults.update(fields)
        run = ProgramRun.objects.create(
            kind=kind,
            year=year or start.year,
            half=half or (1 if start.month <= 6 else 2),
            capacity=capacity,
            completion_rule=rule,
            completion_minimum=minimum,
            **defaults,
        )
        for i in range(sessions):
            Session.objects.create(
                run=run,
                date=start + step * i,
                start_time=datetime.time(10, 0),
                end_time=datetime.time(17, 0),
                topic=f"{i + 1}회차 강의",
            )
        return run

    return make


@pytest.fixture
def make_registration(db):
    """make_registration(run, name=..., attend=n) → a registration that attended the first n sessions."""
    counter = {"n": 0}

    def make(run, name=None, attend=0, firm=None, category=ApplicantCategory.PRE_FOUNDER, **person):
        counter["n"] += 1
        p = Person.objects.create(
            name=name or f"참가자{counter['n']}",
            phone=person.pop("phone", f"0101234{counter['n']:04d}"),
            **person,
        )
        registration = Registration.objects.create(run=run, person=p, category=category, firm=firm)
        for session in list(run.sessions.all())[:attend]:
            Attendance.objects.create(registration=registration, session=session)
        return registration

    return make
