"""The marketing pages: the year overview, project detail, forms, who may see what, query counts."""

import datetime
import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guro_sme.roles import Role
from marketing.models import BloggerEvent, MarketingProject, Selection


def page(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def selection(project, event, venture, select):
    return select(
        project, venture(name="(주)구로벤처"), 1_500_000, event=event, product="AR 안경", posts_count=7
    )


def test_the_overview_shows_budget_spent_and_firms_per_year(selection, make_project, manager_client):
    make_project(2017, budget_won=10_000_000)
    body = page(manager_client.get("/marketing/"))
    assert "2018년" in body and "2017년" in body
    assert "15,000,000원" in body and "1,500,000원" in body and "13,500,000원" in body
    assert "10%" in body  # 1.5M of 15M spent
    assert "1개사" in body and "0개사" in body


def test_the_project_page_lists_events_and_firms_with_results(selection, manager_client):
    body = page(manager_client.get("/marketing/projects/2018/"))
    assert (
        "파워블로거 초청 품평회" in body
        and "2018.04.19" in body
        and "구로구청 대강당" in body
        and "20명" in body
    )
    assert "(주)구로벤처" in body and "AR 안경" in body and "1,500,000원" in body
    assert "선정기업 등록" not in body  # managers read only


def test_an_unknown_year_is_a_404_in_korean_layout(staff_client, db):
    assert staff_client.get("/marketing/projects/2031/").status_code == 404


def selection_post(firm, **overrides):
    data = {
        "firm": firm.pk,
        "event": "",
        "product": "",
        "cost_won": "1,500,000",
        "posts_count": "",
        "reach": "",
        "link_url": "",
        "note": "",
    }
    data.update(overrides)
    return data


def test_staff_selects_a_venture_firm(project, event, venture, staff_client):
    firm = venture(name="(주)신규벤처")
    response = staff_client.post(
        reverse("marketing:selection_create", args=[2018]), selection_post(firm, event=event.pk)
    )
    assert response.status_code == 302 and response["Location"] == "/marketing/projects/2018/"
    selection = Selection.objects.get()
    assert (selection.cost_won, selection.posts_count, selection.event) == (1_500_000, 0, event)
    body = page(staff_client.get("/marketing/projects/2018/"))
    assert "'(주)신규벤처' 선정 내용을 저장했습니다." in body and "벤처기업이 아닙니다" not in body


def test_a_non_venture_firm_is_saved_with_a_warning(project, make_firm, staff_client):
    firm = make_firm(name="(주)보통기업", firm_type="sme")
    response = staff_client.post(
        reverse("marketing:selection_create", args=[2018]), selection_post(firm), follow=True
    )
    body = page(response)
    assert "'(주)보통기업'은 벤처기업이 아닙니다(중소기업)." in body
    assert "벤처 아님" in body
    assert Selection.objects.count() == 1


def test_a_budget_refusal_shows_on_the_form_and_nothing_is_written(make_project, venture, staff_client):
    make_project(2018, budget_won=1_000_000)
    response = staff_client.post(
        reverse("marketing:selection_create", args=[2018]), selection_post(venture())
    )
    assert response.status_code == 200
    assert "2018년 예산 1,000,000원을 넘습니다" in page(response)
    assert Selection.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"cost_won": ""}, "지원비용을 입력하세요."),
        ({"cost_won": "백만원"}, "금액은 원 단위 숫자로 입력하세요"),
        ({"link_url": "blog"}, "링크는 https://로 시작하는 주소로 입력하세요"),
        ({"posts_count": "많음"}, "게시글 수는 숫자로 입력하세요"),
    ],
)
def test_bad_selection_input_gets_korean_messages(project, venture, staff_client, overrides, message):
    response = staff_client.post(
        reverse("marketing:selection_create", args=[2018]), selection_post(venture(), **overrides)
    )
    assert response.status_code == 200 and message in page(response)
    assert Selection.objects.count() == 0


def test_an_event_of_another_year_cannot_be_chosen(project, make_project, venture, staff_client):
    other = BloggerEvent.objects.create(
        project=make_project(2017), held_on=datetime.date(2017, 5, 1), place="x"
    )
    response = staff_client.post(
        reverse("marketing:selection_create", args=[2018]), selection_post(venture(), event=other.pk)
    )
    assert "이 사업의 품평회를 고르세요." in page(response)
    assert Selection.objects.count() == 0


def test_staff_enters_the_results_later(selection, staff_client):
    data = selection_post(
        selection.firm,
        event=selection.event_id,
        posts_count="14",
        reach="23,000",
        link_url="https://blog.example.com/x",
    )
    data["reach"] = "23000"
    response = staff_client.post(reverse("marketing:selection_edit", args=[selection.pk]), data)
    assert response.status_code == 302
    selection.refresh_from_db()
    assert (selection.posts_count, selection.reach, selection.link_url) == (
        14,
        23_000,
        "https://blog.example.com/x",
    )


def test_staff_creates_a_project_and_an_event(db, staff_client):
    response = staff_client.post(
        reverse("marketing:project_create"),
        {
            "year": "2019",
            "title": "소셜네트워크 활용 마케팅 지원",
            "budget_won": "15,000,000",
            "target_firms": "10",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/marketing/projects/2019/"
    response = staff_client.post(
        reverse("marketing:event_create", args=[2019]),
        {
            "title": "파워블로거 초청 품평회",
            "held_on": "2019-05-20",
            "place": "G밸리 비즈플라자",
            "bloggers_invited": "",
            "blogger_names": "맛집왕\n테크리뷰어",
        },
    )
    assert response.status_code == 302
    event = BloggerEvent.objects.get()
    assert event.project.year == 2019 and event.bloggers_invited == 2


def test_an_event_needs_a_date_and_place_in_korean(project, staff_client):
    response = staff_client.post(
        reverse("marketing:event_create", args=[2018]), {"title": "품평회", "held_on": "5월", "place": ""}
    )
    body = page(response)
    assert "개최일을 2018-06-15 형식으로 입력하세요." in body and "장소를 입력하세요." in body
    assert BloggerEvent.objects.count() == 0


def test_a_duplicate_year_is_refused_in_korean(project, staff_client):
    response = staff_client.post(
        reverse("marketing:project_create"),
        {"year": "2018", "title": "x", "budget_won": "1", "target_firms": "10"},
    )
    assert "이미 등록된 연도의 사업입니다." in page(response)


def test_lowering_the_budget_below_spending_is_refused_on_the_form(selection, staff_client):
    response = staff_client.post(
        reverse("marketing:project_edit", args=[2018]),
        {"title": "x", "budget_won": "1,000,000", "target_firms": "10"},
    )
    assert "이미 집행한 비용 1,500,000원보다 적은 예산" in page(response)
    assert MarketingProject.objects.get().budget_won == 15_000_000


# --- who may do what ----------------------------------------------------------------------------

READ_PAGES = ["index", "project_detail"]
STAFF_PAGES = [
    "project_create",
    "project_edit",
    "event_create",
    "event_edit",
    "selection_create",
    "selection_edit",
    "selection_delete",
]


def url_of(name, selection):
    if name in ("project_detail", "project_edit", "event_create", "selection_create"):
        return reverse(f"marketing:{name}", args=[selection.project.year])
    if name == "event_edit":
        return reverse(f"marketing:{name}", args=[selection.event_id])
    if name in ("selection_edit", "selection_delete"):
        return reverse(f"marketing:{name}", args=[selection.pk])
    return reverse(f"marketing:{name}")


@pytest.mark.parametrize(
    ("role", "name", "allowed"),
    [(Role.STAFF, name, True) for name in READ_PAGES + STAFF_PAGES]
    + [(Role.MANAGER, name, True) for name in READ_PAGES]
    + [(Role.MANAGER, name, False) for name in STAFF_PAGES]
    + [(Role.COMMITTEE, name, False) for name in READ_PAGES + STAFF_PAGES]
    + [(None, name, False) for name in READ_PAGES + STAFF_PAGES],
)
def test_pages_by_role(client, make_user, selection, role, name, allowed):
    client.force_login(make_user(role))
    response = client.get(url_of(name, selection))
    assert response.status_code == (200 if allowed else 403)
    if not allowed:
        assert "권한이 없습니다" in page(response)


@pytest.mark.parametrize("name", STAFF_PAGES)
@pytest.mark.parametrize("role", [Role.MANAGER, Role.COMMITTEE])
def test_refused_roles_cannot_post_either(client, make_user, selection, venture, role, name):
    client.force_login(make_user(role))
    data = {
        **selection_post(venture()),
        "year": "2020",
        "budget_won": "1",
        "held_on": "2018-01-01",
        "place": "x",
        "title": "x",
        "target_firms": "1",
    }
    response = client.post(url_of(name, selection), data)
    assert response.status_code == 403
    assert (MarketingProject.objects.count(), BloggerEvent.objects.count(), Selection.objects.count()) == (
        1,
        1,
        1,
    )
    assert MarketingProject.objects.get().budget_won == 15_000_000


# --- constant queries ---------------------------------------------------------------------------


def _fill(venture, select, count, years):
    for year in years:
        project = MarketingProject.objects.get_or_create(year=year, defaults={"budget_won": 100_000_000})[0]
        event = BloggerEvent.objects.create(project=project, held_on=datetime.date(year, 5, 1), place="x")
        for _ in range(count):
            select(project, venture(), 1_000, event=event)


@pytest.mark.parametrize("url", ["/marketing/", "/marketing/projects/2018/"])
def test_the_pages_run_the_same_queries_for_few_or_many_firms(
    db, venture, select, staff_client, django_assert_max_num_queries, url
):
    _fill(venture, select, 2, [2018])
    staff_client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert staff_client.get(url).status_code == 200
    _fill(venture, select, 10, [2018, 2017, 2016])
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert staff_client.get(url).status_code == 200
    assert len(small.captured_queries) <= 10


def test_the_firm_page_lists_the_marketing_support(selection, manager_client):
    body = page(manager_client.get(selection.firm.get_absolute_url()))
    assert "마케팅 지원" in body and "1,500,000원" in body and "결과 입력" in body


def test_staff_see_selections_without_results(make_project, venture, select, staff_user, manager_user):
    from django.utils import timezone

    from marketing.selectors import attention_items

    year = timezone.localdate().year
    project = make_project(year)
    select(project, venture())
    select(project, venture(), posts_count=3)
    [item] = attention_items(staff_user)
    assert item.count == 1 and item.url == f"/marketing/projects/{year}/"
    assert attention_items(manager_user) == []


def test_staff_delete_a_selection_by_post_only(selection, staff_client, staff_user):
    url = reverse("marketing:selection_delete", args=[selection.pk])
    assert "(주)구로벤처" in page(staff_client.get(url))
    assert Selection.objects.count() == 1  # nothing changes on GET
    response = staff_client.post(url)
    assert response.status_code == 302 and response["Location"] == "/marketing/projects/2018/"
    assert Selection.objects.count() == 0
    assert Selection.history.filter(history_type="-").get().history_user == staff_user


def test_every_page_of_the_demo_years_renders_for_staff(demo_state, staff_client):
    demo_state("marketing")  # marketing's demo.load(); it makes no users
    urls = ["/marketing/"] + [p.get_absolute_url() for p in MarketingProject.objects.all()]
    urls += [reverse("marketing:selection_edit", args=[s.pk]) for s in Selection.objects.all()[:3]]
    urls += [reverse("marketing:event_edit", args=[e.pk]) for e in BloggerEvent.objects.all()[:3]]
    for url in urls:
        assert staff_client.get(url).status_code == 200, url
