"""The import pages (upload → preview → confirm), the empty templates and the list exports."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from guro_sme.models import Firm
from guro_sme.roles import Role

from .conftest import CONSENT, FIRM_HEADERS, bad_number, number, xlsx_bytes, xlsx_rows

pytestmark = pytest.mark.django_db


def upload(client, data, name="firms.xlsx", key="firms"):
    return client.post(reverse("imports:upload", args=[key]), {"file": SimpleUploadedFile(name, data)})


@pytest.mark.parametrize(
    ("role", "allowed"), [(Role.STAFF, True), (Role.MANAGER, False), (Role.COMMITTEE, False), (None, False)]
)
def test_only_staff_may_import(client, make_user, role, allowed, firm_rows):
    client.force_login(make_user(role))
    for url in [
        reverse("imports:index"),
        reverse("imports:upload", args=["firms"]),
        reverse("imports:template", args=["firms"]),
    ]:
        response = client.get(url)
        assert response.status_code == (200 if allowed else 403), url
    if not allowed:
        assert "권한이 없습니다" in response.content.decode()
        assert upload(client, xlsx_bytes(firm_rows)).status_code == 403
        assert client.post(reverse("imports:confirm", args=["firms"]), {"token": "x"}).status_code == 403
        assert Firm.objects.count() == 0


@pytest.mark.parametrize(
    ("role", "allowed"), [(Role.STAFF, True), (Role.MANAGER, True), (Role.COMMITTEE, False), (None, False)]
)
def test_staff_and_managers_may_export(client, make_user, role, allowed):
    client.force_login(make_user(role))
    response = client.get(reverse("imports:export", args=["firms"]) + "?reason=테스트")
    assert response.status_code == (200 if allowed else 403)


def test_the_index_lists_each_import_type_with_its_empty_template(staff_client):
    body = staff_client.get(reverse("imports:index")).content.decode()
    assert "기업" in body
    assert "빈 양식 내려받기" in body
    assert reverse("imports:template", args=["firms"]) in body


def test_an_unknown_import_type_is_a_404(staff_client):
    assert staff_client.get("/imports/nothing/").status_code == 404


def test_the_empty_template_has_the_headers_and_a_guide(staff_client):
    response = staff_client.get(reverse("imports:template", args=["firms"]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = xlsx_rows(response.content)
    assert rows[0][: len(FIRM_HEADERS)] == FIRM_HEADERS
    assert len(rows) == 1
    guide = xlsx_rows(response.content, sheet_index=1)
    assert guide[1][:2] == ["사업자등록번호", "필수"]


def test_upload_previews_then_confirm_writes(staff_client, firm_rows):
    response = upload(staff_client, xlsx_bytes(firm_rows))
    body = response.content.decode()
    assert response.status_code == 200
    assert "미리 보기: 3행" in body and "신규 3건" in body
    assert Firm.objects.count() == 0
    token = response.context["token"]
    response = staff_client.post(reverse("imports:confirm", args=["firms"]), {"token": token}, follow=True)
    assert "가져왔습니다: 신규 3건, 변경 0건, 변경 없음 0건" in response.content.decode()
    assert Firm.objects.count() == 3
    # The stored upload is used once.
    response = staff_client.post(reverse("imports:confirm", args=["firms"]), {"token": token}, follow=True)
    assert "파일을 다시 올려 주세요" in response.content.decode()
    assert Firm.objects.count() == 3


def test_a_file_with_a_bad_row_shows_the_row_and_column_and_offers_no_confirm(staff_client, firm_rows):
    firm_rows[2][0] = bad_number(2)
    response = upload(staff_client, xlsx_bytes(firm_rows))
    body = response.content.decode()
    assert "오류 1건: 아무것도 저장하지 않았습니다" in body
    assert "3행" in body and "사업자등록번호" in body and "검증번호(마지막 자리)가 맞지 않습니다" in body
    assert "확인하고 가져오기" not in body
    assert response.context["token"] is None


def test_confirm_checks_the_stored_file_again(staff_client, firm_rows):
    response = upload(staff_client, xlsx_bytes(firm_rows))
    token = response.context["token"]
    # The confirmation re-reads the stored upload and checks it again: if it no longer passes
    # (here: the stored file itself is changed), nothing is written.
    from guro_sme.imports import storage

    path = storage._folder() / f"{token}.upload"
    firm_rows[1][4] = "대기업"
    path.write_bytes(xlsx_bytes(firm_rows))
    response = staff_client.post(reverse("imports:confirm", args=["firms"]), {"token": token})
    assert "아무것도 저장하지 않았습니다" in response.content.decode()
    assert Firm.objects.count() == 0


def test_a_token_from_another_session_is_refused(client, staff_client, make_user, firm_rows):
    token = upload(staff_client, xlsx_bytes(firm_rows)).context["token"]
    other = make_user(Role.STAFF, username="other")
    client.force_login(other)
    response = client.post(reverse("imports:confirm", args=["firms"]), {"token": token}, follow=True)
    assert "파일을 다시 올려 주세요" in response.content.decode()
    assert Firm.objects.count() == 0


def test_confirm_refuses_get(staff_client):
    assert staff_client.get(reverse("imports:confirm", args=["firms"])).status_code == 405


def test_an_oversized_upload_is_refused_by_the_form(settings, staff_client, firm_rows):
    settings.MAX_UPLOAD_BYTES = 100
    body = upload(staff_client, xlsx_bytes(firm_rows)).content.decode()
    assert "파일이 너무 큽니다" in body
    assert Firm.objects.count() == 0


def test_a_pdf_upload_is_refused_in_korean(staff_client):
    body = upload(staff_client, b"%PDF-1.4 fake", name="firms.pdf").content.decode()
    assert "엑셀(.xlsx) 또는 CSV(.csv) 파일만 가져올 수 있습니다" in body


def test_export_applies_the_list_filters(manager_client, make_firm):
    make_firm(name="(주)소프트", firm_type=Firm.FirmType.VENTURE)
    make_firm(name="가게", firm_type=Firm.FirmType.SMALL_BUSINESS)
    response = manager_client.get(
        reverse("imports:export", args=["firms"]) + "?firm_type=venture&reason=테스트"
    )
    rows = xlsx_rows(response.content)
    assert rows[0][: len(FIRM_HEADERS)] == FIRM_HEADERS
    assert [row[1] for row in rows[1:]] == ["(주)소프트"]
    assert rows[1][4] == "벤처기업"


def test_exported_firms_import_back_unchanged(staff_client, make_firm):
    import datetime

    make_firm(
        name="(주)왕복",
        employees=7,
        founded_on=datetime.date(2015, 5, 5),
        address="구로구",
        email="r@example.com",
        in_district=False,
    )
    make_firm(name="빈칸상회", firm_type=Firm.FirmType.SMALL_BUSINESS)
    data = staff_client.get(reverse("imports:export", args=["firms"]) + "?reason=테스트").content
    before = list(Firm.objects.order_by("pk").values())
    response = upload(staff_client, data, name="export.xlsx")
    assert response.context["report"].counts == {"new": 0, "update": 0, "skip": 2}
    assert "변경 없음 2건" in response.content.decode()
    staff_client.post(reverse("imports:confirm", args=["firms"]), {"token": response.context["token"]})
    assert list(Firm.objects.order_by("pk").values()) == before


def test_the_firm_list_links_to_its_export_with_the_current_filter(manager_client):
    body = manager_client.get(reverse("firm_list") + "?firm_type=sme").content.decode()
    assert "엑셀 내려받기" in body
    assert reverse("imports:export", args=["firms"]) + "?firm_type=sme" in body


def test_the_empty_template_imports_as_no_rows(staff_client):
    data = staff_client.get(reverse("imports:template", args=["firms"])).content
    body = upload(staff_client, data).content.decode()
    assert "가져올 행이 없습니다" in body


def test_csv_business_numbers_as_excel_numbers_with_dashes_removed(staff_client):
    rows = [
        [*FIRM_HEADERS[:5], CONSENT],
        [number(5).replace("-", ""), "(주)숫자", "김숫자", "", "중소기업", "2018-01-15"],
    ]
    response = upload(staff_client, xlsx_bytes(rows))
    assert response.context["report"].ok


def test_the_pages_bound_the_rows_of_a_file_and_point_to_the_command(monkeypatch, staff_client, firm_rows):
    from guro_sme.imports import views

    monkeypatch.setattr(views, "WEB_MAX_ROWS", 2)
    body = upload(staff_client, xlsx_bytes(firm_rows)).content.decode()
    assert "행이 너무 많습니다: 3행 (화면에서는 한 번에 2행까지)" in body
    assert "import_data" in body
    assert Firm.objects.count() == 0


@pytest.mark.parametrize("key", ["firms", "kotra-support", "loan-applications", "program-registrations"])
def test_an_export_costs_the_same_few_queries_for_few_or_many_rows(
    manager_client, django_assert_max_num_queries, make_firm, key
):
    # Empty registers and a few firms: the query count must not grow with rows (firms: 3 vs 30).
    make_firm()
    with django_assert_max_num_queries(8):
        manager_client.get(reverse("imports:export", args=[key]) + "?reason=테스트")
    for _ in range(30):
        make_firm()
    with django_assert_max_num_queries(8):
        response = manager_client.get(reverse("imports:export", args=[key]) + "?reason=테스트")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "key",
    [
        "firms",
        "loan-applications",
        "bank-outcomes",
        "kotra-support",
        "marketing-participants",
        "program-registrations",
        "program-attendance",
        "historical-results",
    ],
)
def test_every_import_type_has_an_empty_template_with_its_headers(staff_client, key):
    from guro_sme.imports import registry

    resource = registry.get_type(key).resource_class()()
    response = staff_client.get(reverse("imports:template", args=[key]))
    assert response.status_code == 200
    assert xlsx_rows(response.content)[0] == [f.column_name for f in resource.get_export_fields()]
    assert "가져올 행이 없습니다" in upload(staff_client, response.content, key=key).content.decode()


def test_the_list_pages_link_to_their_exports(manager_client):
    """The registers' list pages offer their rows as xlsx with the import headers."""
    from kotra.models import KotraProject
    from marketing.models import MarketingProject
    from programs.models import ProgramKind, ProgramRun

    KotraProject.objects.create(year=2017, budget_won=15_000_000)
    MarketingProject.objects.create(year=2018, budget_won=15_000_000)
    run = ProgramRun.objects.create(
        kind=ProgramKind.LEADERS_ACADEMY, name="리더스 아카데미", year=2018, place="평생학습관", capacity=60
    )
    pages = {
        reverse("loans:application_list")
        + "?status=received": "/imports/loan-applications/export.xlsx?status=received",
        reverse("kotra:index") + "?year=2017": "/imports/kotra-support/export.xlsx?year=2017",
        reverse(
            "marketing:project_detail", args=[2018]
        ): "/imports/marketing-participants/export.xlsx?year=2018",
        reverse(
            "programs:run_detail", args=[run.pk]
        ): f"/imports/program-registrations/export.xlsx?run={run.pk}",
        reverse(
            "programs:attendance", args=[run.pk]
        ): f"/imports/program-attendance/export.xlsx?run={run.pk}",
    }
    for page, link in pages.items():
        response = manager_client.get(page)
        assert response.status_code == 200, page
        assert link in response.content.decode(), page
