"""The optional second factor (TOTP, django-otp) for staff and managers.

A user who has set up an authenticator app is always asked for its code after the password; when
the district turns on `DistrictProfile.require_second_factor`, staff and managers without one must
set it up at their next login. Committee members are not asked (they only vote on their meetings).
"""

import segno
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .errors import RuleError
from .models import DistrictProfile
from .roles import Role, has_role

DEVICE_NAME = "인증 앱"


def second_factor_state(user) -> str:
    """'verify' (has an app), 'setup' (required, none yet) or '' (not asked). Two queries at login."""
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return "verify"
    if has_role(user, Role.STAFF, Role.MANAGER) and DistrictProfile.current().require_second_factor:
        return "setup"
    return ""


def totp_pending_device(*, user) -> TOTPDevice:
    """The not-yet-confirmed device the set-up page shows (one per user, reused on reload)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def totp_qr_svg(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=4, omitsize=False)


def totp_confirm(*, request, device: TOTPDevice, token: str) -> None:
    """Confirm the app with its first code; older apps of the user are replaced. Marks the session."""
    if not device.verify_token(token.strip()):
        raise RuleError("인증 코드가 맞지 않습니다. 앱에 보이는 6자리 숫자를 다시 입력하세요.")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    otp_login(request, device)


def totp_verify(*, request, token: str) -> None:
    for device in TOTPDevice.objects.filter(user=request.user, confirmed=True):
        if device.verify_token(token.strip()):
            otp_login(request, device)
            return
    raise RuleError("인증 코드가 맞지 않습니다. 앱에 보이는 6자리 숫자를 입력하세요.")
