"""The attendance grid: staff tick who attended; constant queries; completion follows."""

import datetime

import pytest
from django.urls import reverse

from programs.models import Attendance
from programs.services import ProgramRuleError, attendance_record, registration_completed


def ticks(*pairs):
    return {"present": [f"{r.pk}:{s.pk}" for r, s in pairs]}


def test_staff_ticks_both_sessions_and_the_person_completes(
    staff_client, staff_user, make_run, make_registration
):
    run = make_run(sessions=2)
    registration = make_registration(run, name="김출석")
    first, second = run.sessions.all()
    response = staff_client.post(reverse("programs:attendance", args=[run.pk]), ticks((registration, first)))
    assert response.status_code == 302
    assert not registration_completed(registration)
    staff_client.post(
        reverse("programs:attendance", args=[run.pk]), ticks((registration, first), (registration, second))
    )
    assert registration_completed(registration)
    assert set(Attendance.objects.values_list("recorded_by", flat=True)) == {staff_user.pk}


def test_unticking_removes_the_attendance(staff_client, make_run, make_registration):
    run = make_run(sessions=2)
    registration = make_registration(run, attend=2)
    first = run.sessions.first()
    response = staff_client.post(
        reverse("programs:attendance", args=[run.pk]), ticks((registration, first)), follow=True
    )
    assert "출석을 저장했습니다 (추가 0건, 취소 1건)." in response.content.decode()
    assert registration.attendances.count() == 1


def test_the_grid_shows_the_ticks(manager_client, make_run, make_registration):
    run = make_run(sessions=2)
    registration = make_registration(run, name="박체크", attend=1)
    body = manager_client.get(reverse("programs:attendance", args=[run.pk])).content.decode()
    first = run.sessions.first()
    assert f'value="{registration.pk}:{first.pk}"' in body
    assert body.count(" checked") == 1
    assert "disabled" in body  # managers read only


def test_a_pair_from_another_run_is_refused_and_nothing_changes(staff_user, make_run, make_registration):
    run, other = make_run(), make_run(start=datetime.date(2019, 2, 25))
    registration = make_registration(run, attend=1)
    stranger = other.sessions.first()
    with pytest.raises(ProgramRuleError, match="이 회차에 없는"):
        attendance_record(run=run, present={(registration.pk, stranger.pk)}, actor=staff_user)
    assert registration.attendances.count() == 1


def test_a_future_session_cannot_be_ticked(staff_user, make_run, make_registration):
    run = make_run(start=datetime.date(2018, 2, 26))
    registration = make_registration(run)
    first, second = run.sessions.all()
    with pytest.raises(ProgramRuleError, match=r"아직 열리지 않은 일정\(2018.02.27\)"):
        attendance_record(
            run=run,
            present={(registration.pk, first.pk), (registration.pk, second.pk)},
            actor=staff_user,
            today=datetime.date(2018, 2, 26),
        )
    assert registration.attendances.count() == 0


def test_garbage_in_the_form_is_a_korean_message_not_an_error(staff_client, make_run, make_registration):
    run = make_run()
    make_registration(run)
    response = staff_client.post(reverse("programs:attendance", args=[run.pk]), {"present": ["x:1"]})
    assert response.status_code == 200
    assert "출석 자료가 올바르지 않습니다" in response.content.decode()


def test_a_manager_cannot_save_attendance(manager_client, make_run, make_registration):
    run = make_run()
    registration = make_registration(run)
    response = manager_client.post(
        reverse("programs:attendance", args=[run.pk]), ticks((registration, run.sessions.first()))
    )
    assert response.status_code == 403
    assert Attendance.objects.count() == 0


@pytest.mark.parametrize("people", [3, 40])
def test_grid_and_save_run_a_constant_number_of_queries(
    staff_client, make_run, make_registration, people, django_assert_max_num_queries
):
    run = make_run(sessions=2)
    registrations = [make_registration(run, attend=1) for _ in range(people)]
    sessions = list(run.sessions.all())
    url = reverse("programs:attendance", args=[run.pk])
    with django_assert_max_num_queries(12):
        assert staff_client.get(url).status_code == 200
    with django_assert_max_num_queries(16):
        response = staff_client.post(url, ticks(*[(r, s) for r in registrations for s in sessions]))
    assert response.status_code == 302
    assert Attendance.objects.count() == people * 2


# --- per cell, and certificates ------------------------------------------------------------------


def test_two_staff_saving_the_same_grid_keep_each_others_ticks(staff_client, make_run, make_registration):
    from django.urls import reverse

    run = make_run(sessions=1, start=datetime.date(2018, 2, 26))
    first, second = make_registration(run), make_registration(run)
    session = run.sessions.get()
    url = reverse("programs:attendance", args=[run.pk])
    # Both opened the empty grid; each ticks one person and saves.
    staff_client.post(url, {"per_cell": "1", "present": [f"{first.pk}:{session.pk}"]})
    staff_client.post(url, {"per_cell": "1", "present": [f"{second.pk}:{session.pk}"]})
    assert set(Attendance.objects.values_list("registration_id", flat=True)) == {first.pk, second.pk}
    # One unticks what their grid showed: only that cell goes.
    staff_client.post(url, {"per_cell": "1", "shown": [f"{first.pk}:{session.pk}"]})
    assert set(Attendance.objects.values_list("registration_id", flat=True)) == {second.pk}


def test_attendance_behind_an_issued_certificate_cannot_be_removed(
    staff_client, staff_user, make_run, make_registration
):
    from django.urls import reverse

    from programs.services import certificate_issue

    run = make_run(sessions=1, start=datetime.date(2018, 2, 26))
    holder = make_registration(run, name="김수료", attend=1)
    certificate_issue(registration=holder, actor=staff_user)
    session = run.sessions.get()
    with pytest.raises(ProgramRuleError, match=r"수료증이 발급된 참가자\(김수료\)"):
        attendance_record(run=run, present=set(), actor=staff_user)
    response = staff_client.post(
        reverse("programs:attendance", args=[run.pk]),
        {"per_cell": "1", "shown": [f"{holder.pk}:{session.pk}"]},
        follow=True,
    )
    assert "수료증이 발급된 참가자(김수료)의 출석은 취소할 수 없습니다" in response.content.decode()
    assert Attendance.objects.filter(registration=holder).count() == 1
