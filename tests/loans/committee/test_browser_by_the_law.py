"""The committee by the law, in a real browser: a meeting breaking the composition rule is refused;
a member with a declared interest is flagged and must recuse; an absent member cannot vote; the
tallies on the agenda, the results, the minutes and the member view agree; staff send the notices
and see them recorded; the minutes PDF holds what the law asks (checked by its text)."""

import datetime
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from guro_sme.models import DistrictProfile
from loans.committee import services
from loans.committee.models import InterestDeclaration, MemberProfile, NoticeDelivery, Recusal
from loans.models import LoanApplication
from tests.pdftext import pdf_text_and_fonts

pytestmark = pytest.mark.browser


def test_the_committee_meets_decides_records_and_notifies_by_the_law(
    page, live_server, login, make_committee, make_firm
):
    DistrictProfile.objects.create(district_name="구로구", department="지역경제과", sender_title="구로구청장")
    c = make_committee(members=4, requested=[], present=False)
    chair, declared, official, absent = c.members
    for member, kind in zip(c.members, ["expert", "official", "official", "councillor"], strict=True):
        MemberProfile.objects.filter(user=member).update(kind=kind)
    names = []
    for n, amount in enumerate([100_000_000, 80_000_000], start=1):
        firm = make_firm(name=f"(주)법대로{n}", representative=f"대표{n}", email=f"firm{n}@example.com")
        LoanApplication.objects.create(
            firm=firm, call=c.call, fund=c.fund, requested_amount_won=amount, created_by=c.staff,
            purpose=LoanApplication.Purpose.OPERATING, status=LoanApplication.Status.REVIEW,
        )  # fmt: skip
        names.append(firm.name)
    InterestDeclaration.objects.create(
        member=declared, relation="adviser", firm_name=names[0], representative="대표1"
    )

    # 1. Staff try a meeting of two civil servants only: refused, the rule named.
    login(page, c.staff)
    page.goto(f"{live_server.url}/loans/meetings/new/")
    page.locator("#id_call").select_option(label=c.call.title)
    page.locator("#id_title").fill("2018년 제2차 기금운용심의위원회")
    page.locator("#id_held_on").fill("2018-02-21")
    page.locator("#id_starts_at").fill("14:00")
    page.get_by_label(f"{declared.last_name}{declared.first_name} (위원, 공무원").check()
    page.get_by_label(f"{official.last_name}{official.first_name} (위원, 공무원").check()
    page.get_by_role("button", name="등록").click()
    expect(page.get_by_role("alert")).to_contain_text("민간위원 비율 요건(공무원이 아닌 위원 1/3 이상) 미달")
    # With the call's whole committee it is created; attendance leaves the fourth member absent.
    page.get_by_label(f"{declared.last_name}{declared.first_name} (위원, 공무원").uncheck()
    page.get_by_label(f"{official.last_name}{official.first_name} (위원, 공무원").uncheck()
    page.get_by_role("button", name="등록").click()
    expect(page.get_by_text("안건 2건")).to_be_visible()
    meeting = c.call.meetings.get(title="2018년 제2차 기금운용심의위원회")
    services.meeting_set_attendance(
        meeting=meeting, present_member_ids=[chair.pk, declared.pk, official.pk], actor=c.staff
    )

    # 2. The declared member is flagged on the first item and must recuse before voting.
    page.context.clear_cookies()
    login(page, declared)
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    flagged = page.get_by_role("region", name=f"1. {names[0]}")
    expect(flagged.get_by_role("alert")).to_contain_text("제척 사유가 확인되었습니다")
    expect(flagged.get_by_role("button", name="표결")).to_have_count(0)
    flagged.get_by_role("button", name="회피 신청").click()
    dialog = page.get_by_role("dialog", name="회피 신청 확인")
    expect(dialog).to_contain_text("신청하면 취소할 수 없고")
    dialog.get_by_role("button", name="회피 신청").click()
    expect(page.get_by_text(f"{names[0]} 안건에 회피를 신청했습니다.")).to_be_visible()
    second = page.get_by_role("region", name=f"2. {names[1]}")
    second.get_by_label("찬성").check()
    second.get_by_role("button", name="표결").click()
    expect(page.get_by_text(f"{names[1]} 안건에 표결했습니다.")).to_be_visible()
    assert "이해관계 신고(자문·용역)" in Recusal.objects.get(member=declared).reason

    # 3. The absent member is told why they cannot vote, and has no vote button.
    page.context.clear_cookies()
    login(page, absent)
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    expect(page.get_by_text("출석으로 기록되지 않아 채점하거나 표결할 수 없습니다")).to_be_visible()
    expect(page.get_by_role("button", name="표결")).to_have_count(0)

    first_item, second_item = meeting.items.order_by("order")
    services.item_vote(item=first_item, member=chair, choice="yes")
    services.item_vote(item=first_item, member=official, choice="no")
    for member in (chair, official):
        services.item_vote(item=second_item, member=member, choice="yes")

    # 4. The same tally on the staff agenda, the results, the member view and the minutes.
    page.context.clear_cookies()
    login(page, c.staff)
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    agenda_row = page.locator(f"tr#item-{first_item.pk}")
    expect(agenda_row.locator("td.num").nth(3)).to_have_text("1")  # 찬성
    expect(agenda_row.locator("td.num").nth(4)).to_have_text("1")  # 반대
    page.get_by_role("button", name="회의 종료 및 의결").click()
    page.get_by_role("dialog", name="회의 종료 및 의결 확인").get_by_role(
        "button", name="회의 종료 및 의결"
    ).click()
    rows = page.get_by_role("row")
    expect(rows.filter(has_text=names[0])).to_contain_text("1/1/0")
    expect(rows.filter(has_text=names[0])).to_contain_text("부결")
    expect(rows.filter(has_text=names[1])).to_contain_text("3/0/0")
    with page.expect_download() as minutes:
        page.get_by_role("link", name="회의록 PDF").click()
    text, fonts = pdf_text_and_fonts(Path(minutes.value.path()).read_bytes())
    flat = " ".join(text.split())
    for expected in (
        "2018년 2월 21일 14:00",
        "재적 4명 중 3명 출석: 의사정족수(과반수 3명) 충족, 성원",
        "구의원 - " + f"{absent.last_name}{absent.first_name}",
        "찬성 1명, 반대 1명, 기권 0명 (의결 참여 2명)",
        f"{declared.last_name}{declared.first_name} (제척 사유: 이해관계 신고(자문·용역)",
        "찬성 3명, 반대 0명, 기권 0명 (의결 참여 3명)",
        "원안가결 · 의결 금액 80,000,000원",
    ):
        assert expected in flat, expected
    assert "NanumGothic" in fonts

    # 5. Staff send the notices and see every sending recorded.
    page.get_by_role("link", name="결과 통지").click()
    page.get_by_role("button", name="미발송 통지서 2건 이메일 발송").click()
    expect(page.get_by_text("통지서 이메일 발송: 완료 2건, 실패 0건")).to_be_visible()
    expect(page.locator("tr", has_text=names[0])).to_contain_text(
        "미선정 통지 → firm1@example.com: 발송 완료"
    )
    expect(page.locator("tr", has_text=names[1])).to_contain_text("선정 통지 → firm2@example.com: 발송 완료")
    assert NoticeDelivery.objects.filter(status="delivered").count() == 2 and len(mail.outbox) == 2

    page.context.clear_cookies()
    login(page, chair)
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    expect(page.get_by_role("region", name=f"1. {names[0]}")).to_contain_text(
        "찬성 1 · 반대 1 · 기권 0 (의결 참여 2명)"
    )
    page.get_by_role("button", name="회의록 확인").click()
    expect(page.get_by_text("회의록을 확인했습니다.")).to_be_visible()
    meeting.refresh_from_db()
    assert meeting.minutes_frozen_at is not None and meeting.held_on == datetime.date(2018, 2, 21)
    from django.db import connections

    connections.close_all()  # Playwright has stopped: closes the per-thread connections
