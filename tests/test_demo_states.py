"""The shared demo states: a replay writes exactly the rows the builder wrote."""

from django.db import connection, transaction

from tests.demo_states import DemoStates, _read


def _contents():
    with connection.cursor() as cursor:
        return _read(cursor)


def test_a_replay_gives_the_same_rows_as_the_build(db):
    states = DemoStates()
    with transaction.atomic():
        states.restore("marketing")
        built = _contents()
        transaction.set_rollback(True)
    assert states.builds == 1
    states.restore("marketing")
    assert states.builds == 1  # replayed, not built again
    assert _contents() == built


def test_a_state_is_built_anew_when_the_tables_it_depends_on_changed(db, make_firm):
    states = DemoStates()
    with transaction.atomic():
        states.restore("kotra_seed")
        transaction.set_rollback(True)
    make_firm(name="(주)먼저등록")  # a row the recording did not start from
    states.restore("kotra_seed")
    assert states.builds == 2
