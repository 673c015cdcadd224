"""The header search (/search/): one box finds firms, applications, KOTRA and marketing firms and
programme participants, grouped by kind, for staff and managers only."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guro_sme.models import PersonalDataAccess

NUMBER = "2208162517"  # a valid business number (check digit)


@pytest.fixture
def world(make_firm, staff_user):
    """One firm, 구로정밀, with a loan application, a KOTRA and a marketing participation, and a
    participant 김참여 of a programme run; helpers to add more of each."""
    from kotra.models import KotraProject, Participant, TradeOffice
    from loans.models import LoanApplication, LoanFund
    from marketing.models import MarketingProject, Selection
    from programs.models import (
        ApplicantCategory,
        CompletionRule,
        Person,
        ProgramKind,
        ProgramRun,
        Registration,
    )

    fund = LoanFund.objects.create(
        name="구기금", kind=LoanFund.Kind.DISTRICT_FUND, year=2018, allocation_won=10**9
    )
    kotra = KotraProject.objects.create(year=2018, budget_won=15_000_000)
    office = TradeOffice.objects.create(city="런던", country="영국")
    marketing = MarketingProject.objects.create(year=2018, budget_won=15_000_000)
    run = ProgramRun.objects.create(
        kind=ProgramKind.LEADERS_ACADEMY,
        name="리더스 아카데미",
        year=2018,
        half=1,
        place="평생학습관",
        capacity=40,
        completion_rule=CompletionRule.NONE,
    )
    counter = {"n": 0}

    def add(name="구로정밀", representative="박대표", **firm_fields):
        counter["n"] += 1
        firm = make_firm(name=name, representative=representative, **firm_fields)
        LoanApplication.objects.create(
            firm=firm, fund=fund, created_by=staff_user, intake_number=f"2018-{counter['n']:04d}"
        )
        Participant.objects.create(project=kotra, firm=firm, trade_office=office, product="정밀부품")
        Selection.objects.create(project=marketing, firm=firm, cost_won=1_000_000)
        person = Person.objects.create(name=f"김참여{counter['n']}", phone=f"0105555{counter['n']:04d}")
        Registration.objects.create(run=run, person=person, category=ApplicantCategory.PRE_FOUNDER, firm=firm)
        return firm

    firm = add(business_number=NUMBER)
    return {"firm": firm, "add": add}


def groups_of(response):
    return {group.kind: group for group in response.context["groups"]}


def test_staff_find_the_firm_and_its_support_grouped_by_kind(staff_client, world, make_firm):
    make_firm(name="다른회사", representative="이다른")

    response = staff_client.get("/search/", {"q": "구로정밀"})

    assert response.status_code == 200
    groups = groups_of(response)
    assert list(groups) == ["firms", "loans", "kotra", "marketing", "programs"]
    assert [hit.title for hit in groups["firms"].hits] == ["구로정밀"]
    assert groups["firms"].hits[0].url == f"/firms/{world['firm'].pk}/"
    assert [hit.title for hit in groups["loans"].hits] == ["구로정밀 · 2018년 구기금 연중 접수 2018-0001"]
    assert [hit.title for hit in groups["kotra"].hits] == ["2018년 구로정밀"]
    assert [hit.title for hit in groups["marketing"].hits] == ["2018년 구로정밀"]
    assert groups["programs"].hits == []  # people are found by their name or phone, not the firm
    page = response.content.decode()
    for heading in ("기업", "융자 신청", "KOTRA 해외지사화", "마케팅 지원", "경영지원사업 참여자"):
        assert f">{heading} <span" in page
    assert "찾은 항목이 없습니다." in page


def test_a_business_number_with_dashes_finds_the_firm(manager_client, world):
    response = manager_client.get("/search/", {"q": "220-81-62517"})

    groups = groups_of(response)
    assert [hit.title for hit in groups["firms"].hits] == ["구로정밀"]
    assert "220-81-62517" in groups["firms"].hits[0].detail
    assert len(groups["loans"].hits) == 1 and len(groups["kotra"].hits) == 1


def test_the_representative_and_a_participants_name_or_phone_are_found(staff_client, world):
    assert [h.title for h in groups_of(staff_client.get("/search/", {"q": "박대표"}))["firms"].hits] == [
        "구로정밀"
    ]

    by_name = groups_of(staff_client.get("/search/", {"q": "김참여1"}))["programs"].hits
    by_phone = groups_of(staff_client.get("/search/", {"q": "010-5555-0001"}))["programs"].hits

    assert [h.title for h in by_name] == [h.title for h in by_phone] == ["김참여1 (010-5555-0001)"]
    assert "리더스 아카데미 · 구로정밀" in by_name[0].detail


def test_an_intake_number_finds_the_application(staff_client, world):
    groups = groups_of(staff_client.get("/search/", {"q": "2018-0001"}))
    assert [hit.title for hit in groups["loans"].hits] == ["구로정밀 · 2018년 구기금 연중 접수 2018-0001"]


def test_a_committee_member_has_no_search_box_and_is_refused_the_page(committee_client, world):
    home = committee_client.get("/")
    assert 'action="/search/"' not in home.content.decode()

    response = committee_client.get("/search/", {"q": "구로정밀"})

    assert response.status_code == 403
    assert "구로정밀" not in response.content.decode()


def test_staff_and_managers_have_the_box_in_the_header(staff_client):
    page = staff_client.get("/").content.decode()
    assert 'action="/search/"' in page and 'aria-label="통합 검색어"' in page


@pytest.mark.parametrize(
    ("q", "status", "message"),
    [
        ("", 200, "검색어를 입력하세요."),
        ("   ", 200, "검색어를 입력하세요."),
        ("구", 400, "검색어를 2자 이상 입력하세요."),
        ("가" * 51, 400, "검색어는 50자까지 입력할 수 있습니다."),
        ("%_'\"<script>", 200, None),
    ],
)
def test_an_empty_short_or_long_query_gets_a_korean_message(staff_client, world, q, status, message):
    response = staff_client.get("/search/", {"q": q})
    assert response.status_code == status
    if message:
        assert message in response.content.decode()
    else:
        assert all(group.hits == [] for group in response.context["groups"])


def test_each_group_shows_at_most_twenty_with_a_more_link_to_the_filtered_list(staff_client, world):
    for _ in range(21):
        world["add"]()

    response = staff_client.get("/search/", {"q": "구로정밀"})

    groups = groups_of(response)
    for kind in ("firms", "loans", "kotra", "marketing"):
        assert len(groups[kind].hits) == 20 and groups[kind].has_more
    page = response.content.decode()
    assert 'href="/firms/?q=%EA%B5%AC%EB%A1%9C%EC%A0%95%EB%B0%80">기업 더 보기' in page
    assert 'href="/loans/applications/?q=%EA%B5%AC%EB%A1%9C%EC%A0%95%EB%B0%80">융자 신청 더 보기' in page
    # The more links show the same rows: the lists filter by the same words.
    assert staff_client.get(groups["firms"].more_url).context["table"].paginator.count == 22
    assert staff_client.get(groups["loans"].more_url).context["table"].paginator.count == 22
    by_number = staff_client.get("/loans/applications/", {"q": "220-81-62517"})
    assert by_number.context["table"].paginator.count == 1


def test_the_number_of_queries_does_not_grow_with_the_hits(staff_client, world):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get("/search/", {"q": "구로정밀"}).status_code == 200
        return len(captured)

    world["add"]()
    few = queries()
    for _ in range(25):
        world["add"]()
    assert queries() == few


def test_the_search_writes_the_access_log_with_the_query_and_count(staff_client, staff_user, world):
    staff_client.get("/search/", {"q": "김참여"})
    staff_client.get("/search/", {"q": "구로정밀"})

    records = list(PersonalDataAccess.objects.filter(path="/search/").order_by("pk"))
    assert [(r.subject, r.count, r.query) for r in records] == [
        ("firm", 0, "q=김참여"),
        ("participant", 1, "q=김참여"),
        ("firm", 1, "q=구로정밀"),
        ("participant", 0, "q=구로정밀"),
    ]
    assert records[2].record_ids == f",{world['firm'].pk},"
    assert {r.username for r in records} == {staff_user.username}
    assert all(r.action == PersonalDataAccess.Action.LIST for r in records)


def test_erased_participants_are_not_found(staff_client, world):
    from programs.models import Person

    Person.objects.filter(name="김참여1").update(erased_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC))
    assert groups_of(staff_client.get("/search/", {"q": "김참여1"}))["programs"].hits == []
