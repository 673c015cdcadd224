"""The KOTRA pages: the year table, the Excel export, the forms, who may see what, query counts."""

import html
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from guro_sme.roles import Role
from kotra.models import KotraProject, Participant, ParticipationFee


@pytest.fixture
def participant(project, register, make_firm):
    return register(project, make_firm(name="(주)구로수출"), branch=4_000_000, logistics=500_000)


def page(response) -> str:
    return html.unescape(response.content.decode())


# --- the support table -------------------------------------------------------------------------


def test_the_year_table_shows_the_seeds_columns_total_and_the_flag(seed_demo, manager_client):
    body = page(manager_client.get("/kotra/?year=2017"))
    for header in ("연번", "회사명", "대표자", "생산품명", "무역관명", "지원금"):
        assert f">{header}</th>" in body
    assert "(주)한드림넷" in body and "호치민(베트남)" in body and "1,900,000" in body
    assert "합계 (9개 기업)" in body and "13,900,000" in body
    assert body.count("대표자 중복</span>") == 2
    assert "※ 대표자 중복: 이승재 — (주)나일소프트, (주)두니코프" in body


def test_without_a_year_the_latest_project_is_shown(seed_demo, staff_client):
    body = page(staff_client.get("/kotra/"))
    assert "KOTRA 해외지사화 사업 지원 · 2018년" in body


@pytest.mark.parametrize("year", ["abc", "1800", "20177", "-2017", "2017.5", "２０１７"])
def test_a_bad_year_gets_a_korean_message_not_a_500(seed_demo, manager_client, year):
    response = manager_client.get("/kotra/", {"year": year})
    assert response.status_code == 400
    assert "연도는 2000~2100 사이의 숫자로 입력하세요" in page(response)


def test_a_year_without_a_project_says_so(seed_demo, staff_client):
    body = page(staff_client.get("/kotra/?year=2030"))
    assert "2030년 KOTRA 해외지사화 사업이 등록되지 않았습니다." in body


# --- the Excel export ---------------------------------------------------------------------------


def test_the_excel_export_holds_the_same_table(seed_demo, manager_client):
    response = manager_client.get("/kotra/export.xlsx?year=2017")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="kotra_2017.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "2017년 KOTRA 해외지사화 사업 지원 실적"
    assert rows[2] == ("연번", "회사명", "대표자", "생산품명", "무역관명", "지원금")
    assert rows[5] == (3, "(주)한드림넷", "서현원", "네트워크스위치", "호치민(베트남)", 1_900_000)
    assert len(rows[3:12]) == 9 and [r[0] for r in rows[3:12]] == list(range(1, 10))
    assert rows[12][0] == "합계" and rows[12][5] == 13_900_000
    assert rows[13][0] == "※ 대표자 중복: 이승재 ((주)나일소프트, (주)두니코프)"
    assert sheet["F4"].number_format == "#,##0"


def test_the_export_refuses_a_bad_year_in_korean(manager_client):
    response = manager_client.get("/kotra/export.xlsx?year=twenty")
    assert response.status_code == 400
    assert "연도는 2000~2100 사이의 숫자로 입력하세요" in page(response)


# --- forms --------------------------------------------------------------------------------------


def participant_post(the_firm, **overrides):
    data = {
        "firm": the_firm.pk,
        "trade_office_city": "런던",
        "trade_office_country": "영국",
        "product": "",
        "branch_fee": "4,000,000",
        "logistics_fee": "500000원",
        "other_agency_name": "",
        "note": "",
    }
    data.update(overrides)
    return data


def test_staff_registers_a_participant_and_sees_the_capped_subsidy(project, staff_client, make_firm):
    firm = make_firm(name="(주)구로수출", industry="전자부품")
    response = staff_client.post(reverse("kotra:participant_create", args=[2018]), participant_post(firm))
    participant = Participant.objects.get()
    assert response.status_code == 302 and response["Location"] == participant.get_absolute_url()
    body = page(staff_client.get(participant.get_absolute_url()))
    assert "1,750,000원" in body and "250,000원" in body and "2,000,000원" in body
    assert participant.product == "전자부품"


def test_a_refusal_is_shown_on_the_form_and_nothing_is_written(project, staff_client, make_firm):
    from guro_sme.models import DistrictProfile

    DistrictProfile.objects.create(district_name="구로구", department="지역경제과")
    from kotra.models import TradeOffice

    firm = make_firm(name="관외기업", in_district=False)
    offices = TradeOffice.objects.count()
    data = participant_post(firm, trade_office_city="새도시", trade_office_country="새나라")
    response = staff_client.post(reverse("kotra:participant_create", args=[2018]), data)
    assert response.status_code == 200
    assert "'관외기업'은 구로구 소재 기업이 아니어서 참여할 수 없습니다." in page(response)
    assert Participant.objects.count() == 0
    assert TradeOffice.objects.count() == offices  # a refused form writes nothing, no trade office either


def test_other_agency_funding_recorded_by_staff_is_refused(project, staff_client, make_firm):
    data = participant_post(make_firm(), other_agency_funded="on", other_agency_name="서울산업진흥원")
    response = staff_client.post(reverse("kotra:participant_create", args=[2018]), data)
    assert "서울산업진흥원의 지원을 이미 받고 있어 중복 지원할 수 없습니다." in page(response)
    assert Participant.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"branch_fee": "", "logistics_fee": ""}, "하나 이상의 참가비를 입력하세요"),
        ({"branch_fee": "삼백만원"}, "금액은 원 단위 숫자로 입력하세요"),
        ({"branch_fee": "0"}, "1원 이상으로 입력하세요"),
        ({"trade_office_city": ""}, "무역관 도시를 입력하세요"),
        ({"firm": "999999"}, "등록된 기업을 찾을 수 없습니다"),
        ({"firm": "123-45-67890"}, "등록된 기업을 찾을 수 없습니다"),
    ],
)
def test_bad_form_input_gets_korean_messages(project, staff_client, make_firm, overrides, message):
    data = participant_post(make_firm(), **overrides)
    response = staff_client.post(reverse("kotra:participant_create", args=[2018]), data)
    assert response.status_code == 200
    assert message in page(response)
    assert Participant.objects.count() == 0


def test_staff_edits_a_participant_and_the_subsidy_follows(participant, staff_client):
    data = participant_post(
        participant.firm,
        branch_fee="2,000,001",
        logistics_fee="",
        trade_office_city="도쿄",
        trade_office_country="일본",
    )
    response = staff_client.post(reverse("kotra:participant_edit", args=[participant.pk]), data)
    assert response.status_code == 302
    participant.refresh_from_db()
    assert str(participant.trade_office) == "도쿄(일본)"
    assert list(participant.fees.values_list("fee_won", "subsidy_won")) == [(2_000_001, 1_000_000)]


def test_the_edit_form_shows_the_current_fees(participant, staff_client):
    body = page(staff_client.get(reverse("kotra:participant_edit", args=[participant.pk])))
    assert 'value="4,000,000"' in body and 'value="500,000"' in body


def test_staff_creates_and_edits_a_project(db, staff_client):
    data = {
        "year": "2019",
        "title": "KOTRA 해외지사화 사업 지원",
        "budget_won": "15,000,000",
        "target_firms": "10",
        "subsidy_rate": "0.50",
        "cap_per_sub_program_won": "1,750,000",
        "note": "",
    }
    response = staff_client.post(reverse("kotra:project_create"), data)
    assert response.status_code == 302 and response["Location"] == "/kotra/projects/2019/"
    response = staff_client.post(reverse("kotra:project_create"), data)
    assert "이미 등록된 연도의 사업입니다." in page(response)
    staff_client.post(reverse("kotra:project_edit", args=[2019]), {**data, "budget_won": "20000000"})
    assert KotraProject.objects.get(year=2019).budget_won == 20_000_000


def test_lowering_the_budget_below_the_subsidies_is_refused_on_the_form(participant, staff_client):
    data = {
        "title": "KOTRA 해외지사화 사업 지원",
        "budget_won": "1,000,000",
        "target_firms": "10",
        "subsidy_rate": "0.50",
        "cap_per_sub_program_won": "1,750,000",
    }
    response = staff_client.post(reverse("kotra:project_edit", args=[2018]), data)
    assert "예산 1,000,000원을 넘게 되어 저장할 수 없습니다." in page(response)
    assert KotraProject.objects.get().budget_won == 15_000_000


# --- who may do what ----------------------------------------------------------------------------

READ_PAGES = ["index", "export_xlsx", "project_detail", "participant_detail"]
STAFF_PAGES = [
    "project_create",
    "project_edit",
    "participant_create",
    "participant_edit",
    "participant_delete",
]


def url_of(name, participant):
    if name in ("project_detail", "project_edit", "participant_create"):
        return reverse(f"kotra:{name}", args=[participant.project.year])
    if name in ("participant_detail", "participant_edit", "participant_delete"):
        return reverse(f"kotra:{name}", args=[participant.pk])
    return reverse(f"kotra:{name}")


@pytest.mark.parametrize(
    ("role", "name", "allowed"),
    [(Role.STAFF, name, True) for name in READ_PAGES + STAFF_PAGES]
    + [(Role.MANAGER, name, True) for name in READ_PAGES]
    + [(Role.MANAGER, name, False) for name in STAFF_PAGES]
    + [(Role.COMMITTEE, name, False) for name in READ_PAGES + STAFF_PAGES]
    + [(None, name, False) for name in READ_PAGES + STAFF_PAGES],
)
def test_pages_by_role(client, make_user, participant, role, name, allowed):
    client.force_login(make_user(role))
    response = client.get(url_of(name, participant))
    assert response.status_code == (200 if allowed else 403)
    if not allowed:
        assert "권한이 없습니다" in page(response)


@pytest.mark.parametrize("name", STAFF_PAGES)
@pytest.mark.parametrize("role", [Role.MANAGER, Role.COMMITTEE])
def test_refused_roles_cannot_post_either(client, make_user, participant, make_firm, role, name):
    client.force_login(make_user(role))
    before = (Participant.objects.count(), ParticipationFee.objects.count(), KotraProject.objects.count())
    response = client.post(
        url_of(name, participant), participant_post(make_firm(), year="2020", budget_won="1")
    )
    assert response.status_code == 403
    assert (
        Participant.objects.count(),
        ParticipationFee.objects.count(),
        KotraProject.objects.count(),
    ) == before
    assert KotraProject.objects.get().budget_won == 15_000_000


def test_the_nav_and_buttons_for_managers_hide_the_staff_actions(participant, manager_client):
    body = page(manager_client.get("/kotra/?year=2018"))
    assert "참여기업 등록" not in body and "엑셀 내려받기" in body


# --- constant queries ---------------------------------------------------------------------------


def _fill(project, register, make_firm, count):
    for n in range(count):
        register(project, make_firm(name=f"기업{n}"), branch=1_000_000, logistics=100_000)


@pytest.mark.parametrize("name", ["index", "export_xlsx", "project_detail"])
def test_the_year_pages_run_the_same_queries_for_2_or_12_firms(
    project, register, make_firm, staff_client, django_assert_max_num_queries, name
):
    url = url_of(name, Participant(project=project)) + ("?year=2018" if name != "project_detail" else "")
    _fill(project, register, make_firm, 2)
    staff_client.get(url)  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert staff_client.get(url).status_code == 200
    _fill(project, register, make_firm, 10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert staff_client.get(url).status_code == 200
    assert len(small.captured_queries) <= 10


def test_the_firm_page_lists_the_kotra_support(participant, manager_client):
    body = page(manager_client.get(participant.firm.get_absolute_url()))
    assert "KOTRA 해외지사화" in body and "런던(영국) 무역관" in body and "2,000,000원" in body


def test_staff_see_how_many_firms_this_years_project_still_lacks(
    make_project, register, make_firm, staff_user, manager_user
):
    from django.utils import timezone

    from kotra.selectors import attention_items

    year = timezone.localdate().year
    project = make_project(year, target_firms=3)
    register(project, make_firm(), branch=1_000_000)
    [item] = attention_items(staff_user)
    assert item.count == 2 and item.url == f"/kotra/?year={year}"
    assert attention_items(manager_user) == []


def test_the_participant_page_shows_who_changed_the_fees(participant, staff_client):
    data = participant_post(participant.firm, branch_fee="3,000,000", logistics_fee="")
    staff_client.post(reverse("kotra:participant_edit", args=[participant.pk]), data)
    body = page(staff_client.get(participant.get_absolute_url()))
    assert "참가비 변경 이력" in body
    # The fixture registered two fees; the edit changed one and removed the other, all by staff.
    assert body.count("<td>김담당</td>") == 4  # family name first (korean_name)
    assert "<td>수정</td><td>해외지사화</td>" in body and "<td>삭제</td><td>물류네트워크</td>" in body


def test_staff_delete_a_participant_by_post_only_and_the_history_keeps_it(
    participant, staff_client, staff_user
):
    url = reverse("kotra:participant_delete", args=[participant.pk])
    assert "참가비 기록을 삭제합니다" in page(staff_client.get(url))
    assert Participant.objects.count() == 1  # nothing changes on GET
    response = staff_client.post(url)
    assert response.status_code == 302 and response["Location"] == "/kotra/projects/2018/"
    assert Participant.objects.count() == 0 and ParticipationFee.objects.count() == 0
    deleted = Participant.history.filter(history_type="-").get()
    assert deleted.history_user == staff_user and deleted.firm_id == participant.firm_id


def test_every_page_of_the_demo_years_renders_for_a_manager(seed_demo, manager_client):
    # Demo rows have no acting user in their history; the pages must still render.
    urls = ["/kotra/", "/kotra/projects/2017/", "/kotra/projects/2018/", "/kotra/export.xlsx?year=2018"]
    urls += [p.get_absolute_url() for p in Participant.objects.all()]
    for url in urls:
        assert manager_client.get(url).status_code == 200, url
