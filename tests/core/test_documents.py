from urllib.parse import quote

from guro_sme.documents import download_response


def test_an_ascii_name_is_a_plain_attachment_with_the_type_of_its_extension():
    response = download_response(b"%PDF-", "loan-referral-3.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="loan-referral-3.pdf"'


def test_a_korean_name_travels_as_rfc5987_with_an_ascii_fallback():
    response = download_response(b"PK", "기업_양식.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"download.xlsx\"; filename*=utf-8''{quote('기업_양식.xlsx')}"
    )
