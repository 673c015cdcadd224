"""Registration rules: capacity, one registration per person, the startup academy's 6-month rule."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.models import ApplicantCategory, ProgramKind, Registration
from programs.services import ProgramRuleError, registration_create


def register(run, user, **fields):
    data = {
        "name": "김창업",
        "phone": "010-1111-2222",
        "category": ApplicantCategory.PRE_FOUNDER,
        "consent_at": timezone.now(),
    }
    data.update(fields)
    return registration_create(run=run, actor=user, **data)


def test_staff_registers_a_person_with_the_phone_stored_as_digits(make_run, staff_user):
    run = make_run()
    registration = register(run, staff_user, birth_date=datetime.date(1985, 3, 1))
    assert registration.person.phone == "01011112222"
    assert registration.registered_by == staff_user
    assert registration.person.phone_display == "010-1111-2222"


def test_a_full_run_refuses_the_next_registration_and_writes_nothing(make_run, make_registration, staff_user):
    run = make_run(capacity=2)
    make_registration(run)
    make_registration(run)
    with pytest.raises(ProgramRuleError, match="정원 2명이 모두 찼습니다"):
        register(run, staff_user)
    assert run.registrations.count() == 2


def test_the_same_person_cannot_register_twice_for_a_run(make_run, staff_user):
    run = make_run()
    register(run, staff_user)
    with pytest.raises(ProgramRuleError, match="이미 이 회차에 등록되어 있습니다"):
        register(run, staff_user, phone="01011112222")
    assert run.registrations.count() == 1


def test_the_same_person_may_join_another_run(make_run, staff_user):
    first, second = make_run(), make_run(kind=ProgramKind.LEADERS_ACADEMY)
    a = register(first, staff_user)
    b = register(second, staff_user, category=ApplicantCategory.SMALL_BUSINESS)
    assert a.person == b.person


@pytest.mark.parametrize(
    ("founded", "allowed"),
    [
        (datetime.date(2017, 8, 26), True),  # exactly 6 months before the first day (2018-02-26)
        (datetime.date(2018, 1, 2), True),
        (datetime.date(2017, 8, 25), False),  # one day too old
        (datetime.date(2015, 5, 1), False),
    ],
)
def test_startup_academy_takes_existing_businesses_only_within_six_months(
    make_run, make_firm, staff_user, founded, allowed
):
    run = make_run(start=datetime.date(2018, 2, 26))
    firm = make_firm(name="신생가게", founded_on=founded, firm_type="small_business")
    if allowed:
        register(run, staff_user, category=ApplicantCategory.EXISTING_BUSINESS, firm=firm)
        assert run.registrations.count() == 1
    else:
        with pytest.raises(ProgramRuleError, match="사업자 등록 후 6개월 이내여야"):
            register(run, staff_user, category=ApplicantCategory.EXISTING_BUSINESS, firm=firm)
        assert run.registrations.count() == 0


def test_an_existing_business_needs_a_firm_with_an_opening_date(make_run, make_firm, staff_user):
    run = make_run()
    with pytest.raises(ProgramRuleError, match="기업을 연결해야"):
        register(run, staff_user, category=ApplicantCategory.EXISTING_BUSINESS)
    with pytest.raises(ProgramRuleError, match="개업일"):
        register(
            run, staff_user, category=ApplicantCategory.EXISTING_BUSINESS, firm=make_firm(founded_on=None)
        )


def test_the_leaders_academy_has_no_six_month_rule(make_run, make_firm, staff_user):
    run = make_run(kind=ProgramKind.LEADERS_ACADEMY)
    old = make_firm(founded_on=datetime.date(2001, 1, 1))
    register(run, staff_user, category=ApplicantCategory.EXISTING_BUSINESS, firm=old)
    assert run.registrations.count() == 1


def test_the_form_registers_and_links_the_firm_by_business_number(staff_client, make_run, make_firm):
    run = make_run()
    firm = make_firm(founded_on=datetime.date(2018, 1, 15), firm_type="small_business")
    response = staff_client.post(
        reverse("programs:register", args=[run.pk]),
        {
            "name": "이기존",
            "phone": "010-3333-4444",
            "category": ApplicantCategory.EXISTING_BUSINESS,
            "business_number": firm.business_number_display,
            "consent": "on",
        },
    )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.firm == firm and registration.person.name == "이기존"


def test_the_form_shows_the_six_month_refusal_in_korean(staff_client, make_run, make_firm):
    run = make_run()
    firm = make_firm(founded_on=datetime.date(2010, 1, 15))
    response = staff_client.post(
        reverse("programs:register", args=[run.pk]),
        {
            "name": "이오래",
            "phone": "010-3333-4444",
            "category": ApplicantCategory.EXISTING_BUSINESS,
            "business_number": firm.business_number,
            "consent": "on",
        },
    )
    assert response.status_code == 200
    assert "사업자 등록 후 6개월 이내여야 신청할 수 있습니다" in response.content.decode()
    assert Registration.objects.count() == 0


def test_the_form_refuses_a_full_run_in_korean(staff_client, make_run, make_registration):
    run = make_run(capacity=1)
    make_registration(run)
    response = staff_client.post(
        reverse("programs:register", args=[run.pk]),
        {
            "name": "박늦음",
            "phone": "01055556666",
            "category": ApplicantCategory.PRE_FOUNDER,
            "consent": "on",
        },
    )
    assert "정원 1명이 모두 찼습니다" in response.content.decode()
    assert run.registrations.count() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": ""}, "성명을 입력하세요."),
        ({"category": ""}, "신청 구분을 선택하세요."),
        ({"category": "nonsense"}, "신청 구분을 목록에서 고르세요."),
        ({"phone": "12"}, "연락처는 9~11자리 숫자로"),
        ({"business_number": "220-81-99999"}, "등록되지 않은 사업자등록번호입니다"),
        ({"birth_date": "1999-13-45"}, "날짜를 바르게 입력하세요."),
        ({"consent": ""}, "개인정보 수집·이용 동의를 받아야 등록할 수 있습니다"),
    ],
)
def test_bad_input_gets_a_korean_message_and_writes_nothing(staff_client, make_run, fields, message):
    run = make_run()
    data = {
        "name": "최입력",
        "phone": "010-7777-8888",
        "category": ApplicantCategory.PRE_FOUNDER,
        "consent": "on",
    }
    data.update(fields)
    response = staff_client.post(reverse("programs:register", args=[run.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Registration.objects.count() == 0


def test_a_run_takes_only_its_eligible_categories(make_run, staff_user):
    run = make_run(
        eligible_categories=[
            ApplicantCategory.PRE_FOUNDER,
            ApplicantCategory.BUSINESS_CHANGER,
            ApplicantCategory.EXISTING_BUSINESS,
        ]
    )
    register(run, staff_user, category=ApplicantCategory.BUSINESS_CHANGER)
    with pytest.raises(
        ProgramRuleError,
        match=r"예비창업자, 업종전환 희망자, 기존사업자만 신청할 수 있습니다 \('중소기업인' 불가\)",
    ):
        register(run, staff_user, name="정중기", category=ApplicantCategory.SME)
    assert run.registrations.count() == 1


def test_an_unknown_category_is_refused_by_the_service(make_run, staff_user):
    with pytest.raises(ProgramRuleError, match="신청 구분을 목록에서 고르세요"):
        register(make_run(), staff_user, category="alien")


def test_staff_cancel_a_registration_without_attendance(staff_client, make_run, make_registration):
    run = make_run()
    registration = make_registration(run, name="취소할사람")
    response = staff_client.post(reverse("programs:registration_cancel", args=[registration.pk]), follow=True)
    assert "취소할사람님의 참가 등록을 취소했습니다." in response.content.decode()
    assert run.registrations.count() == 0


def test_a_registration_with_attendance_cannot_be_cancelled(staff_client, make_run, make_registration):
    registration = make_registration(make_run(), name="출석한사람", attend=1)
    response = staff_client.post(reverse("programs:registration_cancel", args=[registration.pk]), follow=True)
    assert "출석한사람님은 출석 기록이 있어 등록을 취소할 수 없습니다" in response.content.decode()
    assert Registration.objects.filter(pk=registration.pk).exists()


def test_a_registration_with_a_certificate_cannot_be_cancelled(make_run, make_registration, staff_user):
    from programs.models import Attendance
    from programs.services import certificate_issue, registration_cancel

    registration = make_registration(make_run(), attend=2)
    certificate_issue(registration=registration, actor=staff_user)
    Attendance.objects.filter(registration=registration).delete()
    with pytest.raises(ProgramRuleError, match="수료증이 발급된 참가 등록은 취소할 수 없습니다"):
        registration_cancel(registration=registration, actor=staff_user)


def test_cancel_needs_a_post_and_the_staff_role(client, make_user, make_run, make_registration):
    registration = make_registration(make_run())
    url = reverse("programs:registration_cancel", args=[registration.pk])
    client.force_login(make_user("관리자"))
    assert client.post(url).status_code == 403
    client.force_login(make_user("담당자"))
    assert client.get(url).status_code == 302
    assert Registration.objects.filter(pk=registration.pk).exists()


def test_a_registration_without_consent_is_refused_and_writes_nothing(make_run, staff_user):
    with pytest.raises(ProgramRuleError, match="개인정보 수집·이용 동의를 받아야 등록할 수 있습니다"):
        register(make_run(), staff_user, consent_at=None)
    assert Registration.objects.count() == 0


def test_the_form_states_the_notice_and_the_list_shows_the_consent_date(staff_client, make_run):
    run = make_run()
    form = staff_client.get(reverse("programs:register", args=[run.pk])).content.decode()
    for part in [
        "수집·이용 목적",
        "수집 항목: 성명, 연락처, 생년월일",
        "교육 종료 후 2년",
        "동의를 거부할 권리가 있으며",
    ]:
        assert part in form
    staff_client.post(
        reverse("programs:register", args=[run.pk]),
        {
            "name": "정동의",
            "phone": "010-2222-3333",
            "category": ApplicantCategory.PRE_FOUNDER,
            "consent": "on",
        },
    )
    registration = Registration.objects.get()
    assert registration.consent_recorded_by.username == "staff" and registration.consent_version
    page = staff_client.get(reverse("programs:run_detail", args=[run.pk])).content.decode()
    assert f"<td>{timezone.localtime(registration.consent_at):%Y.%m.%d}</td>" in page
