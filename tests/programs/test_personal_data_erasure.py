"""개인정보 보유기간: `manage.py erase_expired_personal_data` blanks what ran out, keeps the rest and
every report figure, records what it erased, and by default (dry run) writes nothing."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from guro_sme.models import Firm, PersonalDataErasure
from guro_sme.support import same_representative_firms
from programs.models import Attendance, Person, ProgramKind, Registration
from programs.selectors import program_results_by_year, registration_counts_by_category
from programs.services import certificate_issue
from reports.services import program_results

TODAY = "2026-12-01"
LONG_AGO = datetime.datetime(2019, 1, 1, tzinfo=datetime.UTC)


def erase(*args) -> str:
    out = StringIO()
    call_command("erase_expired_personal_data", "--today", TODAY, *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def records(make_run, make_registration, make_firm, staff_user):
    """A 2018 run (ended long ago), a 2025 run (inside the period) and a person in both."""
    old_run = make_run(start=datetime.date(2018, 2, 26))
    recent_run = make_run(
        kind=ProgramKind.LEADERS_ACADEMY, start=datetime.date(2025, 11, 3), sessions=1, minimum=1
    )
    old_firm = make_firm(
        name="(주)옛지원", representative="김옛날", phone="02-111-1111", email="a@example.com"
    )
    recent_firm = make_firm(name="(주)요즘", representative="이요즘", phone="02-222-2222")
    old = make_registration(
        old_run, name="박지난", attend=2, firm=old_firm, birth_date=datetime.date(1980, 1, 2)
    )
    certificate_issue(registration=old, actor=staff_user)
    make_registration(old_run, name="최지난", attend=1)
    recent = make_registration(recent_run, name="정최근", attend=1, firm=recent_firm)
    both = make_registration(old_run, name="한둘다", phone="01099998888")
    Registration.objects.create(run=recent_run, person=both.person, category=both.category)
    # Neither firm was edited since: their contacts run out with their last support.
    Firm.objects.update(updated_at=LONG_AGO)
    return {"old": old, "recent": recent, "both": both, "old_firm": old_firm, "recent_firm": recent_firm}


def figures():
    return {
        "programs": [program_results_by_year(year) for year in (2018, 2025)],
        "reports": [program_results(year) for year in (2018, 2025)],
        "categories": [registration_counts_by_category(r.run) for r in Registration.objects.order_by("pk")],
        "firms": list(
            Firm.objects.values("firm_type", "representative_gender").annotate(n=Count("pk")).order_by()
        ),
        "attendance": Attendance.objects.count(),
    }


def test_a_dry_run_lists_the_counts_and_writes_nothing(records):
    before = list(Person.objects.values_list("name", "phone", "birth_date").order_by("pk"))
    firms = list(Firm.objects.values_list("representative", "phone", "email").order_by("pk"))
    out = erase()
    assert "경영지원사업 참여자: 2건 파기 대상입니다" in out
    assert "기업 대표자·연락처: 1건 파기 대상입니다" in out
    assert "아무것도 지우지 않았습니다" in out
    assert "개인정보 접속기록: 파기하지 않습니다 (최소 2년 보관)" in out
    assert list(Person.objects.values_list("name", "phone", "birth_date").order_by("pk")) == before
    assert list(Firm.objects.values_list("representative", "phone", "email").order_by("pk")) == firms
    assert not PersonalDataErasure.objects.exists()


def test_commit_erases_rows_past_the_period_and_keeps_those_inside(records):
    out = erase("--commit")
    assert "경영지원사업 참여자: 2건 파기했습니다" in out
    old = Person.objects.get(pk=records["old"].person_id)
    assert old.name.startswith("(파기") and old.phone == "" and old.birth_date is None and old.erased_at
    assert not Person.objects.filter(name__in=["박지난", "최지난"]).exists()
    # Inside the period: the 2025 participant, and the person who also joined the 2025 run.
    assert Person.objects.filter(name="정최근").exists()
    assert Person.objects.get(pk=records["both"].person_id).phone == "01099998888"
    old_firm = Firm.objects.get(pk=records["old_firm"].pk)
    assert (old_firm.representative, old_firm.phone, old_firm.email) == ("(파기)", "", "")
    assert old_firm.name == "(주)옛지원" and old_firm.contact_erased_at
    # A copy in the history would not be erased: it is blanked too.
    assert set(old_firm.history.values_list("phone", flat=True)) == {""}
    assert Firm.objects.get(pk=records["recent_firm"].pk).phone == "02-222-2222"


def test_the_report_figures_are_the_same_after_erasing(records):
    before = figures()
    erase("--commit")
    assert figures() == before


def test_what_was_erased_is_recorded_per_kind_and_a_second_run_finds_nothing(records, staff_user):
    erase("--commit", "--user", staff_user.username)
    rows = {row.kind: row for row in PersonalDataErasure.objects.all()}
    assert rows["program_registration"].count == 2 and rows["firm_contact"].count == 1
    assert rows["program_registration"].retention_years == 2
    assert rows["program_registration"].cutoff == datetime.date(2024, 12, 1)
    assert rows["firm_contact"].record_ids == f",{records['old_firm'].pk},"
    assert rows["firm_contact"].performed_by == "staff (manage.py erase_expired_personal_data)"
    assert timezone.now() - rows["firm_contact"].erased_at < datetime.timedelta(minutes=5)
    assert "0건 파기했습니다" in erase("--commit")


def test_a_longer_period_in_the_settings_keeps_everything(records, settings):
    settings.PERSONAL_DATA_RETENTION_YEARS = {
        **settings.PERSONAL_DATA_RETENTION_YEARS,
        "program_registration": 10,
    }
    assert "경영지원사업 참여자: 0건" in erase("--commit")
    assert Person.objects.filter(name="박지난").exists()


def test_the_erased_certificate_holder_keeps_the_certificate_and_the_completer_count(records):
    erase("--commit")
    old = Registration.objects.get(pk=records["old"].pk)
    assert old.certificate.number == "2018-창업-0001"
    assert program_results_by_year(2018)[0]["completers"] == 1


def test_erased_firms_are_not_taken_for_firms_of_the_same_representative(records, make_firm):
    other = make_firm(name="(주)다른옛", representative="최다른")
    Firm.objects.filter(pk=other.pk).update(updated_at=LONG_AGO)
    erase("--commit")
    erased = Firm.objects.get(pk=records["old_firm"].pk)
    assert Firm.objects.filter(contact_erased_at__isnull=False).count() == 2
    assert list(same_representative_firms(erased)) == [erased]


@pytest.mark.parametrize(("status", "kept"), [("awaiting", True), ("instalments", True), ("repaid", False)])
def test_a_firm_under_recovery_keeps_its_contacts_until_the_case_is_settled(
    records, staff_user, status, kept
):
    from loans.aftercare.models import RecoveryCase

    RecoveryCase.objects.create(
        firm=records["old_firm"],
        program=RecoveryCase.Program.KOTRA,
        support_title="2018 KOTRA 해외지사화",
        cause=RecoveryCase.Cause.CLOSED,
        cause_on=datetime.date(2019, 3, 1),
        opened_on=datetime.date(2019, 4, 1),
        principal_won=1_750_000,
        status=status,
        opened_by=staff_user,
        updated_by=staff_user,
    )
    Firm.objects.update(updated_at=LONG_AGO)
    erase("--commit")
    assert (Firm.objects.get(pk=records["old_firm"].pk).phone == "02-111-1111") is kept
