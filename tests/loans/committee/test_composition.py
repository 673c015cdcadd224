"""The committee by the law: composition rules as district data, terms, 제척 flags from declared
interests, 기피 objections decided with the vote, 보류, and minutes that members confirm and freeze."""

import datetime

import pytest
from django.urls import reverse

from guro_sme.korean import korean_name
from guro_sme.models import Firm
from loans.committee import services
from loans.committee.forms import MeetingForm
from loans.committee.models import (
    CommitteeMeeting,
    CompositionRule,
    ConflictFlag,
    InterestDeclaration,
    MemberProfile,
    Objection,
)
from loans.committee.rules import composition_breaches
from loans.committee.services import CommitteeRuleError
from loans.models import LoanApplication
from tests.pdftext import pdf_text_and_fonts

S = LoanApplication.Status


def _profiles(members, kinds, roles=None):
    for n, (member, kind) in enumerate(zip(members, kinds, strict=True)):
        MemberProfile.objects.filter(user=member).update(
            kind=kind, committee_role=(roles or {}).get(n, MemberProfile.CommitteeRole.MEMBER)
        )


def _create(c, members=None, held_on=datetime.date(2018, 2, 21)):
    return services.meeting_create(
        call=c.call, title="제2차 회의", held_on=held_on, members=members or c.members, actor=c.staff
    )


def test_the_civilian_share_and_the_chair_are_checked_by_the_rule(make_committee):
    assert (
        composition_breaches(
            members=[(True, "chair"), (False, "member"), (True, "member")],
            numerator=1,
            denominator=3,
            require_chair=True,
        )
        == []
    )
    breaches = composition_breaches(
        members=[(True, "member")] * 3, numerator=1, denominator=3, require_chair=True
    )
    assert "민간위원 비율 요건(공무원이 아닌 위원 1/3 이상) 미달: 3명 중 민간위원 0명" in breaches[0]
    assert "위원장" in breaches[1]
    c = make_committee(members=3, requested=[])
    _profiles(c.members, ["official"] * 3, {0: "chair"})
    with pytest.raises(
        CommitteeRuleError, match=r"구성 요건에 맞지 않아 회의 등록할 수 없습니다: 민간위원 비율 요건"
    ):
        _create(c)
    assert CommitteeMeeting.objects.count() == 1  # only the fixture's


def test_a_district_that_only_warns_gets_the_meeting_with_the_rule_named(make_committee):
    CompositionRule.objects.create(
        enforcement=CompositionRule.Enforcement.WARN, civilian_min_numerator=1, civilian_min_denominator=2
    )
    c = make_committee(members=3, requested=[])
    _profiles(c.members, ["official", "official", "expert"], {0: "chair"})
    meeting = _create(c)
    assert "공무원이 아닌 위원 1/2 이상" in meeting.composition_note


def test_a_member_whose_term_ended_is_refused_and_not_offered(make_committee):
    c = make_committee(members=3, requested=[])
    MemberProfile.objects.filter(user=c.members[2]).update(term_ends_on=datetime.date(2018, 1, 31))
    with pytest.raises(CommitteeRuleError, match="임기 중이 아닌 위원"):
        _create(c)
    offered = set(MeetingForm().fields["members"].queryset)
    assert c.members[2] not in offered and c.members[0] in offered


@pytest.fixture
def flagged(make_committee, make_firm):
    """Four applications; the member declares interests matching two, and is the third's representative."""
    c = make_committee(members=3, requested=[10_000_000] * 4)
    member = c.members[1]
    firms = [item.application.firm for item in c.items]
    Firm.objects.filter(pk=firms[2].pk).update(representative=korean_name(member))
    Firm.objects.filter(pk=firms[3].pk).update(address="서울특별시 구로구 디지털로 300")
    MemberProfile.objects.filter(user=member).update(address="서울특별시  구로구 디지털로 300")
    InterestDeclaration.objects.create(
        member=member, relation="owner", business_number=firms[0].business_number
    )
    InterestDeclaration.objects.create(
        member=member, relation="relative", firm_name=firms[1].name, representative=firms[1].representative
    )
    for item in c.items:
        services.item_remove(item=item, actor=c.staff)
    meeting = _create(c)
    return c, meeting, member


def test_items_matching_a_members_interests_name_or_address_are_flagged(flagged):
    c, meeting, member = flagged
    grounds = {
        f.item.order: f.ground for f in ConflictFlag.objects.filter(item__meeting=meeting, member=member)
    }
    assert "사업자등록번호" in grounds[1] and "소유·대표" in grounds[1]
    assert "회사명·대표자" in grounds[2] and "친족 기업" in grounds[2]
    assert "위원 본인이 대표자" in grounds[3]
    assert "위원 주소와 업체 주소" in grounds[4]
    assert not ConflictFlag.objects.filter(member=c.members[0]).exists()


def test_a_flagged_member_must_recuse_before_scoring_or_voting(flagged, client):
    c, meeting, member = flagged
    services.meeting_set_attendance(
        meeting=meeting, present_member_ids=[m.pk for m in c.members], actor=c.staff
    )
    item = meeting.items.get(order=1)
    with pytest.raises(CommitteeRuleError, match=r"제척 사유가 확인되었습니다.*회피를 신청해야 합니다"):
        services.item_vote(item=item, member=member, choice="yes")
    client.force_login(member)
    body = client.get(reverse("loans:meeting_detail", args=[meeting.pk])).content.decode()
    assert "제척 사유가 확인되었습니다" in body
    services.item_recuse(item=item, member=member, reason="본인 소유 업체")
    with pytest.raises(CommitteeRuleError, match="회피를 신청한 안건"):
        services.item_vote(item=item, member=member, choice="yes")


def test_an_objection_is_decided_with_the_vote_and_an_accepted_one_recuses(committee):
    item, member = committee.items[0], committee.members[1]
    committee.vote(item, [member])
    objection = services.objection_record(
        item=item, member=member, reason="경쟁 업체 임원", actor=committee.staff
    )
    with pytest.raises(CommitteeRuleError, match="의결하지 않은 기피 신청"):
        services.meeting_close(meeting=committee.meeting, actor=committee.staff)
    with pytest.raises(CommitteeRuleError, match="출석 위원 4명 중 찬성 3명이면 인용"):
        services.objection_decide(
            objection=objection, accepted=False, yes_count=3, no_count=1, actor=committee.staff
        )
    services.objection_decide(
        objection=objection, accepted=True, yes_count=3, no_count=1, actor=committee.staff
    )
    objection.refresh_from_db()
    assert (objection.decision, objection.yes_count, objection.decided_by) == (
        Objection.Decision.ACCEPTED,
        3,
        committee.staff,
    )
    assert item.recusals.get(member=member).reason == "기피 인용: 경쟁 업체 임원"
    assert not item.votes.filter(member=member).exists()


def test_a_held_item_is_not_decided_and_goes_back_to_review(committee):
    item = committee.items[0]
    services.item_hold(item=item, reason="추가 서류 확인 필요", actor=committee.staff)
    for other in committee.items[1:]:
        committee.vote(other, committee.members)
    committee.close()
    item.refresh_from_db()
    assert item.result == "held" and committee.status_of(item) == S.REVIEW
    assert [committee.status_of(i) for i in committee.items[1:]] == [S.SELECTED, S.SELECTED]


def test_the_minutes_hold_every_field_and_are_frozen_once_a_member_confirms(client, make_committee):
    c = make_committee(members=3, requested=[100_000_000, 60_000_000], present=False)
    _profiles(c.members, ["expert", "official", "councillor"], {0: "chair"})
    c.attend(*c.members[:2])
    first, second = c.items
    services.item_recuse(item=second, member=c.members[1], reason="대표자와 친족")
    c.vote(first, c.members[:1], "yes")
    c.vote(first, c.members[1:2], "abstain")
    c.vote(second, c.members[:1], "yes")
    c.close()
    services.minutes_record(
        meeting=c.meeting,
        starts_at=datetime.time(14, 0),
        ends_at=datetime.time(15, 30),
        items={
            first.pk: ("사업성 양호하나 담보 보완 의견", ""),
            second.pk: ("상환 계획 질의응답", "6개월 내 고용 1명 이상"),
        },
        actor=c.staff,
    )
    client.force_login(c.staff)
    text, fonts = pdf_text_and_fonts(
        client.get(reverse("loans:meeting_minutes_pdf", args=[c.meeting.pk])).content
    )
    flat = " ".join(text.split())
    for expected in (
        "2018년 2월 20일 14:00 ~ 15:30",
        "구청 소회의실",
        "재적 3명 중 2명 출석: 의사정족수(과반수 2명) 충족, 성원",
        "민간 전문가 김위원1(위원장)",
        "구의원 - 김위원3",  # 구의원: nobody present, 김위원3 absent
        "사업성 양호하나 담보 보완 의견",
        "찬성 1명, 반대 0명, 기권 1명 (의결 참여 2명)",
        "김위원2 (대표자와 친족)",
        "6개월 내 고용 1명 이상",
        "부결",
        "원안가결 · 의결 금액 60,000,000원 · 선정 60,000,000원",
    ):
        assert expected in flat, expected
    assert "NanumGothic" in fonts
    with pytest.raises(CommitteeRuleError, match="출석한 위원만"):
        services.minutes_confirm(meeting=c.meeting, member=c.members[2])
    client.force_login(c.members[0])
    response = client.post(reverse("loans:meeting_minutes_confirm", args=[c.meeting.pk]), follow=True)
    assert "회의록을 확인했습니다" in response.content.decode()
    c.meeting.refresh_from_db()
    assert c.meeting.minutes_frozen_at is not None
    with pytest.raises(CommitteeRuleError, match="확정되어 고칠 수 없습니다"):
        services.minutes_record(meeting=c.meeting, starts_at=None, ends_at=None, items={}, actor=c.staff)


def test_members_cannot_write_minutes_or_record_objections(client, committee):
    client.force_login(committee.members[0])
    assert client.get(reverse("loans:meeting_minutes_edit", args=[committee.meeting.pk])).status_code == 403
    item = committee.items[0]
    url = reverse("loans:meeting_item_objection", args=[committee.meeting.pk, item.pk])
    assert (
        client.post(
            url, {f"o{item.pk}-member": committee.members[1].pk, f"o{item.pk}-reason": "x"}
        ).status_code
        == 403
    )
    assert not Objection.objects.exists()
