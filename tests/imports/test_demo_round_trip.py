"""Every register of the demo data, exported as the list pages do, imports back with no change."""

import pytest
from django.urls import reverse

from guro_sme.imports import registry
from guro_sme.imports.engine import run_import

pytestmark = pytest.mark.django_db


# The bank's files are feeds, not registers: a payment already taken in is refused as a duplicate
# when it comes again (tests/loans/aftercare/test_bank_file.py), and an approved subsidy claim is
# frozen (test_subsidy_claims.py), so neither can round-trip.
ONE_WAY_FEEDS = {"bank-repayments", "subsidy-claims"}


@pytest.fixture
def demo(demo_state):
    demo_state("everything")  # load_demo, built once per test process


def test_every_demo_register_round_trips_unchanged(demo, client):
    from django.contrib.auth.models import User

    staff = User.objects.get(username="staff")
    client.force_login(staff)
    for import_type in registry.available_types():
        if import_type.key in ONE_WAY_FEEDS:
            continue
        data = client.get(reverse("imports:export", args=[import_type.key]) + "?reason=테스트").content
        report = run_import(import_type.resource_class(), data, "export.xlsx", user=staff, dry_run=False)
        assert report.ok, (import_type.key, [str(e) for e in report.errors[:5]])
        assert report.total > 0, import_type.key
        assert report.counts["new"] == report.counts["update"] == 0, (import_type.key, report.counts)
