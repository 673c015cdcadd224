"""The firm page offers staff the next steps for that firm, the firm already chosen."""

import datetime

import pytest


@pytest.fixture
def projects(db):
    from kotra.models import KotraProject
    from marketing.models import MarketingProject

    this_year = datetime.date.today().year
    KotraProject.objects.create(year=this_year, budget_won=15_000_000)
    KotraProject.objects.create(year=this_year - 1, budget_won=15_000_000)
    MarketingProject.objects.create(year=this_year - 1, budget_won=15_000_000)
    return this_year


def test_staff_see_the_next_steps_with_the_firm_chosen(staff_client, make_firm, projects):
    firm = make_firm(name="구로정밀")

    page = staff_client.get(f"/firms/{firm.pk}/").content.decode()

    assert f'href="/loans/applications/new/?firm={firm.pk}">융자 신청</a>' in page
    # This year's KOTRA project; marketing has only last year's, so that one.
    assert f'href="/kotra/projects/{projects}/participants/new/?firm={firm.pk}">KOTRA 참여 등록</a>' in page
    assert f'href="/marketing/projects/{projects - 1}/firms/new/?firm={firm.pk}">마케팅 지원 등록</a>' in page


def test_managers_do_not_see_the_next_steps(manager_client, make_firm, projects):
    firm = make_firm(name="구로정밀")

    page = manager_client.get(f"/firms/{firm.pk}/").content.decode()

    assert "이 기업으로 시작하기" not in page
    assert "KOTRA 참여 등록" not in page and "융자 신청</a>" not in page


def test_without_projects_only_the_loan_application_is_offered(staff_client, make_firm):
    firm = make_firm()

    page = staff_client.get(f"/firms/{firm.pk}/").content.decode()

    assert "융자 신청</a>" in page
    assert "KOTRA 참여 등록" not in page and "마케팅 지원 등록" not in page


def test_the_kotra_and_marketing_forms_open_with_the_firm_chosen(staff_client, make_firm, projects):
    firm = make_firm(name="구로정밀")

    kotra = staff_client.get(f"/kotra/projects/{projects}/participants/new/", {"firm": firm.pk})
    marketing = staff_client.get(f"/marketing/projects/{projects - 1}/firms/new/", {"firm": firm.pk})

    assert kotra.context["form"]["firm"].value() == firm.pk
    assert marketing.context["form"]["firm"].value() == firm.pk
    from guro_sme.forms import firm_label

    assert f'value="{firm_label(firm)}"' in kotra.content.decode()
    # A junk ?firm= is ignored, not a 500.
    assert (
        staff_client.get(f"/kotra/projects/{projects}/participants/new/", {"firm": "x²"}).status_code == 200
    )
