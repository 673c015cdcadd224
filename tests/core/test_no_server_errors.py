"""No page answers a 500, whoever asks and whatever they send.

With the demo loaded, every URL of the project is requested by every role, with the demo's first
objects as arguments, with nonsense query strings, and (for staff) with an empty POST. Each answer
must be a page, a redirect, a download or a refusal (4xx): never a server error.
"""

import pytest
from django.test import Client
from django.urls import get_resolver, reverse
from django.urls.converters import IntConverter

from tests.core.test_roles import PUBLIC, _walk

JUNK_QUERIES = [
    "",
    "?year=abc&page=x&sort=bogus&status=zzz&call=abc&fund=-1&run=x",
    "?year=99999&page=-1&q=%00&business_number=%27%22",
]


def sample_urls(arg):
    """Every URL with `arg` for each number; text arguments (the import keys) take every real key."""
    from guro_sme.imports.registry import IMPORT_TYPES

    texts = ["x", *(import_type.key for import_type in IMPORT_TYPES)]
    urls = []
    for name, _view, converters in _walk(get_resolver().url_patterns):
        if name in PUBLIC or name == "logout":
            continue
        for text in texts:
            kwargs = {
                key: arg if isinstance(conv, IntConverter) else text for key, conv in converters.items()
            }
            urls.append(reverse(name, kwargs=kwargs))
    return sorted(set(urls))


@pytest.fixture
def demo(demo_state):
    demo_state("everything")  # load_demo, built once per test process


@pytest.mark.parametrize("arg", [1, 2, 999999])
def test_no_url_answers_a_server_error_for_any_role(demo, arg):
    from django.contrib.auth.models import User

    failures = []
    for username in ("staff", "manager", "member1", None):
        client = Client(raise_request_exception=False)
        if username:
            client.force_login(User.objects.get(username=username))
        for url in sample_urls(arg):
            for query in JUNK_QUERIES:
                response = client.get(url + query)
                if response.status_code >= 500:
                    failures.append(f"GET {url}{query} as {username}: {response.status_code}")
    assert failures == []


def test_empty_posts_to_every_url_are_refused_cleanly(demo):
    from django.contrib.auth.models import User

    failures = []
    for username in ("staff", "member1"):
        client = Client(raise_request_exception=False)
        client.force_login(User.objects.get(username=username))
        for url in sample_urls(1):
            response = client.post(url, {})
            if response.status_code >= 500:
                failures.append(f"POST {url} as {username}: {response.status_code}")
    assert failures == []
