"""One tally (present, non-recused members only) on every screen, PDF and the stored result; absent
members cannot score or vote; the scoring form shows the rubric weights; the member list counts."""

import re

import pytest
from django.urls import reverse

from loans.committee import services
from loans.committee.models import Score, Vote
from loans.committee.selectors import meeting_tallies
from loans.committee.services import CommitteeRuleError
from tests.pdftext import pdf_text_and_fonts


def _flat(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def voted(make_committee):
    """The auditor's case: five members; one votes 반대 and scores 40 then is recorded absent."""
    c = make_committee(members=5, requested=[100_000_000])
    item = c.items[0]
    c.vote(item, c.members[:3], "yes")
    c.vote(item, c.members[3:], "no")
    for member, value in zip(c.members, [8, 8, 7, 7, 4], strict=True):
        c.score(item, member, value)
    c.attend(*c.members[:4])  # the fifth leaves: their 반대 and 40 points no longer count
    return c


def test_an_absent_member_cannot_score_or_vote_and_is_told_why(client, voted):
    item, absent = voted.items[0], voted.members[4]
    with pytest.raises(CommitteeRuleError, match="출석으로 기록된 위원만"):
        services.item_vote(item=item, member=absent, choice="yes")
    with pytest.raises(CommitteeRuleError, match="출석으로 기록된 위원만"):
        voted.score(item, absent, 10)
    assert Vote.objects.get(item=item, member=absent).choice == "no"  # unchanged
    assert set(Score.objects.filter(item=item, member=absent).values_list("score", flat=True)) == {4}
    client.force_login(absent)
    body = client.get(reverse("loans:meeting_detail", args=[voted.meeting.pk])).content.decode()
    assert "출석으로 기록되지 않아 채점하거나 표결할 수 없습니다" in body
    assert "meeting_item_vote" not in body and f"/items/{item.pk}/vote/" not in body
    response = client.post(
        reverse("loans:meeting_item_vote", args=[voted.meeting.pk, item.pk]),
        {f"i{item.pk}-choice": "yes"},
        follow=True,
    )
    assert "출석으로 기록된 위원만 채점하거나 표결할 수 있습니다" in response.content.decode()


def test_the_tally_is_the_same_on_the_agenda_the_results_the_minutes_and_the_member_view(client, voted):
    item = voted.items[0]
    tally = meeting_tallies(voted.meeting)[item.pk]
    # 찬성 3 · 반대 1 of the four present; the average of 8, 8, 7, 7 (not the absent 4).
    assert (tally.yes, tally.no, tally.abstain, tally.eligible) == (3, 1, 0, 4)
    assert str(tally.average_score) == "75.00"
    detail = reverse("loans:meeting_detail", args=[voted.meeting.pk])
    client.force_login(voted.staff)
    staff_open = _flat(client.get(detail).content.decode())
    assert "3 1 0 75.00" in staff_open  # 찬성 반대 기권 평균 columns
    client.force_login(voted.members[0])
    member_open = _flat(client.get(detail).content.decode())
    assert "찬성 3 · 반대 1 · 기권 0 (의결 참여 4명)" in member_open and "75.00" in member_open

    voted.close()
    item.refresh_from_db()
    assert (item.yes_count, item.no_count, item.abstain_count, item.eligible_count) == (3, 1, 0, 4)
    assert str(item.average_score) == "75.00"
    client.force_login(voted.staff)
    assert "3 1 0 75.00" in _flat(client.get(detail).content.decode())
    results = _flat(client.get(reverse("loans:meeting_results", args=[voted.meeting.pk])).content.decode())
    assert "75.00 3/1/0" in results
    minutes, _ = pdf_text_and_fonts(
        client.get(reverse("loans:meeting_minutes_pdf", args=[voted.meeting.pk])).content
    )
    assert "찬성 3명, 반대 1명, 기권 0명 (의결 참여 4명)" in " ".join(minutes.split()) and "75.00" in minutes
    client.force_login(voted.members[1])
    member_closed = _flat(client.get(detail).content.decode())
    assert "찬성 3 · 반대 1 · 기권 0 (의결 참여 4명)" in member_closed and "75.00" in member_closed
    assert "69.00" not in member_closed and "반대 2" not in member_closed


def test_a_recused_members_results_hide_the_items_rank_score_and_amounts(client, make_committee):
    c = make_committee(members=3, requested=[70_000_000, 30_000_000])
    services.item_recuse(item=c.items[0], member=c.members[0], reason="친족 운영 업체")
    for item in c.items:
        c.vote(item, c.members[1:])
        c.score(item, c.members[1], 9)
    c.close()
    client.force_login(c.members[0])
    results = _flat(client.get(reverse("loans:meeting_results", args=[c.meeting.pk])).content.decode())
    assert "회피 원안가결 회피한 안건" in results
    assert "70,000,000" not in results and "30,000,000" in results
    client.force_login(c.staff)
    staff = client.get(reverse("loans:meeting_results", args=[c.meeting.pk])).content.decode()
    assert "70,000,000" in staff
    assert reverse("loans:application_detail", args=[c.items[0].application_id]) in staff


def test_the_scoring_form_shows_each_rubric_items_weight(client, committee):
    client.force_login(committee.members[0])
    body = client.get(reverse("loans:meeting_detail", args=[committee.meeting.pk])).content.decode()
    for label in ("사업성 (0~10점, 가중치 40/100)", "지역기여도 (0~10점, 가중치 10/100)"):
        assert label in body


def test_a_members_meeting_list_counts_every_member_and_who_attended(client, make_committee):
    c = make_committee(members=5)
    c.attend(*c.members[:4])
    client.force_login(c.members[0])
    row = _flat(client.get(reverse("loans:meeting_list")).content.decode())
    assert f"{c.meeting.title} {c.call.title} 진행중 5 4 3" in row
