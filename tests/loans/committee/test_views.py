"""The committee pages: who sees which meeting, forms through the services, constant queries."""

import datetime
import re

import pytest
from django.urls import reverse

from guro_sme.roles import Role
from loans.committee import services
from loans.committee.models import CommitteeMeeting, Vote
from loans.committee.permissions import member_may_see_application
from loans.committee.selectors import AGENDA_PER_PAGE, attention_items
from loans.models import LoanApplication


def _detail(meeting):
    return reverse("loans:meeting_detail", args=[meeting.pk])


def _item_url(name, item):
    return reverse(f"loans:{name}", args=[item.meeting_id, item.pk])


def test_a_member_sees_only_the_meetings_they_sit_on(client, make_committee):
    mine = make_committee(members=2)
    other = make_committee(members=2)
    client.force_login(mine.members[0])
    body = client.get(reverse("loans:meeting_list")).content.decode()
    assert mine.meeting.title in body and other.meeting.title not in body
    assert client.get(_detail(mine.meeting)).status_code == 200
    assert client.get(_detail(other.meeting)).status_code == 404
    item = other.items[0]
    response = client.post(_item_url("meeting_item_vote", item), {f"i{item.pk}-choice": "yes"})
    assert response.status_code == 404
    assert not Vote.objects.exists()


def test_staff_and_managers_see_every_meeting(client, make_committee):
    first, second = make_committee(members=2), make_committee(members=2)
    for user in (first.staff, first.manager):
        client.force_login(user)
        body = client.get(reverse("loans:meeting_list")).content.decode()
        assert first.meeting.title in body and second.meeting.title in body
        assert client.get(_detail(second.meeting)).status_code == 200


@pytest.mark.parametrize("name", ["meeting_list", "meeting_detail", "meeting_results", "meeting_create"])
def test_a_user_without_a_role_is_refused(norole_client, committee, name):
    args = [] if name in ("meeting_list", "meeting_create") else [committee.meeting.pk]
    response = norole_client.get(reverse(f"loans:{name}", args=args))
    assert response.status_code == 403
    assert "권한이 없습니다" in response.content.decode()


def test_the_meeting_list_runs_a_constant_number_of_queries(
    client, make_committee, django_assert_max_num_queries
):
    first = make_committee(members=3)
    client.force_login(first.members[0])
    with django_assert_max_num_queries(8):
        assert client.get(reverse("loans:meeting_list")).status_code == 200
    for _ in range(5):
        make_committee(members=3, member_users=first.members, staff=first.staff, manager=first.manager)
    for user in (first.members[0], first.staff):
        client.force_login(user)
        with django_assert_max_num_queries(8):
            response = client.get(reverse("loans:meeting_list"))
        assert response.content.decode().count("기금운용심의위원회</a></td>") == 6


@pytest.mark.parametrize("size", [3, 30])
def test_the_agenda_runs_a_constant_number_of_queries(
    client, make_committee, django_assert_max_num_queries, size
):
    c = make_committee(members=5, requested=[10_000_000] * size)
    for item in c.items:
        c.score(item, c.members[0], 7)
        c.score(item, c.members[1], 8)
        c.vote(item, c.members[:3])
    services.item_recuse(item=c.items[1], member=c.members[0], reason="이해관계")
    for user in (c.members[0], c.staff, c.manager):
        client.force_login(user)
        with django_assert_max_num_queries(
            26
        ):  # same at 3 and 30 items (one is the access-log row); one counts the agenda's pages
            response = client.get(_detail(c.meeting))
        assert response.status_code == 200
        assert len(re.findall(r'id="item-\d+"', response.content.decode())) == min(size, AGENDA_PER_PAGE)


def test_the_member_view_hides_a_recused_item_and_shows_scores_only_after_their_own(client, committee):
    first, second, _third = committee.items
    me, other = committee.members[0], committee.members[1]
    committee.score(first, other, [9, 9, 9, 9])
    committee.score(second, other, [3, 3, 3, 3])
    committee.vote(second, [other], "no")
    services.item_recuse(item=second, member=me, reason="대표자와 동업 관계")
    client.force_login(me)

    body = client.get(_detail(committee.meeting)).content.decode()
    assert "회피 신청함 (사유: 대표자와 동업 관계)" in body
    assert "본인 점수를 제출하면 다른 위원의 점수를 볼 수 있습니다." in body
    assert ">9<" not in body and ">3<" not in body  # nobody's scores yet, and never item 2's

    committee.score(first, me, [5, 5, 5, 5])
    body = client.get(_detail(committee.meeting)).content.decode()
    assert ">9<" in body  # the other member's scores on item 1
    assert ">3<" not in body  # item 2 stays hidden
    assert member_may_see_application(me, first.application)
    assert not member_may_see_application(me, second.application)


def test_a_member_scores_and_votes_through_the_forms(client, committee):
    item, me = committee.items[0], committee.members[0]
    client.force_login(me)
    data = {f"i{item.pk}-r{r.pk}": "8" for r in committee.rubric}
    response = client.post(_item_url("meeting_item_score", item), data, follow=True)
    assert "점수를 제출했습니다" in response.content.decode()
    response = client.post(
        _item_url("meeting_item_vote", item),
        {f"i{item.pk}-choice": "yes", f"i{item.pk}-comment": "적정"},
        follow=True,
    )
    assert "표결했습니다" in response.content.decode()
    assert Vote.objects.get(item=item, member=me).comment == "적정"


def test_bad_scores_are_refused_with_a_message_and_nothing_is_written(client, committee):
    item = committee.items[0]
    client.force_login(committee.members[0])
    data = {f"i{item.pk}-r{r.pk}": "99" for r in committee.rubric}
    response = client.post(_item_url("meeting_item_score", item), data, follow=True)
    assert "0점부터 10점까지입니다" in response.content.decode()
    data = {f"i{item.pk}-r{r.pk}": "abc" for r in committee.rubric}
    response = client.post(_item_url("meeting_item_score", item), data, follow=True)
    assert response.status_code == 200 and "숫자로 입력하세요" in response.content.decode()
    assert not item.scores.exists()


def test_a_vote_after_closing_is_refused_with_a_message(client, committee):
    committee.attend(*committee.members)
    committee.close()
    item = committee.items[0]
    client.force_login(committee.members[0])
    response = client.post(_item_url("meeting_item_vote", item), {f"i{item.pk}-choice": "yes"}, follow=True)
    assert "이미 종료된 회의입니다" in response.content.decode()
    assert not Vote.objects.exists()


def test_a_committee_member_cannot_close_the_meeting(client, committee):
    committee.attend(*committee.members)
    client.force_login(committee.members[0])
    response = client.post(reverse("loans:meeting_close", args=[committee.meeting.pk]))
    assert response.status_code == 403
    assert committee.refresh().meeting.status == CommitteeMeeting.Status.OPEN


def test_closing_without_quorum_shows_the_reason(client, make_committee):
    committee = make_committee(present=False)
    client.force_login(committee.staff)
    response = client.post(
        reverse("loans:meeting_close", args=[committee.meeting.pk]), {"confirmed": "1"}, follow=True
    )
    assert "의사정족수에 미달하여" in response.content.decode()


def test_closing_asks_first_and_says_how_many_items_are_decided(client, committee):
    committee.attend(*committee.members)
    client.force_login(committee.staff)
    url = reverse("loans:meeting_close", args=[committee.meeting.pk])
    for response in (client.get(url), client.post(url)):  # the no-JavaScript confirmation step
        body = response.content.decode()
        assert response.status_code == 200
        assert "안건 3건이 의결되고 회의가 종료됩니다. 되돌릴 수 없습니다." in body
        assert 'name="confirmed" value="1"' in body
        assert committee.refresh().meeting.status == CommitteeMeeting.Status.OPEN
    page = client.get(committee.meeting.get_absolute_url()).content.decode()
    assert 'data-confirm="안건 3건이 의결되고 회의가 종료됩니다. 되돌릴 수 없습니다."' in page
    client.post(url, {"confirmed": "1"})
    assert committee.refresh().meeting.status == CommitteeMeeting.Status.CLOSED


def test_removing_an_item_asks_first(client, committee):
    item = committee.items[0]
    client.force_login(committee.staff)
    body = client.post(_item_url("meeting_item_remove", item)).content.decode()
    assert "이 회의의 안건에서 빠지고 요건검토로 돌아갑니다" in body
    assert committee.meeting.items.count() == 3


def test_a_manager_closes_and_sees_the_ranked_results(client, committee):
    committee.attend(*committee.members)
    for item, value in zip(committee.items, [5, 9, 7], strict=True):
        committee.vote(item, committee.members)
        committee.score(item, committee.members[0], value)
    client.force_login(committee.manager)
    response = client.post(
        reverse("loans:meeting_close", args=[committee.meeting.pk]), {"confirmed": "1"}, follow=True
    )
    body = response.content.decode()
    assert "종료하고 안건을 의결했습니다" in body
    firms = [i.application.firm.name for i in committee.items]
    assert body.index(firms[1]) < body.index(firms[2]) < body.index(firms[0])
    results = body.split('class="card history-trail"')[0]  # the manager's 변경 이력 box repeats them
    assert results.count("원안가결") == 3


def test_staff_create_a_meeting_with_the_calls_members_by_default(client, committee, make_firm):
    application = LoanApplication.objects.create(
        firm=make_firm(),
        call=committee.call,
        fund=committee.fund,
        requested_amount_won=5_000_000,
        purpose="operating",
        status=LoanApplication.Status.REVIEW,
        created_by=committee.staff,
    )
    client.force_login(committee.staff)
    assert client.get(reverse("loans:meeting_create")).status_code == 200
    response = client.post(
        reverse("loans:meeting_create"),
        {"call": committee.call.pk, "title": "추가 회의", "held_on": "2018-03-02", "place": "구청"},
    )
    meeting = CommitteeMeeting.objects.get(title="추가 회의")
    assert response.status_code == 302 and response["Location"] == _detail(meeting)
    assert meeting.memberships.count() == 5
    assert [i.application_id for i in meeting.items.all()] == [application.pk]
    assert meeting.held_on == datetime.date(2018, 3, 2)


def test_a_bad_meeting_form_writes_nothing(client, committee):
    client.force_login(committee.staff)
    response = client.post(reverse("loans:meeting_create"), {"call": "999", "title": "", "held_on": "어제"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "목록에 있는 공고를 선택하세요." in body and "YYYY-MM-DD" in body
    assert CommitteeMeeting.objects.count() == 1


def test_managers_and_members_cannot_create_meetings(client, committee):
    for user in (committee.manager, committee.members[0]):
        client.force_login(user)
        assert client.get(reverse("loans:meeting_create")).status_code == 403


def test_staff_record_attendance(client, committee):
    client.force_login(committee.staff)
    url = reverse("loans:meeting_attendance", args=[committee.meeting.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"present": [m.pk for m in committee.members[:3]]})
    assert response.status_code == 302
    assert committee.meeting.memberships.filter(present=True).count() == 3
    response = client.post(url, {"present": ["999999"]})
    assert "이 회의의 위원만 선택할 수 있습니다." in response.content.decode()
    assert committee.meeting.memberships.filter(present=True).count() == 3


def test_staff_enter_the_committee_amount(client, committee):
    item = committee.items[0]
    client.force_login(committee.staff)
    client.post(_item_url("meeting_item_amount", item), {f"i{item.pk}-amount_won": "60000000"})
    item.refresh_from_db()
    assert item.committee_amount_won == 60_000_000
    response = client.post(
        _item_url("meeting_item_amount", item), {f"i{item.pk}-amount_won": "999999999"}, follow=True
    )
    assert "신청 금액(100,000,000원) 이하" in response.content.decode()
    client.force_login(committee.members[0])
    assert (
        client.post(_item_url("meeting_item_amount", item), {f"i{item.pk}-amount_won": "1"}).status_code
        == 403
    )


def test_staff_promote_the_next_reserve_from_the_results_page(client, make_committee):
    c = make_committee(members=3, requested=[100_000_000, 100_000_000], allocation=100_000_000)
    c.attend(*c.members)
    for item, value in zip(c.items, [9, 5], strict=True):
        c.vote(item, c.members)
        c.score(item, c.members[0], value)
    c.close()
    client.force_login(c.staff)
    body = client.get(reverse("loans:meeting_results", args=[c.meeting.pk])).content.decode()
    assert "예비 1순위" in body
    from loans import services as loan_services

    loan_services.application_withdraw(application=c.items[0].application, actor=c.staff)
    response = client.post(reverse("loans:meeting_promote", args=[c.meeting.pk]), {}, follow=True)
    assert "예비 1순위" in response.content.decode() and "선정했습니다" in response.content.decode()
    assert c.status_of(c.items[1]) == LoanApplication.Status.SELECTED


def test_attention_items_count_a_members_items_still_waiting_for_their_vote(
    committee, django_assert_num_queries
):
    me = committee.members[0]
    committee.vote(committee.items[0], [me])
    services.item_recuse(item=committee.items[1], member=me, reason="이해관계")
    me = type(me).objects.get(pk=me.pk)  # roles not cached yet
    with django_assert_num_queries(2):  # the user's roles, then one count
        items = attention_items(me)
    assert [(i.label, i.count, i.url) for i in items] == [("심의할 안건", 1, reverse("loans:meeting_list"))]
    committee.attend(*committee.members)
    committee.close()
    assert attention_items(me) == []
    assert attention_items(committee.staff) == []


def test_staff_see_the_meetings_still_open_on_the_home_page(committee):
    items = attention_items(committee.staff)
    assert [(i.label, i.count) for i in items] == [("의결 전 심의위원회 회의", 1)]


def test_the_home_page_shows_a_member_what_waits_for_their_vote(client, committee):
    client.force_login(committee.members[0])
    body = client.get("/").content.decode()
    assert "심의할 안건" in body


@pytest.mark.parametrize("role", [Role.STAFF, Role.MANAGER])
def test_staff_and_managers_get_the_staff_view_with_the_close_button(client, committee, role):
    client.force_login(committee.staff if role == Role.STAFF else committee.manager)
    body = client.get(_detail(committee.meeting)).content.decode()
    assert "회의 종료 및 의결" in body
    assert ("출석 기록" in body) is (role == Role.STAFF)


def test_staff_set_a_meeting_budget_per_fund(client, committee):
    client.force_login(committee.staff)
    url = reverse("loans:meeting_budget", args=[committee.meeting.pk])
    response = client.post(url, {"fund": committee.fund.pk, "amount_won": "150000000"}, follow=True)
    assert "150,000,000원으로 정했습니다" in response.content.decode()
    assert "150,000,000원" in client.get(_detail(committee.meeting)).content.decode()
    response = client.post(url, {"fund": "999999", "amount_won": "1"}, follow=True)
    assert "이 공고의 기금을 선택하세요." in response.content.decode()
    response = client.post(url, {"fund": committee.fund.pk, "amount_won": "많이"}, follow=True)
    assert "원 단위 숫자로" in response.content.decode()


def test_a_member_downloads_documents_only_of_items_they_did_not_recuse_from(
    client, committee, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from loans.models import ApplicationDocument

    settings.MEDIA_ROOT = tmp_path
    first, second = committee.items[0], committee.items[1]
    docs = [
        ApplicationDocument.objects.create(
            application=item.application,
            title=f"사업계획서 {n}",
            file=SimpleUploadedFile("plan.pdf", b"%PDF-1.4 test"),
            original_name="plan.pdf",
            content_type="application/pdf",
            size_bytes=13,
            uploaded_by=committee.staff,
        )
        for n, item in enumerate((first, second), start=1)
    ]
    me = committee.members[0]
    services.item_recuse(item=second, member=me, reason="이해관계")
    client.force_login(me)
    body = client.get(_detail(committee.meeting)).content.decode()
    assert "사업계획서 1" in body and "사업계획서 2" not in body
    assert client.get(reverse("loans:document_download", args=[docs[0].pk])).status_code == 200
    assert client.get(reverse("loans:document_download", args=[docs[1].pk])).status_code == 403


def test_staff_remove_an_item_from_the_agenda_page(client, committee):
    item = committee.items[0]
    client.force_login(committee.staff)
    response = client.post(_item_url("meeting_item_remove", item), {"confirmed": "1"}, follow=True)
    assert "안건에서 제외했습니다" in response.content.decode()
    assert committee.meeting.items.count() == 2
    client.force_login(committee.manager)
    assert client.post(_item_url("meeting_item_remove", committee.items[1])).status_code == 403


def test_a_member_sees_no_score_or_vote_of_a_recused_item_on_the_results(client, committee):
    committee.attend(*committee.members)
    services.item_recuse(item=committee.items[0], member=committee.members[0], reason="이해관계")
    for item in committee.items:
        committee.vote(item, committee.members[1:])
        committee.score(item, committee.members[1], 9)
    committee.close()
    client.force_login(committee.members[0])
    body = client.get(reverse("loans:meeting_results", args=[committee.meeting.pk])).content.decode()
    assert body.count("회피</td>") == 1
    assert body.count("90.00") == 2


def test_the_admin_lists_meetings_and_the_audit_trail(client, committee, django_user_model):
    admin_user = django_user_model.objects.create_superuser("root", password="x-pass-1234")
    client.force_login(admin_user)
    assert client.get("/admin/committee/committeemeeting/").status_code == 200
    assert client.get(f"/admin/committee/committeemeeting/{committee.meeting.pk}/change/").status_code == 200
    assert client.get("/admin/committee/committeeaction/").status_code == 200


def test_a_long_agenda_is_paged_for_members_and_staff(client, make_committee):
    c = make_committee(members=2, requested=[10_000_000] * (AGENDA_PER_PAGE + 3))
    for user in (c.members[0], c.staff):
        client.force_login(user)
        first = client.get(_detail(c.meeting)).content.decode()
        second = client.get(_detail(c.meeting) + "?page=2").content.decode()
        assert len(re.findall(r'id="item-\d+"', first)) == AGENDA_PER_PAGE
        assert len(re.findall(r'id="item-\d+"', second)) == 3
        assert "1 / 2쪽" in first and "다음 쪽" in first and "이전 쪽" in second
        assert f'id="item-{c.items[-1].pk}"' in second


def test_the_meeting_list_is_paginated(client, make_committee, settings, monkeypatch):
    from loans.committee import selectors

    monkeypatch.setattr(selectors, "MEETINGS_PER_PAGE", 2)
    first = make_committee(members=2)
    for _ in range(2):
        make_committee(members=2, member_users=first.members, staff=first.staff, manager=first.manager)
    client.force_login(first.staff)
    page_one = client.get(reverse("loans:meeting_list")).content.decode()
    page_two = client.get(reverse("loans:meeting_list") + "?page=2").content.decode()
    junk = client.get(reverse("loans:meeting_list") + "?page=abc")
    assert page_one.count("기금운용심의위원회</a></td>") == 2
    assert "1 / 2쪽" in page_one and "다음 쪽" in page_one
    assert page_two.count("기금운용심의위원회</a></td>") == 1
    assert "이전 쪽" in page_two
    assert junk.status_code == 200
