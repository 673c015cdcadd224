from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate


def _attach_role_permissions(sender, **kwargs):
    from .roles import ensure_role_groups

    ensure_role_groups()


def _stamp_session_at_login(sender, request, user, **kwargs):
    from .middleware import stamp_session
    from .second_factor import second_factor_state

    if request is not None and hasattr(request, "session"):
        stamp_session(request.session, second_factor=second_factor_state(user))


class CoreConfig(AppConfig):
    name = "guro_sme"
    verbose_name = "기본 정보"

    def ready(self):
        from . import paging  # noqa: F401  registers the <id:pk> URL converter before any urls load

        # Permissions of every app exist only after its migrate; attach them each time.
        post_migrate.connect(_attach_role_permissions, dispatch_uid="guro_sme_role_permissions")
        # The session limits and the second factor start at login (force_login in tests too).
        user_logged_in.connect(_stamp_session_at_login, dispatch_uid="guro_sme_stamp_session")
