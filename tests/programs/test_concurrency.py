"""Many staff registering participants into one run at once: the capacity holds on both databases."""

import pytest
from django.utils import timezone

from programs import services
from programs.models import Registration
from programs.services import ProgramRuleError
from tests.concurrency import run_at_once

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def test_concurrent_registrations_fill_the_run_exactly_to_capacity(make_run, staff_user):
    run = make_run(capacity=5, sessions=1)

    def register(n):
        return services.registration_create(
            run=run,
            name=f"동시{n}",
            phone=f"010555{n:05d}",
            category="pre_founder",
            actor=staff_user,
            consent_at=timezone.now(),
        )

    results = run_at_once(register, list(range(12)))
    unexpected = [r for r in results if isinstance(r, Exception) and not isinstance(r, ProgramRuleError)]
    assert unexpected == []
    assert Registration.objects.filter(run=run).count() == 5
    assert sum(isinstance(r, ProgramRuleError) for r in results) == 7
