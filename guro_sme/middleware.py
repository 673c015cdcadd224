"""Session limits and the second factor, checked on every request of a signed-in user.

Both read only the session (stamped at login by guro_sme.apps), so a page costs no extra query.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse

SIGNED_IN_AT = "signed_in_at"
LAST_SEEN_AT = "last_seen_at"
SECOND_FACTOR = "second_factor"  # "verify" (has a device), "setup" (district requires one) or ""
# Saving the session on every request would write to the database each time: a minute is precise
# enough for a 30-minute limit.
LAST_SEEN_RESOLUTION_SECONDS = 60


def stamp_session(session, *, second_factor: str) -> None:
    now = int(time.time())
    session[SIGNED_IN_AT] = now
    session[LAST_SEEN_AT] = now
    session[SECOND_FACTOR] = second_factor


class SessionTimeoutMiddleware:
    """Sign out after SESSION_IDLE_SECONDS without a request, or SESSION_COOKIE_AGE after login."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            signed_in = request.session.get(SIGNED_IN_AT, now)
            last_seen = request.session.get(LAST_SEEN_AT, now)
            if now - last_seen > settings.SESSION_IDLE_SECONDS:
                return self._sign_out(request, "30분 넘게 사용하지 않아 안전을 위해 로그아웃했습니다.")
            if now - signed_in > settings.SESSION_COOKIE_AGE:
                return self._sign_out(request, "로그인 후 허용 시간이 지나 로그아웃했습니다.")
            if SIGNED_IN_AT not in request.session:
                request.session[SIGNED_IN_AT] = now
            if now - last_seen >= LAST_SEEN_RESOLUTION_SECONDS or LAST_SEEN_AT not in request.session:
                request.session[LAST_SEEN_AT] = now
        return self.get_response(request)

    def _sign_out(self, request, message: str):
        path = request.get_full_path()
        logout(request)
        messages.warning(request, f"{message} 다시 로그인하세요.")
        return redirect_to_login(path)


class SecondFactorMiddleware:
    """Until the TOTP code is given, a user who needs one sees only the code (or set-up) page."""

    ALLOWED = ("login", "logout", "otp_verify", "otp_setup")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        state = request.session.get(SECOND_FACTOR, "") if request.user.is_authenticated else ""
        if state and not request.user.is_verified():
            allowed = {reverse(name) for name in self.ALLOWED}
            if request.path not in allowed and not request.path.startswith(settings.STATIC_URL):
                target = reverse("otp_verify" if state == "verify" else "otp_setup")
                return redirect(f"{target}?next={request.get_full_path()}")
        return self.get_response(request)
