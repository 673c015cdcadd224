"""Junk paging and ids never give a 500: per_page is one of the offered sizes, overlong numbers 404."""

import pytest
from django.urls import reverse

LISTS = ["firm_list", "loans:application_list", "loans:meeting_list"]


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize(
    "query",
    [
        "per_page=0",
        "per_page=-5",
        "per_page=100000000",
        "per_page=abc",
        "page=abc",
        "page=0",
        "page=99999999999999999999999999",
    ],
)
def test_junk_paging_never_fails(staff_client, make_firm, name, query):
    make_firm()
    response = staff_client.get(f"{reverse(name)}?{query}")
    assert response.status_code in (200, 404)


def test_per_page_must_be_one_of_the_offered_sizes(staff_client, make_firm):
    for _ in range(3):
        make_firm()
    from guro_sme.paging import PAGE_SIZES

    response = staff_client.get(f"{reverse('firm_list')}?per_page=100000000")
    assert response.context["table"].paginator.per_page == PAGE_SIZES[0]
    response = staff_client.get(f"{reverse('firm_list')}?per_page={PAGE_SIZES[-1]}")
    assert response.context["table"].paginator.per_page == PAGE_SIZES[-1]


@pytest.mark.parametrize(
    "path",
    [
        "/firms/99999999999999999999999/",
        "/loans/applications/99999999999999999999999/",
        "/loans/calls/99999999999999999999999/",
        "/loans/meetings/99999999999999999999999/",
        "/programs/99999999999999999999999/",
        "/kotra/participants/99999999999999999999999/",
    ],
)
def test_overlong_ids_are_a_404(manager_client, path):
    assert manager_client.get(path).status_code == 404


def test_every_url_takes_ids_through_the_bounded_converter():
    from django.urls import get_resolver
    from django.urls.converters import IntConverter

    def walk(patterns, prefix=""):
        for pattern in patterns:
            converters = getattr(pattern.pattern, "converters", {})
            yield prefix + str(pattern.pattern), converters
            if hasattr(pattern, "url_patterns"):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))

    unbounded = [
        route
        for route, converters in walk(get_resolver().url_patterns)
        if any(type(c) is IntConverter for c in converters.values())
    ]
    unbounded = [route for route in unbounded if not route.startswith("admin/")]
    assert unbounded == []  # use <id:pk> (guro_sme/paging.py), not <int:pk>
