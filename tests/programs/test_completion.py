"""The completion rule (수료 기준): one function, table-driven, and what the pages make of it."""

import pytest

from programs.models import CompletionRule, ProgramKind
from programs.selectors import run_completers, run_registrations, run_with_counts
from programs.services import completion_met, registration_completed


@pytest.mark.parametrize(
    ("rule", "minimum", "attended", "total", "completed"),
    [
        # startup academy: every session
        (CompletionRule.ALL_SESSIONS, None, 2, 2, True),
        (CompletionRule.ALL_SESSIONS, None, 1, 2, False),
        (CompletionRule.ALL_SESSIONS, None, 0, 2, False),
        # leaders academy: a minimum count of sessions
        (CompletionRule.MIN_SESSIONS, 6, 8, 8, True),
        (CompletionRule.MIN_SESSIONS, 6, 6, 8, True),
        (CompletionRule.MIN_SESSIONS, 6, 5, 8, False),
        # a minimum above the number of sessions means all of them
        (CompletionRule.MIN_SESSIONS, 10, 8, 8, True),
        # a minimum percentage, in integers: 80% of 8 is 6.4, so 7 sessions
        (CompletionRule.MIN_PERCENT, 80, 7, 8, True),
        (CompletionRule.MIN_PERCENT, 80, 6, 8, False),
        (CompletionRule.MIN_PERCENT, 75, 6, 8, True),
        # the consultation fair has no completion
        (CompletionRule.NONE, None, 1, 1, False),
        # no sessions: nobody completes
        (CompletionRule.ALL_SESSIONS, None, 0, 0, False),
    ],
)
def test_completion_rule_table(rule, minimum, attended, total, completed):
    assert completion_met(rule=rule, minimum=minimum, attended=attended, total=total) is completed


def test_startup_academy_completes_only_those_at_all_sessions(make_run, make_registration):
    run = make_run(sessions=2)
    both = make_registration(run, attend=2)
    missed_one = make_registration(run, attend=1)
    assert registration_completed(both) is True
    assert registration_completed(missed_one) is False
    assert [r.pk for r in run_completers(run_with_counts(run.pk))] == [both.pk]


def test_leaders_academy_completes_at_the_minimum_count(make_run, make_registration):
    run = make_run(kind=ProgramKind.LEADERS_ACADEMY, sessions=8, minimum=6)
    six = make_registration(run, attend=6)
    five = make_registration(run, attend=5)
    rows = {r.pk: r for r in run_registrations(run_with_counts(run.pk))}
    assert rows[six.pk].completed and rows[six.pk].attended == 6
    assert not rows[five.pk].completed


def test_a_session_added_later_makes_an_earlier_completer_incomplete(make_run, make_registration):
    """Completion is computed, never stored: it follows the attendance and the sessions."""
    import datetime

    from programs.models import Session

    run = make_run(sessions=2)
    registration = make_registration(run, attend=2)
    assert registration_completed(registration)
    Session.objects.create(
        run=run, date=datetime.date(2018, 2, 28), start_time=datetime.time(10), end_time=datetime.time(12)
    )
    assert not registration_completed(registration)


def test_the_database_refuses_a_minimum_rule_without_a_minimum(make_run):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        make_run(kind=ProgramKind.LEADERS_ACADEMY, rule=CompletionRule.MIN_PERCENT, minimum=0)
