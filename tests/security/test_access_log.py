"""개인정보 접속기록: every page and export showing a person's data leaves who/when/where/what/whose."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from guro_sme.access_log import Subject
from guro_sme.models import PersonalDataAccess

pytestmark = pytest.mark.django_db

REASON = "reason=은행 추천 자료"


def only_record() -> PersonalDataAccess:
    records = list(PersonalDataAccess.objects.all())
    assert len(records) == 1, records
    return records[0]


def test_a_firm_page_records_who_when_where_and_which_firm(staff_client, staff_user, make_firm):
    firm = make_firm(phone="02-860-1234")
    response = staff_client.get(reverse("firm_detail", args=[firm.pk]), REMOTE_ADDR="10.1.2.3")
    assert "02-860-1234" in response.content.decode()
    record = only_record()
    assert (record.user, record.username, record.ip_address) == (staff_user, "staff", "10.1.2.3")
    assert (record.action, record.subject, record.ids, record.count) == ("view", Subject.FIRM, [firm.pk], 1)
    assert record.path == f"/firms/{firm.pk}/"


def test_the_firm_search_records_the_query_and_the_count(manager_client, make_firm):
    make_firm(name="(주)구로소프트")
    make_firm(name="(주)구로전자")
    make_firm(name="다른상회")
    manager_client.get(reverse("firm_list") + "?q=구로")
    record = only_record()
    assert (record.action, record.subject, record.query) == ("list", Subject.FIRM, "q=구로")
    assert record.count == 2  # the filter's total rows


def test_a_search_with_a_nul_character_is_recorded_without_it(manager_client, make_firm):
    """PostgreSQL text cannot hold NUL: the search still answers and its record keeps the rest."""
    make_firm(name="(주)널문자")
    response = manager_client.get(reverse("firm_list"), {"q": "널\x00문자"})
    assert response.status_code < 500
    record = PersonalDataAccess.objects.get()
    assert "\x00" not in record.query and record.query.startswith("q=")


def test_a_firm_export_asks_for_the_reason_first_and_writes_no_download_without_it(manager_client, make_firm):
    make_firm()
    url = reverse("imports:export", args=["firms"])
    response = manager_client.get(url + "?firm_type=sme")
    body = response.content.decode()
    assert "내려받기 사유" in body and 'name="firm_type" value="sme"' in body
    assert "Content-Disposition" not in response
    assert not PersonalDataAccess.objects.exists()
    response = manager_client.get(url + "?firm_type=sme&reason=")
    assert "내려받기 사유를 입력하세요" in response.content.decode()
    assert not PersonalDataAccess.objects.exists()


def test_a_firm_export_records_its_reason_query_and_count(manager_client, make_firm):
    make_firm()
    make_firm()
    response = manager_client.get(reverse("imports:export", args=["firms"]) + "?firm_type=sme&" + REASON)
    assert "attachment" in response["Content-Disposition"]
    record = only_record()
    assert (record.action, record.subject, record.count) == ("download", Subject.FIRM, 2)
    assert (record.query, record.reason) == ("firm_type=sme", "은행 추천 자료")


def test_exports_without_personal_data_ask_no_reason(manager_client):
    response = manager_client.get(reverse("imports:export", args=["historical-results"]))
    assert "attachment" in response["Content-Disposition"]
    assert not PersonalDataAccess.objects.exists()


def test_a_refused_role_leaves_no_record_and_sees_no_reason_form(committee_client, make_firm):
    firm = make_firm()
    assert committee_client.get(reverse("firm_detail", args=[firm.pk])).status_code == 403
    assert committee_client.get(reverse("imports:export", args=["firms"])).status_code == 403
    assert not PersonalDataAccess.objects.exists()


def test_the_admin_can_neither_add_change_nor_delete_a_record(client, make_user, staff_client, make_firm):
    firm = make_firm()
    staff_client.get(reverse("firm_detail", args=[firm.pk]))
    record = only_record()
    admin = make_user(None, username="root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    base = "/admin/guro_sme/personaldataaccess/"
    assert client.get(base + "add/").status_code == 403
    assert client.get(f"{base}{record.pk}/delete/").status_code == 403
    response = client.post(f"{base}{record.pk}/change/", {"username": "someone"})
    assert response.status_code == 403
    record.refresh_from_db()
    assert record.username == "staff"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_postgresql_refuses_to_update_or_delete_a_record(staff_client, make_firm):
    staff_client.get(reverse("firm_detail", args=[make_firm().pk]))
    for change in (
        lambda: PersonalDataAccess.objects.update(username="x"),
        lambda: PersonalDataAccess.objects.all().delete(),
    ):
        with pytest.raises(DatabaseError, match="수정하거나 삭제할 수 없습니다"), transaction.atomic():
            change()
    assert PersonalDataAccess.objects.get().username == "staff"
