"""Attendance ticks, runs and certificates keep who, when, old and new; managers read it on the
run's page; a large grid saves in constant queries with its history."""

import html
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.models import Attendance, ProgramRun
from programs.services import attendance_record


def text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def test_ticks_added_and_removed_leave_history_rows_naming_the_staff_member(
    staff_user, make_run, make_registration
):
    run = make_run(sessions=2)
    registration = make_registration(run, name="김출석")
    first, second = run.sessions.all()
    attendance_record(
        run=run, present={(registration.pk, first.pk), (registration.pk, second.pk)}, actor=staff_user
    )
    attendance_record(run=run, present={(registration.pk, second.pk)}, actor=staff_user)

    rows = Attendance.history.filter(registration_id=registration.pk).order_by("history_date", "history_id")
    assert [(row.history_type, row.session_id, row.history_user) for row in rows] == [
        ("+", first.pk, staff_user),
        ("+", second.pk, staff_user),
        ("-", first.pk, staff_user),
    ]
    assert list(registration.attendances.values_list("session_id", flat=True)) == [second.pk]


def test_a_grid_save_runs_constant_queries_with_its_history(staff_user, make_run, make_registration):
    def save(count, year):
        run = make_run(sessions=2, year=year)
        people = [make_registration(run) for _ in range(count)]
        sessions = list(run.sessions.all())
        attendance_record(run=run, present={(p.pk, s.pk) for p in people for s in sessions}, actor=staff_user)
        with CaptureQueriesContext(connection) as queries:
            attendance_record(run=run, present={(p.pk, sessions[0].pk) for p in people}, actor=staff_user)
        return len(queries)

    assert save(2, 2018) == save(12, 2019)


def test_managers_read_the_runs_trail(client, manager_user, staff_client, make_run, make_registration):
    run = make_run(sessions=1)
    registration = make_registration(run, name="박기록")
    session = run.sessions.get()
    staff_client.post(
        reverse("programs:attendance", args=[run.pk]), {"present": [f"{registration.pk}:{session.pk}"]}
    )
    run.capacity = 45
    run.save()

    client.force_login(manager_user)
    body = text(client.get(reverse("programs:run_detail", args=[run.pk])))
    assert "변경 이력" in body
    assert "박기록" in body and "출석" in body
    assert ProgramRun.history.filter(id=run.pk).count() == 2
    assert "정원: " in body and " → 45" in body
