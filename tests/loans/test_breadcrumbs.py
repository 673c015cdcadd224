"""Nested pages name their parent in the trail: an application under its call (a guarantee intake
under its fund), an interest-subsidy claim under the claims list; a role that may not open a crumb's
page does not get the link."""

import datetime

from django.urls import reverse

from loans.aftercare import services as aftercare_services
from tests.breadcrumbs import trail_in


def _trail(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return trail_in(response.content.decode())


def test_an_application_sits_under_its_call(staff_client, make_application, loan_call):
    application = make_application(status="review")
    assert _trail(staff_client, application.get_absolute_url()) == [
        ("홈", "/"),
        ("저리융자", reverse("loans:index")),
        (loan_call.title, loan_call.get_absolute_url()),
        (f"융자 신청: {application.firm.name}", None),
    ]


def test_a_guarantee_intake_sits_under_its_fund(staff_client, make_application, loan_funds):
    application = make_application(status="review", fund="guarantee")
    type(application).objects.filter(pk=application.pk).update(call=None)  # year-round intake
    fund = loan_funds["guarantee"]
    assert _trail(staff_client, application.get_absolute_url())[2] == (
        fund.name,
        reverse("loans:fund_detail", args=[fund.pk]),
    )


def test_a_claim_sits_under_the_claims_list(manager_client, staff_user, loan_funds):
    claim = aftercare_services.subsidy_claim_open(
        fund=loan_funds["bank"],
        period_start=datetime.date(2018, 3, 15),
        period_end=datetime.date(2018, 9, 15),
        actor=staff_user,
    )
    trail = _trail(manager_client, claim.get_absolute_url())
    assert [label for label, _ in trail[:3]] == ["홈", "사후관리", "이자보전금 청구"]
    assert trail[2][1] == reverse("aftercare:claim_list")
    assert trail[-1] == (f"이자보전금 청구: {claim}", None)


def test_a_crumb_the_role_may_not_open_is_left_out(rf, committee_user, loan_call):
    """A committee member may not open the loans section or the call: the trail links neither."""
    from django.urls import resolve

    from guro_sme.breadcrumbs import trail

    url = reverse("loans:application_detail", args=[1])
    request = rf.get(url)
    request.user = committee_user
    request.resolver_match = resolve(url)
    crumbs = trail(request, "융자 신청: (주)구로", [(loan_call.title, loan_call.get_absolute_url())])
    assert [(c.label, c.url) for c in crumbs] == [("홈", "/"), ("융자 신청: (주)구로", "")]
