"""The demo data reproduce the seed's section ④ and load twice without change."""

import datetime

from django.core import serializers

from programs import demo
from programs.models import Certificate, ProgramKind, ProgramRun
from programs.selectors import consultation_summary, program_results_by_year, run_completers, run_with_counts


def snapshot():
    from programs import models

    rows = []
    for model in (models.ProgramRun, models.Session, models.Person, models.Registration, models.Attendance,
                  models.Certificate, models.Consultation):  # fmt: skip
        rows.append(serializers.serialize("json", model.objects.order_by("pk")))
    return rows


def test_demo_reproduces_the_2018_programs_of_the_seed(demo_state):
    demo_state("programs")  # core_demo.load(), then demo.load()
    results = {r["program"]: r for r in program_results_by_year(2018)}
    assert results["소상공인 창업 아카데미 (상반기)"] == {
        "program": "소상공인 창업 아카데미 (상반기)",
        "participants": 36,
        "completers": 34,
    }
    assert results["리더스 아카데미 (상반기)"]["participants"] == 62
    assert results["중소기업 소상공인 지원 사업 상담회 (상반기)"]["participants"] == 102

    startup = ProgramRun.objects.get(kind=ProgramKind.STARTUP_ACADEMY, year=2018, half=1)
    assert [s.date for s in startup.sessions.all()] == [
        datetime.date(2018, 2, 26),
        datetime.date(2018, 2, 27),
    ]
    assert startup.place == "평생학습관" and startup.co_host.name == "서울신용보증재단"
    second = ProgramRun.objects.get(kind=ProgramKind.STARTUP_ACADEMY, year=2018, half=2)
    assert [s.date for s in second.sessions.all()] == [datetime.date(2018, 11, 8), datetime.date(2018, 11, 9)]
    leaders = ProgramRun.objects.get(kind=ProgramKind.LEADERS_ACADEMY, year=2018, half=1)
    dates = [s.date for s in leaders.sessions.all()]
    assert (dates[0], dates[-1], len(dates)) == (datetime.date(2018, 4, 4), datetime.date(2018, 5, 23), 8)
    assert list(leaders.partners.values_list("name", flat=True)) == ["중소기업중앙회"]
    fair = ProgramRun.objects.get(kind=ProgramKind.CONSULTATION_FAIR, year=2018)
    assert fair.sessions.get().date == datetime.date(2018, 2, 1) and fair.place == "구청강당"
    assert fair.partners.count() == 5
    assert consultation_summary(run=fair).total >= 20

    completers = run_completers(run_with_counts(startup.pk))
    assert len(completers) == 34
    assert all(r.certificate_number for r in completers)
    assert Certificate.objects.filter(number="2018-창업-0034").exists()


def test_demo_loads_twice_without_change(demo_state):
    from guro_sme.models import Firm

    demo_state("programs")
    before, history = snapshot(), Firm.history.count()
    demo.load()
    assert snapshot() == before
    assert Firm.history.count() == history  # no new history rows for the program firms
