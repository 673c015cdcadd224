"""The firm page and the home page gather what each support app reports through its selectors."""

import types

import pytest

from guro_sme import support
from guro_sme.support import AttentionItem, SupportRecord


@pytest.fixture
def fake_apps(monkeypatch):
    """Two support apps answering fixed records, in place of the real selectors."""

    def fake(records, items):
        return types.SimpleNamespace(
            firm_support=lambda firm: [r for r in records if firm.name in r.title],
            attention_items=lambda user: items,
        )

    apps = {
        "app_a": fake(
            [SupportRecord("저리융자", 2017, "가나기업 2017 상반기", 300_000_000, "상환중", "/x/")],
            [AttentionItem("심의할 안건", 3, "/loans/meetings/")],
        ),
        "app_b": fake([SupportRecord("KOTRA 해외지사화", 2018, "가나기업 런던(영국)", 1_750_000)], []),
    }
    monkeypatch.setattr(support.settings, "SUPPORT_APPS", list(apps))
    monkeypatch.setattr(support, "_selectors", apps.__getitem__)


def test_firm_page_lists_support_from_every_app_newest_first(manager_client, make_firm, fake_apps):
    firm = make_firm(name="가나기업")
    page = manager_client.get(firm.get_absolute_url()).content.decode()
    body = page[page.index("지원 이력") :]
    assert body.index("KOTRA 해외지사화") < body.index("저리융자")
    assert "300,000,000원" in body and "1,750,000원" in body and "상환중" in body


def test_firm_page_says_when_there_is_no_support(manager_client, make_firm, fake_apps):
    firm = make_firm(name="다른기업")
    assert "아직 지원받은 기록이 없습니다." in manager_client.get(firm.get_absolute_url()).content.decode()


def test_home_shows_what_needs_attention(staff_client, fake_apps):
    body = staff_client.get("/").content.decode()
    assert "심의할 안건" in body and '<span class="badge">3</span>' in body


def test_home_says_when_nothing_needs_attention(staff_client, monkeypatch):
    monkeypatch.setattr(support.settings, "SUPPORT_APPS", [])
    assert "지금 처리할 일이 없습니다." in staff_client.get("/").content.decode()


def test_a_csrf_failure_is_explained_in_korean(staff_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    response = client.post("/firms/new/", {"name": "x"})
    assert response.status_code == 403
    assert "보안 확인(CSRF)에 실패했습니다" in response.content.decode()
