"""The committee's pages show its members' names: each view and PDF is in the access log."""

import pytest
from django.urls import reverse

from guro_sme.access_log import Subject
from guro_sme.models import PersonalDataAccess

pytestmark = pytest.mark.django_db


def test_the_meeting_page_records_the_members_shown(client, committee):
    client.force_login(committee.staff)
    client.get(reverse("loans:meeting_detail", args=[committee.meeting.pk]), REMOTE_ADDR="10.0.0.7")
    record = PersonalDataAccess.objects.get()
    assert (record.username, record.subject, record.ip_address) == (
        committee.staff.username,
        Subject.COMMITTEE_MEMBER,
        "10.0.0.7",
    )
    assert sorted(record.ids) == sorted(member.pk for member in committee.members)


def test_the_decision_notices_page_records_the_firms_it_shows(client, committee):
    for item in committee.items:
        committee.vote(item, committee.members[:3])
    committee.close()
    client.force_login(committee.manager)
    client.get(reverse("loans:meeting_notices", args=[committee.meeting.pk]))
    record = PersonalDataAccess.objects.get(subject=Subject.FIRM)
    assert record.username == committee.manager.username and record.action == "view"
    assert sorted(record.ids) == sorted(item.application.firm_id for item in committee.items)
