"""The breadcrumb trail on every page: 홈 › section › page, derived from the URL and the title."""

from django.urls import reverse

from tests.breadcrumbs import trail_in


def _trail(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return trail_in(response.content.decode())


def test_home_shows_no_trail(staff_client):
    assert _trail(staff_client, reverse("home")) == []


def test_a_section_index_is_home_then_the_section(staff_client):
    assert _trail(staff_client, reverse("firm_list")) == [("홈", "/"), ("기업", None)]
    assert _trail(staff_client, reverse("loans:index")) == [("홈", "/"), ("저리융자", None)]


def test_a_page_is_named_by_its_title_block_under_its_section(staff_client, make_firm):
    firm = make_firm(name="(주)구로&정밀")
    assert _trail(staff_client, reverse("firm_detail", args=[firm.pk])) == [
        ("홈", "/"),
        ("기업", reverse("firm_list")),
        ("(주)구로&정밀", None),
    ]


def test_a_page_of_no_section_is_home_then_the_page(staff_client):
    assert _trail(staff_client, reverse("search") + "?q=구로") == [("홈", "/"), ("통합 검색", None)]


def test_the_committee_pages_are_their_own_section(committee_client):
    assert _trail(committee_client, reverse("loans:meeting_list")) == [
        ("홈", "/"),
        ("기금운용심의위원회", None),
    ]


def test_the_trail_is_hidden_in_print_and_wraps(staff_client):
    from pathlib import Path

    from django.conf import settings

    css = (Path(settings.BASE_DIR) / "static" / "css" / "app.css").read_text()
    print_rules = css[css.index("@media print") :]
    hidden = next(line for line in print_rules.splitlines() if "display: none !important" in line)
    assert ".breadcrumbs" in hidden
    assert "flex-wrap: wrap" in css[css.index(".breadcrumbs ol") :].split("}")[0]
