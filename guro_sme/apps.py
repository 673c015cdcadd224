from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _attach_role_permissions(sender, **kwargs):
    from .roles import ensure_role_groups

    ensure_role_groups()


class CoreConfig(AppConfig):
    name = "guro_sme"
    verbose_name = "기본 정보"

    def ready(self):
        # Permissions of every app exist only after its migrate; attach them each time.
        post_migrate.connect(_attach_role_permissions, dispatch_uid="guro_sme_role_permissions")
