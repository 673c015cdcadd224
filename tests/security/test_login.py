"""Login and session protection, tried with real requests: lockout, idle timeout, TOTP, CSP, DEBUG."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from guro_sme.middleware import LAST_SEEN_AT, SIGNED_IN_AT
from guro_sme.models import DistrictProfile
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def sign_in(client, username, password=PASSWORD, ip="10.0.0.1"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


# --- lockout (django-axes) ---------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account_with_a_korean_message_and_a_log(client, staff_user):
    for _ in range(4):
        response = sign_in(client, "staff", "wrong-password")
        assert response.status_code == 200  # the login form again, with its error
    response = sign_in(client, "staff", "wrong-password")
    assert response.status_code == 429
    assert "로그인이 잠시 제한되었습니다" in response.content.decode()
    assert "30분 동안" in response.content.decode()
    # Even the right password is refused now, from another address too.
    response = sign_in(client, "staff", ip="10.9.9.9")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.filter(username="staff", failures_since_start__gte=5).exists()
    assert AccessFailureLog.objects.filter(username="staff").count() >= 5


def test_the_address_is_throttled_across_usernames(client, staff_user, manager_user):
    for n in range(5):
        sign_in(client, f"guess{n}", "wrong-password", ip="10.7.7.7")
    response = sign_in(client, "manager", ip="10.7.7.7")
    assert response.status_code == 429
    assert sign_in(client, "manager", ip="10.7.7.8").status_code == 302  # another address signs in


def test_a_success_resets_the_failures(client, staff_user):
    for _ in range(4):
        sign_in(client, "staff", "wrong-password")
    assert sign_in(client, "staff").status_code == 302
    client.post("/logout/")
    for _ in range(4):
        assert sign_in(client, "staff", "wrong-password").status_code == 200


# --- session limits ------------------------------------------------------------------------------


def _age_session(client, **seconds_ago):
    session = client.session
    for key, ago in seconds_ago.items():
        session[key] = int(time.time()) - ago
    session.save()


def test_thirty_idle_minutes_sign_the_user_out(staff_client):
    assert staff_client.get("/").status_code == 200
    _age_session(staff_client, **{LAST_SEEN_AT: 29 * 60})
    assert staff_client.get("/").status_code == 200  # 29 minutes: still in, and the clock restarts
    _age_session(staff_client, **{LAST_SEEN_AT: 31 * 60})
    response = staff_client.get("/firms/")
    assert response.status_code == 302 and response["Location"].startswith("/login/?next=/firms/")
    body = staff_client.get(response["Location"]).content.decode()
    assert "30분 넘게 사용하지 않아" in body
    assert staff_client.get("/").status_code == 302  # really signed out


def test_the_absolute_limit_holds_even_for_a_busy_user(staff_client, settings):
    _age_session(staff_client, **{SIGNED_IN_AT: settings.SESSION_COOKIE_AGE + 60, LAST_SEEN_AT: 10})
    response = staff_client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


# --- second factor (django-otp) ------------------------------------------------------------------


def require_second_factor():
    profile = DistrictProfile.current()
    profile.require_second_factor = True
    if not profile.department:
        profile.department = "일자리경제과"
    profile.save()


@pytest.fixture(autouse=True)
def no_code_throttle(settings):
    # django-otp waits 2^n seconds after n wrong codes; these tests type a wrong code, then the right one.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_when_the_district_requires_it_staff_set_up_totp_before_any_page(client, staff_user):
    require_second_factor()
    assert sign_in(client, "staff").status_code == 302
    response = client.get("/firms/")
    assert response.status_code == 302 and response["Location"] == "/account/otp/?next=/firms/"
    page = client.get(response["Location"]).content.decode()
    assert "2단계 인증 설정" in page and "<svg" in page
    device = TOTPDevice.objects.get(user=staff_user, confirmed=False)
    response = client.post("/account/otp/", {"token": "000000", "next": "/firms/"}, follow=True)
    assert "인증 코드가 맞지 않습니다" in response.content.decode()
    assert client.get("/firms/").status_code == 302
    response = client.post("/account/otp/", {"token": code(device), "next": "/firms/"})
    assert response["Location"] == "/firms/"
    assert client.get("/firms/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_a_user_with_an_app_gives_its_code_after_the_password(client, manager_user):
    device = TOTPDevice.objects.create(user=manager_user, name="앱", confirmed=True)
    sign_in(client, "manager")
    response = client.get("/")
    assert response["Location"] == "/login/otp/?next=/"
    assert client.post("/login/otp/", {"token": "123456"}).status_code == 200
    assert client.get("/").status_code == 302
    response = client.post("/login/otp/", {"token": code(device), "next": "/"})
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_committee_members_are_not_asked_and_nobody_is_without_the_district_setting(
    client, committee_user, staff_user
):
    sign_in(client, "staff")
    assert client.get("/").status_code == 200  # optional: not set up, not required
    client.post("/logout/")
    require_second_factor()
    sign_in(client, "member")
    assert client.get("/").status_code == 200


def test_next_must_stay_on_this_site(client, manager_user):
    device = TOTPDevice.objects.create(user=manager_user, name="앱", confirmed=True)
    sign_in(client, "manager")
    response = client.post("/login/otp/", {"token": code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


# --- headers, passwords, DEBUG ---------------------------------------------------------------------


def test_every_page_sends_a_content_security_policy(client, staff_client):
    for response in (client.get("/login/"), staff_client.get("/firms/")):
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
        assert "unsafe-inline" not in policy


def test_password_rules_speak_korean(staff_user):
    with pytest.raises(ValidationError) as refused:
        validate_password("12345678", user=staff_user)
    text = " ".join(refused.value.messages)
    assert "너무 짧습니다" in text and "10" in text
    assert "숫자" in text  # entirely numeric
    with pytest.raises(ValidationError, match="너무 흔히 사용되는"):
        validate_password("password123")
    validate_password("구로-기금-2018-심사", user=staff_user)


def test_debug_is_off_unless_asked_for():
    environment = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_SETTINGS_MODULE")}
    environment["SECRET_KEY"] = "x" * 50
    script = "import guro_sme.settings as s; print(s.DEBUG)"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert result.stdout.strip() == "False", result.stderr
