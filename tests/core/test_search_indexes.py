"""On PostgreSQL the substring searches (회사명, 대표자, 사업자등록번호, participants) are served by
trigram indexes (guro_sme/trigram.py): the query Django writes for `icontains` can use them.
A trigram needs three characters, so a one- or two-character search still reads the table."""

import pytest
from django.db import connection

from guro_sme.models import Firm
from programs.models import Person

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")


def plan_of(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # A test table is tiny, so the planner would scan it anyway: ask whether the index can serve.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(
    ("lookup", "index"),
    [
        ({"name__icontains": "구로테크"}, "firm_name_trgm"),
        ({"representative__icontains": "홍길동"}, "firm_representative_trgm"),
        ({"business_number__contains": "20812"}, "firm_business_number_trgm"),
    ],
)
def test_a_firm_search_uses_its_trigram_index(db, make_firm, lookup, index):
    make_firm(name="(주)구로테크")
    assert index in plan_of(Firm.objects.filter(**lookup))


@pytest.mark.parametrize(
    ("lookup", "index"),
    [({"name__icontains": "정효진"}, "person_name_trgm"), ({"phone__contains": "1234"}, "person_phone_trgm")],
)
def test_a_participant_search_uses_its_trigram_index(db, lookup, index):
    Person.objects.create(name="정효진", phone="01012345678")
    assert index in plan_of(Person.objects.filter(**lookup))


def test_an_application_search_by_firm_name_filters_the_firms_on_their_own(db, make_firm):
    """The header search's 융자 신청 group and the application list's q filter: the firm-name
    condition is on the firm table's scan (where firm_name_trgm serves it, as tested above), not a
    join filter ORed with the applications' intake number, which read every application joined to
    its firm (60 ms at scale 1; 0.2 ms now)."""
    from loans.models import LoanApplication
    from loans.selectors import search_condition

    make_firm(name="(주)구로테크")
    plan = plan_of(LoanApplication.objects.filter(search_condition("구로테크")))
    assert "Join Filter" not in plan and "Seq Scan" not in plan, plan
