"""Demo committee: seven members, one closed and one open meeting. Idempotent.

Runs right after loans/demo.py and uses what it leaves: the January call's applications in
요건검토 and 심의상정 go to the closed first meeting (with attendance, a recusal, scores, votes, an
amended amount, a rejection and a reserve firm); the July call's applications go to the open
second meeting, where member1 still has every item to vote on. Everything goes through the
services, so the audit trail and the applications' timelines are real. A meeting that already
exists (by call and title) is left as it is.
"""

import datetime

from django.contrib.auth import get_user_model

from guro_sme.demo import ensure_user
from guro_sme.roles import Role
from loans import services as loan_services
from loans.models import LoanApplication, LoanCall, LoanFund

from . import services
from .models import CommitteeMeeting, InterestDeclaration, MemberProfile

D = datetime.date
S = LoanApplication.Status

# username, name, kind, affiliation, role in the committee: 3 of 7 from outside the civil service.
MEMBERS = [
    ("member1", "이심의", "official", "구로구 부구청장", "chair"),
    ("member2", "김위원", "expert", "세무사", "vice_chair"),
    ("member3", "박위원", "expert", "구로구상공회", "member"),
    ("member4", "최위원", "official", "구로구 기획예산과장", "member"),
    ("member5", "정위원", "councillor", "구로구의회", "member"),
    ("member6", "강위원", "official", "구로구 재무과장", "member"),
    ("member7", "조위원", "official", "구로구 지역경제과장", "secretary"),
]

FIRST_MEETING = "2018년 제1차 기금운용심의위원회"
SECOND_MEETING = "2018년 제2차 기금운용심의위원회"

# The January meeting's story, by firm name: base score (0..10), votes against, committee amount.
JANUARY_PLAN = {
    "(주)온수정밀": (9, 0, 150_000_000),  # 200M requested → 수정가결 150M
    "(주)디지털로직스": (8, 0, None),
    "(주)오류바이오": (7, 1, None),
    "(주)신도림메카": (6, 1, None),  # passes, but the meeting's district-fund budget is used up: 예비선정
    "(주)구로소재": (8, 0, None),
    "(주)천왕전자": (7, 0, None),
    "(주)구로광학": (6, 2, None),  # member3 recuses
    "(주)가리봉패션": (4, 4, None),  # 부결
}
# The district keeps part of the year's 중소기업육성기금 for the July call.
JANUARY_DISTRICT_BUDGET_WON = 400_000_000


def _members():
    User = get_user_model()
    members = []
    for username, full_name, kind, affiliation, role in MEMBERS:
        user = User.objects.filter(username=username).first() or ensure_user(
            username, full_name, Role.COMMITTEE
        )
        MemberProfile.objects.get_or_create(
            user=user,
            defaults={
                "kind": kind,
                "affiliation": affiliation,
                "committee_role": role,
                "appointed_on": D(2017, 1, 1),
                # The secretary retires at the end of 2018: not offered for later meetings.
                "term_ends_on": D(2018, 12, 31) if role == "secretary" else None,
            },
        )
        members.append(user)
    # member3 advises a January applicant: the meeting flags the item and they recuse (회피).
    adviser = members[2]
    if not InterestDeclaration.objects.filter(member=adviser).exists():
        InterestDeclaration.objects.create(
            member=adviser,
            relation=InterestDeclaration.Relation.ADVISER,
            firm_name="(주)구로광학",
            representative=_representative_of("(주)구로광학"),
            note="경영 자문 계약",
        )
    return members


def _representative_of(firm_name: str) -> str:
    from guro_sme.models import Firm

    firm = Firm.objects.filter(name=firm_name).first()
    return firm.representative if firm else ""


def _call(half: str) -> LoanCall | None:
    return LoanCall.objects.filter(year=2018, half=half).order_by("pk").first()


def _score(item, member, base: int, rubric, spread: int) -> None:
    scores = {r.pk: max(0, min(r.max_score, base + (spread + i) % 3 - 1)) for i, r in enumerate(rubric)}
    services.item_score(item=item, member=member, scores=scores)


def _first_meeting(staff, members) -> CommitteeMeeting | None:
    call = _call(LoanCall.Half.FIRST)
    if call is None or CommitteeMeeting.objects.filter(call=call, title=FIRST_MEETING).exists():
        return None
    meeting = services.meeting_create(
        call=call,
        title=FIRST_MEETING,
        held_on=D(2018, 2, 6),
        place="구로구청 기획상황실",
        members=members,
        actor=staff,
    )
    district_fund = call.funds.filter(kind=LoanFund.Kind.DISTRICT_FUND).first()
    if district_fund is not None:
        services.meeting_set_budget(
            meeting=meeting, fund=district_fund, amount_won=JANUARY_DISTRICT_BUDGET_WON, actor=staff
        )
    present = members[:6]  # member7 is absent
    services.meeting_set_attendance(meeting=meeting, present_member_ids=[m.pk for m in present], actor=staff)
    rubric = list(call.rubric_items.order_by("order", "pk"))
    for item in meeting.items.select_related("application__firm"):
        base, against, amount = JANUARY_PLAN.get(item.application.firm.name, (7, 0, None))
        if amount:
            services.item_set_amount(item=item, amount_won=amount, actor=staff)
        voters = list(present)
        if item.application.firm.name == "(주)구로광학":
            services.item_recuse(
                item=item, member=members[2], reason="대표자와 같은 협회 임원으로 이해관계가 있음"
            )
            voters.remove(members[2])
        for n, member in enumerate(voters):
            if rubric:
                _score(item, member, base, rubric, n)
            choice = "no" if n >= len(voters) - against else "yes"
            comment = "상환능력 보완 필요" if choice == "no" else ""
            services.item_vote(item=item, member=member, choice=choice, comment=comment)
    services.meeting_close(meeting=meeting, actor=staff)
    return meeting


def _second_meeting(staff, members) -> CommitteeMeeting | None:
    call = _call(LoanCall.Half.SECOND)
    if call is None or CommitteeMeeting.objects.filter(call=call, title=SECOND_MEETING).exists():
        return None
    # Received July applications finish their requirement check before the meeting.
    for application in LoanApplication.objects.filter(call=call, status=S.RECEIVED):
        loan_services.application_start_review(application=application, actor=staff, reason="요건 충족")
    meeting = services.meeting_create(
        call=call,
        title=SECOND_MEETING,
        held_on=D(2018, 8, 7),
        place="구로구청 제2회의실",
        members=members,
        actor=staff,
    )
    services.meeting_set_attendance(
        meeting=meeting, present_member_ids=[m.pk for m in members[:5]], actor=staff
    )
    rubric = list(call.rubric_items.order_by("order", "pk"))
    # Some members have scored and voted already; member1 has not.
    for item in meeting.items.all():
        for n, member in enumerate(members[1:4]):
            if rubric:
                _score(item, member, 7, rubric, n)
            services.item_vote(item=item, member=member, choice="yes", comment="")
    return meeting


def load(stdout=None) -> None:
    User = get_user_model()
    staff = User.objects.filter(username="staff").first()
    if staff is None:
        return
    members = _members()
    _first_meeting(staff, members)
    _second_meeting(staff, members)
    if stdout:
        stdout.write(
            f"  기금운용심의위원회: 회의 {CommitteeMeeting.objects.count()}건 (위원 {len(members)}명)"
        )
