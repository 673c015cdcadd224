"""Committee fixtures: a call with a rubric, funds, applications in 요건검토 and a meeting built
through the real services (meeting_create puts the applications on the agenda)."""

import datetime
from dataclasses import dataclass, field

import pytest

from guro_sme.roles import Role
from loans.committee import services
from loans.committee.models import AgendaItem, CommitteeMeeting, MemberProfile
from loans.models import LoanApplication, LoanCall, LoanFund, RubricItem

# 사업성 40, 상환능력 30, 기술성 20, 지역기여도 10: weights; each scored 0..10.
RUBRIC = [("사업성", 40), ("상환능력", 30), ("기술성", 20), ("지역기여도", 10)]


@dataclass
class Committee:
    staff: object
    manager: object
    call: LoanCall
    fund: LoanFund
    rubric: list
    members: list
    meeting: CommitteeMeeting
    items: list = field(default_factory=list)

    def refresh(self):
        self.meeting.refresh_from_db()
        self.items = list(self.meeting.items.select_related("application").order_by("order"))
        return self

    def attend(self, *members):
        services.meeting_set_attendance(
            meeting=self.meeting, present_member_ids=[m.pk for m in members], actor=self.staff
        )

    def score(self, item, member, value):
        """Score every rubric item `value` (an int, or a list in rubric order)."""
        values = value if isinstance(value, list) else [value] * len(self.rubric)
        services.item_score(
            item=item, member=member, scores={r.pk: v for r, v in zip(self.rubric, values, strict=True)}
        )

    def vote(self, item, members, choice="yes"):
        for member in members:
            services.item_vote(item=item, member=member, choice=choice, comment="")

    def close(self, actor=None):
        services.meeting_close(meeting=self.meeting, actor=actor or self.staff)
        return self.refresh()

    def status_of(self, item):
        return LoanApplication.objects.get(pk=item.application_id).status


@pytest.fixture
def make_committee(db, make_user, make_firm):
    """make_committee(members=5, requested=[...], allocation=..., present=True) → a Committee with an
    open meeting (every member recorded present unless present=False)."""
    counter = {"n": 0}

    def build(
        *,
        members=5,
        requested=(100_000_000, 100_000_000, 100_000_000),
        allocation=1_000_000_000,
        fund=None,
        call=None,
        staff=None,
        manager=None,
        member_users=None,
        present=True,
    ):
        counter["n"] += 1
        n = counter["n"]
        staff = staff or make_user(Role.STAFF, username=f"staff{n}")
        manager = manager or make_user(Role.MANAGER, username=f"manager{n}")
        if call is None:
            call = LoanCall.objects.create(
                year=2018,
                title=f"2018년 상반기 융자 공고 {n}",
                opens_on=datetime.date(2018, 1, 2),
                closes_on=datetime.date(2018, 1, 31),
            )
            for order, (name, weight) in enumerate(RUBRIC, start=1):
                RubricItem.objects.create(call=call, name=name, weight=weight, max_score=10, order=order)
        if fund is None:
            fund = LoanFund.objects.create(
                name=f"중소기업육성기금 {n}",
                kind=LoanFund.Kind.DISTRICT_FUND,
                year=2018,
                allocation_won=allocation,
            )
        call.funds.add(fund)
        member_users = member_users or [
            make_user(Role.COMMITTEE, username=f"m{n}_{i}", first_name=f"위원{i}", last_name="김")
            for i in range(1, members + 1)
        ]
        for number, user in enumerate(member_users):
            # Appointed members: the first chairs; all from outside the civil service by default.
            MemberProfile.objects.get_or_create(
                user=user,
                defaults={
                    "kind": MemberProfile.Kind.EXPERT,
                    "committee_role": MemberProfile.CommitteeRole.CHAIR
                    if number == 0
                    else MemberProfile.CommitteeRole.MEMBER,
                    "appointed_on": datetime.date(2017, 1, 1),
                },
            )
        call.committee_members.set(member_users)
        for amount in requested:
            firm = make_firm()
            LoanApplication.objects.create(
                firm=firm,
                call=call,
                fund=fund,
                requested_amount_won=amount,
                purpose=LoanApplication.Purpose.OPERATING,
                status=LoanApplication.Status.REVIEW,
                created_by=staff,
            )
        meeting = services.meeting_create(
            call=call,
            title=f"2018년 제{n}차 기금운용심의위원회",
            held_on=datetime.date(2018, 2, 20),
            place="구청 소회의실",
            actor=staff,
        )
        rubric = list(call.rubric_items.order_by("order"))
        committee = Committee(staff, manager, call, fund, rubric, member_users, meeting)
        if present:  # every member recorded present; tests of absence record their own attendance
            committee.attend(*member_users)
        return committee.refresh()

    return build


@pytest.fixture
def committee(make_committee):
    return make_committee()


def item_by_order(committee, order) -> AgendaItem:
    return committee.items[order - 1]
