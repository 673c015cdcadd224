"""Who may use which page. A new view without @role_required fails test_every_view_declares_roles."""

import pytest
from django.urls import get_resolver, reverse
from django.urls.converters import IntConverter

from guro_sme.roles import Role
from guro_sme.routes import walk_urls

PUBLIC = {"login"}


def _walk(patterns):
    return walk_urls(patterns)


def _sample_url(name, converters):
    """The URL of a pattern with made-up arguments: 1 for numbers, "x" for text."""
    kwargs = {key: 1 if isinstance(conv, IntConverter) else "x" for key, conv in converters.items()}
    return reverse(name, kwargs=kwargs)


ALL_VIEWS = sorted((name, view) for name, view, _ in _walk(get_resolver().url_patterns))
ALL_URLS = sorted(
    (name, _sample_url(name, conv))
    for name, _, conv in _walk(get_resolver().url_patterns)
    if name not in PUBLIC
)


@pytest.mark.parametrize(("name", "view"), ALL_VIEWS, ids=[name for name, _ in ALL_VIEWS])
def test_every_view_declares_roles(name, view):
    if name in PUBLIC or name == "logout":
        return
    assert getattr(view, "allowed_roles", None), f"{name} has no @role_required"


@pytest.mark.parametrize(("name", "url"), ALL_URLS, ids=[name for name, _ in ALL_URLS])
def test_every_url_sends_anonymous_users_to_login(client, db, name, url):
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 302, f"{method.__name__} {url}"
        assert response["Location"].startswith("/login/"), url


def test_login_page_is_in_korean(client, db):
    body = client.get("/login/").content.decode()
    assert "로그인" in body and "비밀번호" in body


def test_a_user_without_a_role_sees_a_clear_refusal(norole_client):
    response = norole_client.get("/")
    assert response.status_code == 403
    assert "권한이 없습니다" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "page_name", "allowed"),
    [
        (Role.STAFF, "firm_list", True),
        (Role.STAFF, "firm_create", True),
        (Role.STAFF, "firm_detail", True),
        (Role.STAFF, "firm_edit", True),
        (Role.MANAGER, "firm_list", True),
        (Role.MANAGER, "firm_detail", True),
        (Role.MANAGER, "firm_create", False),
        (Role.MANAGER, "firm_edit", False),
        (Role.COMMITTEE, "firm_list", False),
        (Role.COMMITTEE, "firm_create", False),
        (Role.COMMITTEE, "firm_detail", False),
        (Role.COMMITTEE, "firm_edit", False),
        (None, "firm_list", False),
        (None, "firm_create", False),
        (None, "firm_detail", False),
        (None, "firm_edit", False),
    ],
)
def test_firm_pages_by_role(client, make_user, make_firm, role, page_name, allowed):
    firm = make_firm()
    client.force_login(make_user(role))
    url = (
        reverse(page_name, args=[firm.pk])
        if page_name in ("firm_detail", "firm_edit")
        else reverse(page_name)
    )
    response = client.get(url)
    assert response.status_code == (200 if allowed else 403)
    if not allowed:
        assert "권한이 없습니다" in response.content.decode()


def test_a_refused_role_cannot_post_either(manager_client):
    from guro_sme.models import Firm

    response = manager_client.post(reverse("firm_create"), {"business_number": "220-81-62517"})
    assert response.status_code == 403
    assert Firm.objects.count() == 0


@pytest.mark.parametrize("role", [Role.STAFF, Role.COMMITTEE, Role.MANAGER])
def test_home_greets_every_role(client, make_user, role):
    client.force_login(make_user(role))
    assert client.get("/").status_code == 200


def test_role_groups_exist_after_migrate(db):
    from django.contrib.auth.models import Group

    assert set(Group.objects.values_list("name", flat=True)) >= {"담당자", "심의위원", "관리자"}
    staff = Group.objects.get(name="담당자")
    assert staff.permissions.filter(codename="change_firm").exists()
    assert not Group.objects.get(name="관리자").permissions.filter(codename="change_firm").exists()


def test_logout_asks_to_confirm_on_get_and_logs_out_on_post(staff_client):
    page = staff_client.get("/logout/")
    assert page.status_code == 200
    assert "로그아웃하시겠습니까?" in page.content.decode()
    assert staff_client.get("/firms/").status_code == 200  # still logged in after the GET
    response = staff_client.post("/logout/")
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert staff_client.get("/firms/")["Location"].startswith("/login/")
