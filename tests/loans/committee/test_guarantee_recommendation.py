"""구 추천 by the committee (보증특례 with 구 추천 방식 = 심의위원회): the guarantee application staff put
on the agenda goes to the next meeting, its vote decides it, and the recommendation is recorded with
that closed meeting, whose decision goes on the timeline."""

import datetime
import html

import pytest
from django.urls import reverse

from loans import services as loan_services
from loans.committee import services
from loans.committee.notices import decided_items
from loans.models import LoanApplication, LoanFund
from loans.services import LoanRuleError

S = LoanApplication.Status
OCTOBER = datetime.date(2018, 10, 15)


@pytest.fixture
def on_agenda(loan_funds, loan_firm, staff_user):
    """A guarantee application (no call) of a committee-recommending fund, put on the agenda."""
    fund = loan_funds["guarantee"]
    fund.recommended_by = LoanFund.RecommendedBy.COMMITTEE
    fund.save()
    application = LoanApplication(
        firm=loan_firm(firm_type="small_business", name="개봉꽃집"),
        call=None,
        fund=fund,
        requested_amount_won=30_000_000,
        purpose="operating",
    )
    loan_services.application_submit(application=application, actor=staff_user, on_date=OCTOBER)
    loan_services.application_start_review(application=application, actor=staff_user)
    return loan_services.application_put_on_agenda(application=application, actor=staff_user)


def decide(make_committee, staff_user, application, choice, amount=None):
    committee = make_committee(requested=(100_000_000,), staff=staff_user)
    item = next(i for i in committee.items if i.application_id == application.pk)
    if amount is not None:
        services.item_set_amount(item=item, amount_won=amount, actor=staff_user)
    committee.vote(item, committee.members, choice)
    committee.close()
    item.refresh_from_db()
    application.refresh_from_db()
    return committee, item


def recommend(application, staff_user, meeting=None, amount=30_000_000):
    return loan_services.application_recommend(
        application=application, amount_won=amount, actor=staff_user, meeting=meeting
    )


def test_the_next_meeting_takes_the_guarantee_application_and_its_vote_decides_it(
    make_committee, staff_user, on_agenda
):
    committee, item = decide(make_committee, staff_user, on_agenda, "yes")
    assert item.result == item.Result.ORIGINAL and item.approved_amount_won == 30_000_000
    # Not granted from the call's fund and not 선정: it waits for the recommendation.
    assert on_agenda.status == S.ON_AGENDA
    assert item not in decided_items(committee.meeting)  # no 선정 통지서 for the guarantee path


def test_the_committee_fund_refuses_a_recommendation_without_a_closed_meeting(
    make_committee, staff_user, on_agenda
):
    with pytest.raises(LoanRuleError, match="의결한 종료된 심의위원회 회의를 고르세요"):
        recommend(on_agenda, staff_user)
    committee = make_committee(requested=(100_000_000,), staff=staff_user)  # still open
    with pytest.raises(LoanRuleError, match="종료된 심의위원회 회의가 아닙니다"):
        recommend(on_agenda, staff_user, meeting=committee.meeting.pk)
    on_agenda.refresh_from_db()
    assert on_agenda.status == S.ON_AGENDA and not on_agenda.events.filter(to_status=S.RECOMMENDED).exists()


def test_the_recommendation_follows_the_meetings_decision_and_records_it_on_the_timeline(
    make_committee, staff_user, on_agenda
):
    committee, _ = decide(make_committee, staff_user, on_agenda, "yes", amount=25_000_000)
    with pytest.raises(LoanRuleError, match="심의위원회 의결 금액 25,000,000원보다 많습니다"):
        recommend(on_agenda, staff_user, meeting=committee.meeting.pk, amount=30_000_000)
    recommend(on_agenda, staff_user, meeting=committee.meeting.pk, amount=25_000_000)
    assert on_agenda.status == S.RECOMMENDED and on_agenda.approved_amount_won == 25_000_000
    event = on_agenda.events.last()
    assert event.to_status == S.RECOMMENDED and event.actor == staff_user
    assert committee.meeting.title in event.reason
    assert "수정가결: 찬성 5·반대 0·기권 0 (의결 참여 5명)" in event.reason


def test_a_meeting_that_did_not_pass_it_sends_it_back_and_cannot_be_recommended_from(
    make_committee, staff_user, on_agenda
):
    committee, item = decide(make_committee, staff_user, on_agenda, "no")
    assert item.result == item.Result.REJECTED
    assert on_agenda.status == S.REVIEW  # back to 요건검토: 탈락, or 재상정 for a later meeting
    loan_services.application_put_on_agenda(application=on_agenda, actor=staff_user)
    with pytest.raises(LoanRuleError, match="가결되지 않은 신청은 구 추천할 수 없습니다"):
        recommend(on_agenda, staff_user, meeting=committee.meeting.pk)


def test_staff_pick_the_meeting_on_the_application_page(make_committee, staff_user, staff_client, on_agenda):
    committee, _ = decide(make_committee, staff_user, on_agenda, "yes")
    page = html.unescape(staff_client.get(on_agenda.get_absolute_url()).content.decode())
    assert f'<option value="{committee.meeting.pk}">{committee.meeting.title}' in page
    url = reverse("loans:application_action", args=[on_agenda.pk])
    refused = staff_client.post(url, {"action": "recommend", "amount_won": "30000000"}, follow=True)
    assert "회의를 고르세요" in html.unescape(refused.content.decode())
    staff_client.post(
        url, {"action": "recommend", "amount_won": "30000000", "meeting": str(committee.meeting.pk)}
    )
    on_agenda.refresh_from_db()
    assert on_agenda.status == S.RECOMMENDED


# --- 안건 제외 / 보류 on the guarantee path: the application waits for the next meeting (#16) ----------


def next_meeting(make_committee, staff_user):
    """Another meeting (of another call): meeting_create takes every guarantee application waiting."""
    return make_committee(requested=(100_000_000,), staff=staff_user)


def item_of(committee, application):
    return next((i for i in committee.items if i.application_id == application.pk), None)


def test_an_application_taken_off_the_agenda_goes_to_the_next_meeting_and_only_its_vote_counts(
    make_committee, staff_user, on_agenda
):
    first = next_meeting(make_committee, staff_user)
    item = item_of(first, on_agenda)
    first.vote(item, first.members, "yes")  # it would have passed
    services.item_remove(item=item, actor=staff_user, reason="대표자 변경 서류 보완")
    on_agenda.refresh_from_db()
    assert on_agenda.status == S.ON_AGENDA  # waiting for the next meeting, not stuck in 요건검토
    removed, waiting = on_agenda.events.order_by("-at", "-pk")[:2][::-1]
    assert (removed.from_status, removed.to_status, removed.actor) == (S.ON_AGENDA, S.REVIEW, staff_user)
    assert first.meeting.title in removed.reason and "대표자 변경 서류 보완" in removed.reason
    assert (waiting.from_status, waiting.to_status, waiting.actor) == (S.REVIEW, S.ON_AGENDA, staff_user)
    assert "다음 심의위원회 회의" in waiting.reason
    # The votes given before the removal stay in the committee's audit trail.
    assert "제외 전 찬성 5·반대 0" in first.meeting.actions.get(kind="remove").detail
    first.close()
    # The meeting it was taken off decided nothing on it: no 구 추천 with that meeting.
    with pytest.raises(LoanRuleError, match="종료된 심의위원회 회의가 아닙니다"):
        recommend(on_agenda, staff_user, meeting=first.meeting.pk)

    second = next_meeting(make_committee, staff_user)
    again = item_of(second, on_agenda)
    assert again is not None  # the next meeting took it, and it is voted again
    second.vote(again, second.members, "yes")
    second.close()
    with pytest.raises(LoanRuleError, match="종료된 심의위원회 회의가 아닙니다"):
        recommend(on_agenda, staff_user, meeting=first.meeting.pk)
    recommend(on_agenda, staff_user, meeting=second.meeting.pk)
    on_agenda.refresh_from_db()
    assert on_agenda.status == S.RECOMMENDED
    assert second.meeting.title in on_agenda.events.last().reason
    # A third meeting does not take it again.
    assert item_of(next_meeting(make_committee, staff_user), on_agenda) is None


def test_a_removed_application_the_next_meeting_rejects_cannot_be_recommended(
    make_committee, staff_user, on_agenda
):
    first = next_meeting(make_committee, staff_user)
    services.item_remove(item=item_of(first, on_agenda), actor=staff_user, reason="다음 회의로")
    second = next_meeting(make_committee, staff_user)
    again = item_of(second, on_agenda)
    second.vote(again, second.members, "no")
    second.close()
    on_agenda.refresh_from_db()
    assert on_agenda.status == S.REVIEW  # 부결: back to 요건검토 (탈락, or 재상정 by staff)
    loan_services.application_put_on_agenda(application=on_agenda, actor=staff_user)
    for meeting in (first.meeting, second.meeting):
        with pytest.raises(LoanRuleError):
            recommend(on_agenda, staff_user, meeting=meeting.pk)
    assert not on_agenda.events.filter(to_status=S.RECOMMENDED).exists()


def test_a_held_guarantee_item_goes_to_the_next_meeting_even_while_its_meeting_is_open(
    make_committee, staff_user, on_agenda
):
    first = next_meeting(make_committee, staff_user)
    held = item_of(first, on_agenda)
    services.item_hold(item=held, reason="현장 확인 후 재심의", actor=staff_user)
    on_agenda.refresh_from_db()
    assert on_agenda.status == S.ON_AGENDA
    assert "보류" in on_agenda.events.order_by("pk").reverse()[1].reason
    second = next_meeting(make_committee, staff_user)  # the first is still open
    assert item_of(second, on_agenda) is not None
    first.close()
    held.refresh_from_db()
    assert held.result == held.Result.HELD  # the held item stays in the first meeting's minutes
    second.vote(item_of(second, on_agenda), second.members, "yes")
    second.close()
    with pytest.raises(LoanRuleError, match="종료된 심의위원회 회의가 아닙니다"):
        recommend(on_agenda, staff_user, meeting=first.meeting.pk)
    recommend(on_agenda, staff_user, meeting=second.meeting.pk)


def test_a_call_application_taken_off_the_agenda_goes_to_its_calls_next_meeting(make_committee):
    committee = make_committee(requested=(100_000_000, 50_000_000))
    item = committee.items[0]
    services.item_remove(item=item, actor=committee.staff, reason="서류 보완")
    assert committee.status_of(item) == S.REVIEW
    committee.vote(committee.items[1], committee.members)
    committee.close()
    later = make_committee(call=committee.call, fund=committee.fund, requested=(), staff=committee.staff)
    assert [i.application_id for i in later.items] == [item.application_id]
    later.vote(later.items[0], later.members)
    later.close()
    assert later.status_of(later.items[0]) == S.SELECTED


def next_step(client, application):
    body = html.unescape(client.get(application.get_absolute_url()).content.decode())
    return (
        body.split("<dt>다음 단계</dt><dd>", 1)[1].split("</dd>", 1)[0]
        if "<dt>다음 단계</dt>" in body
        else ""
    )


def test_the_application_page_says_what_happens_next(make_committee, staff_user, staff_client, on_agenda):
    assert next_step(staff_client, on_agenda).startswith(
        "다음 심의위원회 회의를 등록하면 그 회의 안건에 오릅니다"
    )
    first = next_meeting(make_committee, staff_user)
    assert next_step(staff_client, on_agenda).startswith(f"{first.meeting.title} (2018.02.20) 안건입니다")
    services.item_hold(item=item_of(first, on_agenda), reason="현장 확인", actor=staff_user)
    # Held: its meeting will not decide it, the next one will.
    assert next_step(staff_client, on_agenda).startswith("다음 심의위원회 회의를 등록하면")
    second = next_meeting(make_committee, staff_user)
    services.item_remove(item=item_of(second, on_agenda), actor=staff_user, reason="서류 보완")
    assert next_step(staff_client, on_agenda).startswith("다음 심의위원회 회의를 등록하면")
    third = next_meeting(make_committee, staff_user)
    third.vote(item_of(third, on_agenda), third.members, "yes")
    third.close()
    assert next_step(staff_client, on_agenda) == (
        f"{third.meeting.title} (2018.02.20)에서 가결되었습니다(원안가결: 찬성 5·반대 0·기권 0 (의결 참여 5명)). "
        "그 회의를 골라 구 추천을 기록하세요."
    )
    # The timeline keeps every step: put on the agenda, off it at the first (보류) and second (제외)
    # meetings and back each time, with who and why.
    body = html.unescape(staff_client.get(on_agenda.get_absolute_url()).content.decode())
    for words in (
        f"{first.meeting.title} 보류: 현장 확인",
        f"{second.meeting.title} 안건에서 제외: 서류 보완",
    ):
        assert words in body
    assert body.count("다음 심의위원회 회의 안건으로 재상정") == 2
    loan_services.application_recommend(
        application=on_agenda, amount_won=30_000_000, actor=staff_user, meeting=third.meeting.pk
    )
    assert next_step(staff_client, on_agenda) == ""


def test_a_guarantee_application_in_review_says_it_waits_for_the_agenda(
    make_committee, staff_user, staff_client, on_agenda
):
    loan_services.application_remove_from_agenda(
        application=on_agenda, actor=staff_user, reason="요건 재검토"
    )
    assert next_step(staff_client, on_agenda) == "심의상정하면 다음 심의위원회 회의가 안건으로 올립니다."


@pytest.mark.parametrize("meetings", [1, 4])
def test_the_application_page_runs_a_constant_number_of_queries_after_meetings(
    make_committee, staff_user, staff_client, on_agenda, django_assert_max_num_queries, meetings
):
    for _ in range(meetings):
        c = next_meeting(make_committee, staff_user)
        services.item_remove(item=item_of(c, on_agenda), actor=staff_user, reason="서류 보완")
    c = next_meeting(make_committee, staff_user)
    c.vote(item_of(c, on_agenda), c.members, "yes")
    c.close()
    # The page reads the closed meetings' decisions and the open agendas once each, however many.
    with django_assert_max_num_queries(16):
        response = staff_client.get(on_agenda.get_absolute_url())
    assert "에서 가결되었습니다" in response.content.decode()


def test_removing_a_guarantee_item_asks_first_saying_it_waits_for_the_next_meeting(
    make_committee, staff_user, staff_client, on_agenda
):
    first = next_meeting(make_committee, staff_user)
    item = item_of(first, on_agenda)
    url = reverse("loans:meeting_item_remove", args=[first.meeting.pk, item.pk])
    body = html.unescape(staff_client.post(url).content.decode())
    assert "개봉꽃집이 이 회의의 안건에서 빠지고 심의상정 상태로 다음 심의위원회 회의를 기다립니다" in body
    assert first.meeting.items.filter(pk=item.pk).exists()  # asked, nothing written
    staff_client.post(url, {"confirmed": "1"})
    on_agenda.refresh_from_db()
    assert not first.meeting.items.filter(pk=item.pk).exists() and on_agenda.status == S.ON_AGENDA
