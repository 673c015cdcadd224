"""seed_bench makes the benchmark's data deterministically; bench measures every page on it."""

import io
import json

import pytest
from django.core.management import CommandError, call_command


@pytest.mark.django_db(transaction=False)
def test_seed_bench_then_bench_measures_the_pages(tmp_path, settings):
    from guro_sme.models import Firm
    from loans.committee.models import AgendaItem, CommitteeMeeting, Vote
    from loans.models import Installment, LoanApplication
    from programs.models import ProgramRun, Registration

    settings.MEDIA_ROOT = tmp_path
    call_command("seed_bench", scale=0.01, stdout=io.StringIO())

    assert Firm.objects.filter(name__startswith="(벤치)").count() == 100
    bench_applications = LoanApplication.objects.filter(call__title__startswith="(벤치)")
    assert bench_applications.count() == 20 * 2 * 10
    assert (
        CommitteeMeeting.objects.filter(
            status=CommitteeMeeting.Status.OPEN, title__startswith="(벤치)"
        ).count()
        == 1
    )
    assert AgendaItem.objects.filter(application__in=bench_applications).count() == 400
    assert Vote.objects.filter(item__application__in=bench_applications).exists()
    assert Installment.objects.filter(application__in=bench_applications).exists()
    # Paid installments have their payments, so the derived balances agree with paid_on and only
    # the loans that stopped paying are in arrears.
    from loans.aftercare.selectors import _fund_loans, arrears_rows, loan_state

    repaying = list(_fund_loans(statuses=[LoanApplication.Status.REPAYING]))
    for loan in repaying:
        settled = {i.number for i in loan_state(loan).installments if i.settled}
        assert settled == {i.number for i in loan.installments.all() if i.paid_on}
    assert 0 < len(arrears_rows()) < len(repaying)
    assert ProgramRun.objects.count() >= 120
    assert Registration.objects.count() >= 200
    first_names = list(
        Firm.objects.filter(name__startswith="(벤치)").order_by("pk").values_list("name", flat=True)[:5]
    )

    with pytest.raises(CommandError, match="이미 벤치마크 자료가 있습니다"):
        call_command("seed_bench", scale=0.01)

    out = tmp_path / "bench.json"
    call_command(
        "bench",
        rounds=1,
        slow_rounds=1,
        only="meeting_detail",
        json_path=str(out),
        stdout=io.StringIO(),
    )
    rows = json.loads(out.read_text(encoding="utf-8"))["rows"]
    assert {(row["name"], row["label"]) for row in rows} == {
        ("loans:meeting_detail", "진행중"),
        ("loans:meeting_detail", "위원"),
        ("loans:meeting_detail", "종료"),
    }
    assert all(row["status"] == 200 and row["queries"] > 0 and row["median_ms"] > 0 for row in rows)
    # Deterministic: the same seed gives the same firms (names carry a random product word).
    assert first_names[0].startswith("(벤치)") and first_names[0].endswith("000000")
