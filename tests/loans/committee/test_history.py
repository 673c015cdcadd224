"""The committee's money and decisions keep who, when, old and new: the amount agreed per item,
attendance, the meeting budget and the results written at closing."""

import html
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guro_sme.history import history_trail
from loans.committee import services
from loans.committee.models import AgendaItem, Membership


def text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def test_the_committee_amount_keeps_every_value_with_who_set_it(committee):
    item = committee.items[0]
    services.item_set_amount(item=item, amount_won=80_000_000, actor=committee.staff)
    services.item_set_amount(item=item, amount_won=70_000_000, actor=committee.staff)

    trail = history_trail(committee.meeting.items, fields=["committee_amount_won"])
    changes = [(e.user, e.changes[0].old, e.changes[0].new) for e in trail if e.kind == "수정"]
    assert changes == [
        (committee.staff.username, "80,000,000원", "70,000,000원"),
        (committee.staff.username, "100,000,000원", "80,000,000원"),
    ]


def test_attendance_and_closing_results_are_in_the_trail(committee):
    committee.attend(*committee.members[:3])
    committee.attend(*committee.members[:4])
    fourth = Membership.objects.get(meeting=committee.meeting, member=committee.members[3])
    rows = [(row.present, row.history_user) for row in fourth.history.order_by("history_id")]
    # seated (and marked by the fixture) first; then absent, then present: each row names the staff
    assert rows[-2:] == [(False, committee.staff), (True, committee.staff)]
    assert {user for _, user in rows} == {committee.staff}
    for item in committee.items:
        committee.vote(item, committee.members[:4])
    committee.close()
    results = AgendaItem.history.filter(meeting_id=committee.meeting.pk, history_type="~", result="original")
    assert results.count() == len(committee.items)
    assert {row.history_user for row in results} == {committee.staff}


def test_managers_read_the_meetings_trail_on_its_results_in_constant_queries(client, make_committee):
    small = make_committee(requested=(100_000_000,))
    large = make_committee(requested=(100_000_000,) * 6)
    counts = []
    for c in (small, large):
        for item in c.items:
            services.item_set_amount(item=item, amount_won=90_000_000, actor=c.staff)
        c.attend(*c.members[:3])
        for item in c.items:
            c.vote(item, c.members[:3])
        c.close()
        client.force_login(c.manager)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("loans:meeting_results", args=[c.meeting.pk]))
        counts.append(len(queries))
    body = text(response)
    assert "변경 이력" in body
    assert "의결 금액(원): 100,000,000원 → 90,000,000원" in body
    assert "출석: 아니오 → 예" in body
    assert counts[0] == counts[1]
    client.force_login(large.staff)
    assert "변경 이력" not in text(client.get(reverse("loans:meeting_results", args=[large.meeting.pk])))


def test_a_hold_names_the_staff_who_held_the_item_in_its_history(committee):
    item = committee.items[0]
    services.item_hold(item=item, reason="추가 서류 확인", actor=committee.staff)
    held = AgendaItem.history.filter(id=item.pk, result=AgendaItem.Result.HELD)
    assert [row.history_user for row in held] == [committee.staff]


def test_an_objections_decision_keeps_who_recorded_and_who_decided_it(committee):
    item, member = committee.items[0], committee.members[1]
    objection = services.objection_record(
        item=item, member=member, reason="경쟁 업체 임원", actor=committee.staff
    )
    services.objection_decide(
        objection=objection, accepted=True, yes_count=3, no_count=1, actor=committee.staff
    )
    rows = [(row.decision, row.history_user) for row in objection.history.order_by("history_id")]
    assert rows == [("pending", committee.staff), ("accepted", committee.staff)]


def test_the_first_minutes_confirmation_names_the_member_who_froze_them(committee):
    for item in committee.items:
        committee.vote(item, committee.members[:3])
    committee.close()
    member = committee.members[0]
    services.minutes_confirm(meeting=committee.meeting, member=member)
    frozen = committee.meeting.history.filter(minutes_frozen_at__isnull=False).order_by("history_id")
    assert frozen.first().history_user == member
