"""수료자 명단: staff tick completers without a certificate and issue them at once. One
transaction, all or none, each through certificate_issue (numbering, history); asked once first
(guro_sme/confirm.py); staff only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.models import Certificate
from programs.services import ProgramRuleError, certificate_issue, certificate_revoke, certificates_issue


@pytest.fixture
def run(make_run):
    return make_run()  # the startup academy: 2 sessions, all of them to complete


def url(run) -> str:
    return reverse("programs:completers", args=[run.pk])


def test_the_ticked_completers_are_numbered_in_list_order(run, make_registration, staff_user):
    kim, lee, park = (make_registration(run, name=n, attend=2) for n in ("김수료", "이수료", "박수료"))
    issued = certificates_issue(registration_ids=[lee.pk, kim.pk], actor=staff_user)
    assert [(c.registration.person.name, c.number, c.issued_by) for c in issued] == [
        ("김수료", "2018-창업-0001", staff_user),
        ("이수료", "2018-창업-0002", staff_user),
    ]
    assert Certificate.objects.count() == 2 and not Certificate.objects.filter(registration=park).exists()
    assert {c.history.get().history_user for c in Certificate.objects.all()} == {staff_user}


def test_one_refused_completer_issues_nothing_and_is_named(run, make_registration, staff_user):
    kim = make_registration(run, name="김수료", attend=2)
    absent = make_registration(run, name="이결석", attend=1)
    with pytest.raises(ProgramRuleError) as refused:
        certificates_issue(registration_ids=[kim.pk, absent.pk], actor=staff_user)
    assert refused.value.message == (
        "이결석님의 수료증을 발급할 수 없습니다: 이결석님은 수료 기준(전 회차 출석)을 충족하지 않아 "
        "수료증을 발급할 수 없습니다. 선택한 2명 모두 발급하지 않았습니다."
    )
    assert not Certificate.objects.exists()


def test_a_valid_or_revoked_certificate_refuses_the_batch(run, make_registration, staff_user):
    kim, lee, park = (make_registration(run, name=n, attend=2) for n in ("김수료", "이수료", "박수료"))
    held = certificate_issue(registration=kim, actor=staff_user)
    with pytest.raises(
        ProgramRuleError, match=r"^김수료님의 수료증을 발급할 수 없습니다: 이미 수료증 2018-창업-0001이 발급"
    ):
        certificates_issue(registration_ids=[kim.pk, lee.pk], actor=staff_user)
    certificate_revoke(certificate=held, actor=staff_user, reason="출석 오기")
    with pytest.raises(ProgramRuleError, match="취소된 수료증은 다시 발급하지 않습니다"):
        certificates_issue(registration_ids=[park.pk, kim.pk], actor=staff_user)
    assert Certificate.objects.count() == 1


def test_an_empty_choice_an_unknown_id_or_another_runs_registration_issues_nothing(
    run, make_run, make_registration, staff_user
):
    kim = make_registration(run, name="김수료", attend=2)
    other = make_registration(make_run(half=2), name="남의회차", attend=2)
    with pytest.raises(ProgramRuleError, match="한 명 이상 선택하세요"):
        certificates_issue(registration_ids=[], actor=staff_user)
    for ids in ([kim.pk, 987654], [kim.pk, other.pk]):
        with pytest.raises(ProgramRuleError, match="명단에 없는 사람이 있습니다"):
            certificates_issue(registration_ids=ids, run=run, actor=staff_user)
    assert not Certificate.objects.exists()


@pytest.mark.parametrize("role", ["manager_user", "committee_user", "norole_user"])
def test_only_staff_may_issue_in_bulk(run, make_registration, request, role):
    kim = make_registration(run, name="김수료", attend=2)
    with pytest.raises(ProgramRuleError, match="담당자만 발급할 수 있습니다"):
        certificates_issue(registration_ids=[kim.pk], actor=request.getfixturevalue(role))
    assert not Certificate.objects.exists()


# ---------------------------------------------------------------- the page


def test_staff_see_a_checkbox_for_each_completer_without_a_certificate(
    run, make_registration, staff_user, manager_user, client
):
    kim, lee = (
        make_registration(run, name="김수료", attend=2),
        make_registration(run, name="이수료", attend=2),
    )
    certificate_issue(registration=kim, actor=staff_user)
    client.force_login(staff_user)
    page = client.get(url(run)).content.decode()
    assert f'name="registration" value="{lee.pk}" aria-label="이수료 수료증 발급 선택"' in page
    assert f'value="{kim.pk}"' not in page and page.count('name="registration"') == 1
    assert 'data-confirm="선택한 {n}명에게 수료증을 발급하고 번호를 매깁니다.' in page
    client.force_login(manager_user)
    page = client.get(url(run)).content.decode()
    assert "이수료" in page and 'name="registration"' not in page and "선택한 수료자 수료증 발급" not in page


@pytest.mark.parametrize("role", ["manager_client", "committee_client", "norole_client"])
def test_other_roles_are_refused_the_post(run, make_registration, request, role):
    kim = make_registration(run, name="김수료", attend=2)
    response = request.getfixturevalue(role).post(url(run), {"registration": [kim.pk], "confirmed": "1"})
    assert response.status_code == 403
    assert not Certificate.objects.exists()


def test_the_batch_is_asked_once_then_issued_with_the_count_and_numbers(run, make_registration, staff_client):
    kim, lee = (
        make_registration(run, name="김수료", attend=2),
        make_registration(run, name="이수료", attend=2),
    )
    asked = staff_client.post(url(run), {"registration": [kim.pk, lee.pk]}).content.decode()
    assert "선택한 2명에게 수료증을 발급하고 번호를 매깁니다. 매긴 번호는 되돌릴 수 없습니다." in asked
    assert asked.count('name="registration"') == 2 and 'name="confirmed" value="1"' in asked
    assert not Certificate.objects.exists()

    done = staff_client.post(
        url(run), {"registration": [kim.pk, lee.pk], "confirmed": "1"}, follow=True
    ).content.decode()
    assert "수료증 2건을 발급했습니다 (2018-창업-0001~2018-창업-0002)." in done
    assert Certificate.objects.count() == 2 and 'name="registration"' not in done


def test_a_refusal_is_shown_and_nothing_is_issued(run, make_registration, staff_client):
    kim, absent = make_registration(run, name="김수료", attend=2), make_registration(run, name="이결석")
    page = staff_client.post(
        url(run), {"registration": [kim.pk, absent.pk], "confirmed": "1"}, follow=True
    ).content.decode()
    assert "이결석님의 수료증을 발급할 수 없습니다" in page
    assert not Certificate.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "수료증을 발급할 수료자를 한 명 이상 선택하세요."),
        ({"registration": ["abc"]}, "선택한 항목을 알아볼 수 없습니다."),
        ({"registration": ["0"]}, "선택한 항목을 알아볼 수 없습니다."),
        ({"registration": ["987654"], "confirmed": "1"}, "명단에 없는 사람이 있습니다."),
    ],
)
def test_junk_is_refused_in_korean_and_issues_nothing(run, make_registration, staff_client, fields, message):
    make_registration(run, name="김수료", attend=2)
    response = staff_client.post(url(run), fields, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Certificate.objects.exists()


def test_the_completers_page_runs_as_many_queries_for_four_as_for_one(run, make_registration, staff_client):
    make_registration(run, attend=2)
    with CaptureQueriesContext(connection) as one:
        assert staff_client.get(url(run)).status_code == 200
    for _ in range(3):
        make_registration(run, attend=2)
    with CaptureQueriesContext(connection) as four:
        response = staff_client.get(url(run))
    assert response.content.decode().count('name="registration"') == 4
    assert len(four) == len(one), [q["sql"][:120] for q in four.captured_queries]
