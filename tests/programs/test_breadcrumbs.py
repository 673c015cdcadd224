"""A run's attendance sheet sits under the run in the trail."""

from django.urls import reverse

from tests.breadcrumbs import trail_in


def test_the_attendance_sheet_sits_under_its_run(staff_client, make_run):
    run = make_run()
    response = staff_client.get(reverse("programs:attendance", args=[run.pk]))
    assert response.status_code == 200
    assert trail_in(response.content.decode()) == [
        ("홈", "/"),
        ("경영지원사업", reverse("programs:index")),
        (str(run), run.get_absolute_url()),
        (f"출석부: {run}", None),
    ]


def test_every_page_of_a_run_sits_under_the_run(staff_client, make_run):
    run = make_run()
    for name in ("programs:completers", "programs:consultations", "programs:register", "programs:run_edit"):
        response = staff_client.get(reverse(name, args=[run.pk]))
        assert response.status_code == 200, name
        assert trail_in(response.content.decode())[2] == (str(run), run.get_absolute_url()), name
