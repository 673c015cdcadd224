"""The firm field takes what staff type (a suggestion, a 사업자등록번호 with or without dashes, or
a firm's id from a link) and never lists every firm; /firms/lookup/ suggests as they type."""

import pytest
from django import forms
from django.urls import reverse

from guro_sme.forms import FirmField, firm_label
from guro_sme.models import PersonalDataAccess


class PickFirm(forms.Form):
    firm = FirmField(label="기업")


@pytest.fixture
def firms(make_firm):
    inside = make_firm(name="(주)구로테크", representative="정효진")
    outside = make_firm(name="(주)관외상사", in_district=False)
    return inside, outside


def test_the_field_finds_the_firm_from_what_staff_type(firms):
    inside, outside = firms
    for typed in (
        inside.business_number,
        inside.business_number_display,
        firm_label(inside),
        str(inside.pk),
        f"  {inside.business_number_display} ",
    ):
        form = PickFirm({"firm": typed})
        assert form.is_valid(), (typed, form.errors)
        assert form.cleaned_data["firm"] == inside
    assert firm_label(outside).endswith(" · 관외")
    assert PickFirm({"firm": firm_label(outside)}).is_valid()


@pytest.mark.parametrize("typed", ["(주)구로테크", "123-45-67890", "999999", "=1+1", "구로 (12)"])
def test_anything_else_is_refused_in_korean(firms, typed):
    form = PickFirm({"firm": typed})
    assert not form.is_valid()
    assert form.errors["firm"] == [
        "등록된 기업을 찾을 수 없습니다. 사업자등록번호(예: 123-45-67890)를 입력하거나 제안 목록에서 고르세요."
    ]


def test_the_form_shows_the_chosen_firm_by_name_and_lists_no_firms(firms):
    inside, outside = firms
    html = str(PickFirm(initial={"firm": inside.pk})["firm"])
    assert f'value="{firm_label(inside)}"' in html and 'list="id_firm-suggestions"' in html
    assert '<datalist id="id_firm-suggestions"></datalist>' in html
    assert outside.name not in html


def test_the_intake_page_no_longer_lists_every_firm(staff_client, make_firm):
    names = [make_firm(name=f"(주)목록기업{n}").name for n in range(30)]
    page = staff_client.get(reverse("loans:application_create")).content.decode()
    assert not any(name in page for name in names)


def test_suggestions_by_name_representative_and_number_are_access_logged(staff_client, firms):
    inside, outside = firms
    url = reverse("firm_lookup")
    for query in ("구로테", "정효진", inside.business_number_display):
        data = staff_client.get(url, {"q": query}).json()
        assert data["firms"] == [{"label": firm_label(inside)}], query
    assert staff_client.get(url, {"q": "관외"}).json()["firms"] == [{"label": firm_label(outside)}]
    assert PersonalDataAccess.objects.filter(path=url).count() == 4
    assert staff_client.get(url, {"q": ""}).json() == {"firms": [], "message": "검색어를 입력하세요."}


def test_only_staff_get_suggestions(manager_client, committee_client, norole_client, client, firms):
    url = reverse("firm_lookup") + "?q=구로테"
    for other in (manager_client, committee_client, norole_client):
        assert other.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code in (302, 403)


@pytest.mark.parametrize("count", [2, 25])
def test_suggestions_run_a_constant_number_of_queries(
    staff_client, make_firm, django_assert_max_num_queries, count
):
    for n in range(count):
        make_firm(name=f"(주)같은이름{n}")
    with django_assert_max_num_queries(8):
        data = staff_client.get(reverse("firm_lookup"), {"q": "같은이름"}).json()
    assert len(data["firms"]) == min(count, 20)
