"""The agenda page writes each item's forms out in its template (one Form per item was most of its
time): they must be the very fields the Form classes render and the POST views parse — names, ids,
labels, limits, initial values — and cost the same queries at any agenda size."""

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.html import parse_html
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from loans.committee import services
from loans.committee.forms import HoldForm, ObjectionForm, RecusalForm, ScoreForm, VoteForm
from loans.committee.models import ConflictFlag
from loans.committee.selectors import meeting_memberships


def _page(client, meeting):
    response = client.get(reverse("loans:meeting_detail", args=[meeting.pk]))
    assert response.status_code == 200
    return parse_html(response.content.decode())


def _fields(form):
    """The form as the site lays forms out (includes/form.html)."""
    return parse_html(render_to_string("includes/form.html", {"form": form}))


def test_a_members_score_vote_and_recusal_fields_are_the_forms(client, committee):
    scored, voted, flagged = committee.items
    me = committee.members[0]
    committee.score(scored, me, [7, 8, 9, 10])
    services.item_vote(item=voted, member=me, choice="no", comment="재원 & <검토> 필요")
    ConflictFlag.objects.create(item=flagged, member=me, ground="대표자와 친족")
    client.force_login(me)
    page = _page(client, committee.meeting)

    my_scores = {r.pk: v for r, v in zip(committee.rubric, [7, 8, 9, 10], strict=True)}
    for item, scores in ((scored, my_scores), (voted, None)):
        assert (
            page.count(
                _fields(ScoreForm(rubric=committee.rubric, initial_scores=scores, prefix=f"i{item.pk}"))
            )
            == 1
        )
    assert page.count(_fields(VoteForm(prefix=f"i{scored.pk}"))) == 1
    vote = VoteForm(prefix=f"i{voted.pk}", initial={"choice": "no", "comment": "재원 & <검토> 필요"})
    assert page.count(_fields(vote)) == 1
    for item in (scored, voted):
        assert page.count(_fields(RecusalForm(prefix=f"i{item.pk}"))) == 1
    # A flagged item offers only the recusal, its reason filled in with the ground.
    assert (
        page.count(
            _fields(RecusalForm(prefix=f"i{flagged.pk}", initial={"reason": "제척 사유: 대표자와 친족"}))
        )
        == 1
    )
    assert page.count(_fields(ScoreForm(rubric=committee.rubric, prefix=f"i{flagged.pk}"))) == 0


def test_staffs_objection_and_hold_fields_are_the_forms(client, committee):
    client.force_login(committee.staff)
    page = _page(client, committee.meeting)
    memberships = meeting_memberships(committee.meeting)
    for item in committee.items:
        assert page.count(_fields(ObjectionForm(prefix=f"o{item.pk}", memberships=memberships))) == 1
        assert page.count(_fields(HoldForm(prefix=f"h{item.pk}"))) == 1


def test_the_fields_written_out_post_back_through_the_forms(client, committee):
    item, me = committee.items[0], committee.members[0]
    client.force_login(me)
    body = client.get(reverse("loans:meeting_detail", args=[committee.meeting.pk])).content.decode()
    data = {f"i{item.pk}-r{r.pk}": "6" for r in committee.rubric}
    assert all(f'name="{name}"' in body for name in data)
    client.post(reverse("loans:meeting_item_score", args=[committee.meeting.pk, item.pk]), data)
    assert item.scores.filter(member=me, score=6).count() == len(committee.rubric)


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("closed", [False, True])
def test_the_agenda_and_results_cost_the_same_queries_at_3_and_30_items(client, make_committee, closed):
    counts = []
    for size in (3, 30):
        c = make_committee(members=5, requested=[10_000_000] * size)
        for item in c.items:
            c.score(item, c.members[0], 7)
            c.vote(item, c.members[:3])
        services.item_recuse(item=c.items[1], member=c.members[1], reason="이해관계")
        objection = services.objection_record(
            item=c.items[2], member=c.members[2], reason="공정성", actor=c.staff
        )
        if closed:
            services.objection_decide(
                objection=objection, accepted=False, yes_count=0, no_count=3, actor=c.staff
            )
            c.close()
        urls = [reverse("loans:meeting_detail", args=[c.meeting.pk])]
        if closed:
            urls.append(reverse("loans:meeting_results", args=[c.meeting.pk]))
        per_user = []
        for user in (c.members[0], c.members[1], c.staff, c.manager):
            client.force_login(user)
            per_user.extend(_queries(client, url) for url in urls)
        counts.append(per_user)
    assert counts[0] == counts[1]
