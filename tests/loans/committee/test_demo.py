"""The committee demo: a closed January meeting with every kind of result, an open July meeting
where member1 still has to vote, and running it twice changes nothing."""

from django.contrib.auth import get_user_model

from loans.committee import demo
from loans.committee.models import AgendaItem, CommitteeAction, CommitteeMeeting, Recusal, Score, Vote
from loans.committee.selectors import attention_items


def _counts():
    return [m.objects.count() for m in (CommitteeMeeting, AgendaItem, Recusal, Score, Vote, CommitteeAction)]


def test_the_demo_builds_a_closed_and_an_open_meeting_once(demo_state):
    demo_state("committee")  # core, loans, then this demo.load()
    first = _counts()
    demo.load()
    assert _counts() == first

    closed = CommitteeMeeting.objects.get(status="closed")
    assert closed.memberships.count() == 7 and closed.memberships.filter(present=True).count() == 6
    results = set(closed.items.values_list("result", flat=True))
    assert results == {"original", "amended", "rejected"}
    assert closed.items.filter(reserve_rank=1, application__status="reserve").exists()
    assert Recusal.objects.filter(item__meeting=closed).count() == 1

    open_meeting = CommitteeMeeting.objects.get(status="open")
    member1 = get_user_model().objects.get(username="member1")
    assert open_meeting.memberships.filter(member=member1).exists()
    waiting = attention_items(member1)
    assert waiting and waiting[0].count == open_meeting.items.count() >= 2
