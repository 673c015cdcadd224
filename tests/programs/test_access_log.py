"""Programme pages and sheets show participants' names and phones: each is in the access log."""

import pytest
from django.urls import reverse

from guro_sme.access_log import Subject
from guro_sme.models import PersonalDataAccess

pytestmark = pytest.mark.django_db

REASON = "reason=수료자 연락"


def only_record() -> PersonalDataAccess:
    records = list(PersonalDataAccess.objects.all())
    assert len(records) == 1, records
    return records[0]


def test_programme_pages_record_the_participants_shown(manager_client, make_run, make_registration):
    run = make_run(sessions=1)
    first = make_registration(run, attend=1)
    second = make_registration(run)
    for name in ("run_detail", "attendance"):
        manager_client.get(reverse(f"programs:{name}", args=[run.pk]))
    manager_client.get(reverse("programs:completers", args=[run.pk]))
    rows = list(PersonalDataAccess.objects.order_by("pk"))
    assert [(r.subject, sorted(r.ids)) for r in rows] == [
        (Subject.PARTICIPANT, sorted([first.person_id, second.person_id])),
        (Subject.PARTICIPANT, sorted([first.person_id, second.person_id])),
        (Subject.PARTICIPANT, [first.person_id]),
    ]


def test_the_completers_sheet_needs_a_reason_and_records_it(manager_client, make_run, make_registration):
    run = make_run(sessions=1)
    done = make_registration(run, attend=1)
    url = reverse("programs:completers_xlsx", args=[run.pk])
    assert "내려받기 사유" in manager_client.get(url).content.decode()
    assert not PersonalDataAccess.objects.exists()
    response = manager_client.get(url + "?" + REASON)
    assert "attachment" in response["Content-Disposition"]
    record = only_record()
    assert (record.action, record.ids, record.reason) == ("download", [done.person_id], "수료자 연락")
