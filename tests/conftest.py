"""Shared fixtures: one user per role, a firm factory, and Playwright on Debian's Chromium."""

import os

import pytest

# Playwright's sync API runs an event loop in the main thread; the live-server tests touch the
# ORM from that thread too. Test environment only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "test-pass-1234"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """PBKDF2 costs ~0.5 s a user; no test here is about hashing strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def _demo_states():
    from tests.demo_states import DemoStates

    return DemoStates()


@pytest.fixture
def demo_state(db, _demo_states):
    """demo_state("everything" | "loans" | "committee" | ...) fills the test's database with that
    demo, built once per test process (tests/demo_states.py). Call it before writing anything."""
    return _demo_states.restore


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def context(context, request):
    """Every browser test's context runs axe-core on each page, and again at 390 px at the end.

    See tests/accessibility.py: any violation, or a page wider than the viewport, fails the test.
    """
    from tests.accessibility import watch_accessibility

    if "live_server" in request.fixturenames:
        # Set up the database before this fixture, so it is still there for the 390 px re-check.
        request.getfixturevalue("transactional_db")
    watcher = watch_accessibility(context)
    yield context
    watcher.assert_clean()


@pytest.fixture
def make_user(db):
    """make_user("담당자", username="kim") → a user in that role group (None: no role)."""
    from django.contrib.auth.models import Group, User

    from guro_sme.roles import ensure_role_groups

    # Live-server tests flush the tables after each test, data-migration rows included.
    ensure_role_groups()

    def make(role=None, username=None, **fields):
        username = username or f"user{User.objects.count() + 1}"
        user = User.objects.create_user(username=username, password=PASSWORD, **fields)
        if role:
            user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def staff_user(make_user):
    return make_user("담당자", username="staff", first_name="담당", last_name="김")


@pytest.fixture
def manager_user(make_user):
    return make_user("관리자", username="manager")


@pytest.fixture
def committee_user(make_user):
    return make_user("심의위원", username="member")


@pytest.fixture
def norole_user(make_user):
    return make_user(None, username="norole")


def _client_for(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def staff_client(client, staff_user):
    return _client_for(client, staff_user)


@pytest.fixture
def manager_client(client, manager_user):
    return _client_for(client, manager_user)


@pytest.fixture
def committee_client(client, committee_user):
    return _client_for(client, committee_user)


@pytest.fixture
def norole_client(client, norole_user):
    return _client_for(client, norole_user)


@pytest.fixture
def make_firm(db):
    """make_firm(name="(주)테스트", firm_type="small_business", ...) with a valid, unique number."""
    from guro_sme.models import Firm
    from guro_sme.validators import with_check_digit

    counter = {"n": 0}

    def make(**fields):
        counter["n"] += 1
        defaults = {
            "business_number": with_check_digit(f"2208{counter['n']:05d}"),
            "name": f"테스트기업{counter['n']}",
            "representative": "홍길동",
            "firm_type": Firm.FirmType.SME,
            "in_district": True,
        }
        defaults.update(fields)
        return Firm.objects.create(**defaults)

    return make


# Once Playwright's sync API runs, the main thread has a running event loop, and Django keeps its
# connections per context instead of per thread (asgiref's thread-critical Local). The main thread
# then holds two connections: one opened before Playwright started, one after. Both must be closed
# before the test database is dropped, or PostgreSQL refuses ("being accessed by other users").
@pytest.fixture(scope="session")
def playwright(playwright):
    yield playwright
    from django.db import connections

    connections.close_all()  # the loop still runs here: closes the per-context connections


@pytest.fixture(scope="session", autouse=True)
def _close_connections_before_dropping_the_test_database(django_db_setup):
    yield
    from django.db import connections

    connections.close_all()  # Playwright has stopped: closes the per-thread connections


@pytest.fixture
def login(live_server):
    """login(page, user): signs in through the real login form."""

    def do_login(page, user):
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("사용자 이름").fill(user.username)
        page.get_by_label("비밀번호").fill(PASSWORD)
        page.get_by_role("button", name="로그인").click()
        page.wait_for_load_state()

    return do_login
