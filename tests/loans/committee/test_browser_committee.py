"""The committee journey in a real browser: a member declares a conflict on one item, scores and
votes on the others; staff records attendance, closes the meeting and sees the ranked results."""

import pytest
from playwright.sync_api import expect

from loans.committee.models import Recusal, Vote
from loans.models import LoanApplication
from tests.accessibility import check_page

pytestmark = pytest.mark.browser


def test_a_member_recuses_scores_and_votes_then_staff_closes_and_sees_the_results(
    page, live_server, login, make_committee
):
    c = make_committee(members=3, requested=[100_000_000, 80_000_000, 50_000_000])
    me, others = c.members[0], c.members[1:]
    first, second, third = (item.application.firm.name for item in c.items)
    # The other two members have voted already: yes on the first two items, no on the third.
    c.vote(c.items[0], others, "yes")
    c.vote(c.items[1], others, "yes")
    c.vote(c.items[2], others, "no")

    login(page, me)
    page.get_by_role("navigation", name="주 메뉴").get_by_role(
        "link", name="기금운용심의위원회", exact=True
    ).click()
    page.get_by_role("link", name=c.meeting.title).click()

    conflicted = page.get_by_role("region", name=f"2. {second}")
    conflicted.get_by_text("이해충돌 회피 신청").click()
    conflicted.get_by_label("회피 사유").fill("대표자와 친족 관계")
    conflicted.get_by_role("button", name="회피 신청", exact=True).click()
    # Irreversible: a dialog says so first; it is checked by axe while open.
    dialog = page.get_by_role("dialog", name="회피 신청 확인")
    expect(dialog).to_contain_text("신청하면 취소할 수 없고")
    check_page(page)
    dialog.get_by_role("button", name="회피 신청").click()
    expect(page.get_by_text(f"{second} 안건에 회피를 신청했습니다.")).to_be_visible()
    conflicted = page.get_by_role("region", name=f"2. {second}")
    expect(conflicted).to_contain_text("회피 신청함 (사유: 대표자와 친족 관계)")
    expect(conflicted.get_by_role("button", name="표결")).to_have_count(0)

    for order, name, scores in [(1, first, ["9", "8", "9", "7"]), (3, third, ["5", "6", "4", "5"])]:
        item = page.get_by_role("region", name=f"{order}. {name}")
        expect(item).to_contain_text("본인 점수를 제출하면 다른 위원의 점수를 볼 수 있습니다.")
        for label, value in zip(["사업성", "상환능력", "기술성", "지역기여도"], scores, strict=True):
            item.get_by_label(label).fill(value)
        item.get_by_role("button", name="점수 제출").click()
        expect(page.get_by_text(f"{name} 안건의 점수를 제출했습니다.")).to_be_visible()
        item = page.get_by_role("region", name=f"{order}. {name}")
        item.get_by_label("찬성").check()
        item.get_by_label("의견").fill("사업성이 좋습니다")
        item.get_by_role("button", name="표결").click()
        expect(page.get_by_text(f"{name} 안건에 표결했습니다.")).to_be_visible()
    expect(page.get_by_role("region", name=f"1. {first}")).to_contain_text("내 표결: 찬성")

    assert Recusal.objects.filter(member=me).count() == 1
    assert Vote.objects.filter(member=me).count() == 2

    page.context.clear_cookies()
    login(page, c.staff)
    page.get_by_role("navigation", name="주 메뉴").get_by_role(
        "link", name="기금운용심의위원회", exact=True
    ).click()
    page.get_by_role("link", name=c.meeting.title).click()
    page.get_by_role("link", name="출석 기록").click()
    for member in c.members:
        page.get_by_label(f"{member.last_name}{member.first_name}").check()
    page.get_by_role("button", name="출석 저장").click()
    expect(page.get_by_text("출석을 기록했습니다: 3명 출석")).to_be_visible()
    page.get_by_role("button", name="회의 종료 및 의결").click()
    dialog = page.get_by_role("dialog", name="회의 종료 및 의결 확인")
    expect(dialog).to_contain_text("안건 3건이 의결되고 회의가 종료됩니다. 되돌릴 수 없습니다.")
    dialog.get_by_role("button", name="회의 종료 및 의결").click()

    expect(page.get_by_role("heading", name=f"심의 결과: {c.meeting.title}")).to_be_visible()
    rows = page.get_by_role("row")
    expect(rows.filter(has_text=first)).to_contain_text("원안가결")
    expect(rows.filter(has_text=first)).to_contain_text("100,000,000원")
    # The second item: 2 yes of the 2 non-recused members present → passes without the recused vote.
    expect(rows.filter(has_text=second)).to_contain_text("원안가결")
    # The third: 1 yes, 2 no → 부결 → 탈락.
    expect(rows.filter(has_text=third)).to_contain_text("부결")
    expect(rows.filter(has_text=third)).to_contain_text("탈락")
    statuses = [LoanApplication.objects.get(pk=i.application_id).status for i in c.items]
    assert statuses == ["selected", "selected", "rejected"]
