import pytest
from django.urls import reverse
from django.utils import timezone

from guro_sme.models import Firm
from guro_sme.validators import with_check_digit

VALID_NUMBER = "220-81-62517"


def firm_post(**overrides):
    data = {
        "business_number": VALID_NUMBER,
        "name": "(주)구로테크",
        "representative": "김대표",
        "firm_type": Firm.FirmType.SME,
        "address": "서울특별시 구로구 디지털로 300",
        "in_district": "on",
        "industry": "소프트웨어",
        "employees": "12",
        "founded_on": "2015-03-02",
        "phone": "02-000-0000",
        "email": "info@example.com",
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_staff_registers_a_firm_stored_as_ten_digits(staff_client, staff_user):
    response = staff_client.post(reverse("firm_create"), firm_post())
    firm = Firm.objects.get()
    assert response.status_code == 302
    assert response["Location"] == firm.get_absolute_url()
    assert firm.business_number == "2208162517"
    assert firm.employees == 12
    record = firm.history.get()
    assert record.history_user == staff_user
    assert record.history_change_reason == "신규 등록"


def test_a_wrong_check_digit_is_refused_in_korean_and_nothing_is_written(staff_client):
    response = staff_client.post(reverse("firm_create"), firm_post(business_number="220-81-62518"))
    assert response.status_code == 200
    assert "검증번호(마지막 자리)가 맞지 않습니다" in response.content.decode()
    assert Firm.objects.count() == 0


def test_a_number_registered_already_is_refused_even_without_dashes(staff_client, make_firm):
    make_firm(business_number="2208162517")
    response = staff_client.post(reverse("firm_create"), firm_post(business_number="2208162517"))
    assert "이미 등록된 사업자등록번호입니다." in response.content.decode()
    assert Firm.objects.count() == 1


def test_required_fields_have_korean_messages(staff_client):
    response = staff_client.post(reverse("firm_create"), firm_post(name="", representative="", firm_type=""))
    body = response.content.decode()
    assert "회사명을 입력하세요." in body
    assert "대표자를 입력하세요." in body
    assert "기업구분을 선택하세요." in body
    assert Firm.objects.count() == 0


def test_the_database_refuses_a_number_that_is_not_ten_digits(make_firm):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        make_firm(business_number="22081-6251")


def test_moving_out_of_the_district_stays_visible_in_the_history(staff_client, make_firm):
    firm = make_firm(name="이전기업")
    data = firm_post(business_number=firm.business_number, name="이전기업")
    data.pop("in_district")
    staff_client.post(reverse("firm_edit", args=[firm.pk]), data)
    firm.refresh_from_db()
    assert firm.in_district is False
    states = list(firm.history.order_by("history_date").values_list("in_district", flat=True))
    assert states == [True, False]
    page = staff_client.get(firm.get_absolute_url()).content.decode()
    assert "정보 수정" in page and "(관외)" in page
    # Korean labels and names as Koreans write them (family name first), not Django's English.
    assert "<td>수정</td>" in page and "Changed" not in page
    assert "<td>김담당</td>" in page


def test_edit_form_shows_the_number_with_dashes(staff_client, make_firm):
    firm = make_firm(business_number="2208162517")
    response = staff_client.get(reverse("firm_edit", args=[firm.pk]))
    assert 'value="220-81-62517"' in response.content.decode()


def test_list_filters_by_name_number_type_and_district(manager_client, make_firm):
    make_firm(name="가나소프트", business_number=with_check_digit("113810001"))
    make_firm(name="다라상회", firm_type=Firm.FirmType.SMALL_BUSINESS, in_district=False)
    url = reverse("firm_list")
    assert "가나소프트" in manager_client.get(url, {"q": "가나"}).content.decode()
    assert "다라상회" not in manager_client.get(url, {"q": "가나"}).content.decode()
    assert "가나소프트" in manager_client.get(url, {"business_number": "113-81"}).content.decode()
    by_type = manager_client.get(url, {"firm_type": "small_business"}).content.decode()
    assert "다라상회" in by_type and "가나소프트" not in by_type
    outside = manager_client.get(url, {"in_district": "false"}).content.decode()
    assert "다라상회" in outside and "가나소프트" not in outside


def test_list_is_sortable_and_paginated(manager_client, make_firm):
    for i in range(30):
        make_firm(name=f"기업{i:02d}")
    first_page = manager_client.get(reverse("firm_list"), {"sort": "-name"}).content.decode()
    assert "기업29" in first_page and "기업00" not in first_page
    second_page = manager_client.get(reverse("firm_list"), {"sort": "-name", "page": 2}).content.decode()
    assert "기업00" in second_page


@pytest.mark.parametrize("count", [10, 200])
def test_firm_list_runs_a_constant_number_of_queries(
    manager_client, make_firm, count, django_assert_max_num_queries
):
    for _ in range(count):
        make_firm()
    with django_assert_max_num_queries(8):
        response = manager_client.get(reverse("firm_list"))
    assert response.status_code == 200


def test_a_bad_page_number_does_not_fail(manager_client, make_firm):
    make_firm()
    assert manager_client.get(reverse("firm_list"), {"page": "abc"}).status_code in (200, 404)
    assert manager_client.get(reverse("firm_list"), {"page": "999"}).status_code in (200, 404)


def test_an_unknown_firm_is_a_404(manager_client):
    assert manager_client.get("/firms/999999/").status_code == 404


# --- 개인정보 수집·이용 동의 -------------------------------------------------------------------


def test_a_new_firm_without_consent_is_refused_with_the_notice_and_nothing_is_written(staff_client):
    response = staff_client.post(reverse("firm_create"), firm_post(consent=""))
    page = response.content.decode()
    assert response.status_code == 200
    assert "개인정보 수집·이용 동의를 확인하세요." in page
    for part in [
        "수집 항목: 대표자 성명, 전화번호, 이메일, 사업장 주소",
        "마지막 지원이 끝난 뒤 5년",
        "동의를 거부할 권리가 있으며",
    ]:
        assert part in page
    assert Firm.objects.count() == 0


def test_the_consent_is_recorded_with_its_date_and_shown_on_the_firm_page(staff_client, staff_user):
    staff_client.post(reverse("firm_create"), firm_post())
    firm = Firm.objects.get()
    assert firm.consent_recorded_by == staff_user and firm.consent_version
    assert firm.history.get().consent_at == firm.consent_at
    page = staff_client.get(firm.get_absolute_url()).content.decode()
    assert f"{timezone.localtime(firm.consent_at):%Y.%m.%d} 동의" in page


def test_changing_the_contacts_of_a_firm_without_a_recorded_consent_asks_for_it(staff_client, make_firm):
    firm = make_firm(name="동의없음")
    data = firm_post(business_number=firm.business_number, name="동의없음", phone="02-999-9999", consent="")
    response = staff_client.post(reverse("firm_edit", args=[firm.pk]), data)
    assert "개인정보 수집·이용 동의를 받아야 합니다" in response.content.decode()
    firm.refresh_from_db()
    assert firm.phone != "02-999-9999" and firm.consent_at is None
