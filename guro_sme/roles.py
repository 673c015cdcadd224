"""The three roles of the system, as Django groups, and the decorator views use to declare them.

담당자 (staff) enter and edit data; 심의위원 (committee members) see and vote only on the agendas of
the meetings they sit on; 관리자 (managers) read everything and download reports.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db import models


class Role(models.TextChoices):
    STAFF = "담당자", "담당자"
    COMMITTEE = "심의위원", "심의위원"
    MANAGER = "관리자", "관리자"


DOMAIN_APPS = ("guro_sme", "loans", "committee", "aftercare", "marketing", "kotra", "programs", "reports")

# Model permissions per role, mostly for the admin; views check roles with @role_required.
# Committee members get the explicit codenames their app adds (see COMMITTEE_PERMISSIONS).
COMMITTEE_PERMISSIONS = {
    "committee": ("view_committeemeeting", "view_agendaitem", "add_vote", "change_vote", "view_vote"),
}


def ensure_role_groups(apps=None) -> None:
    """Create the three groups and attach model permissions; safe to run again at any time.

    Runs from a data migration and after every migrate, so permissions of models added later
    are attached too. `apps` is the migration's app registry when called from a migration.
    """
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    staff, _ = Group.objects.get_or_create(name=Role.STAFF)
    committee, _ = Group.objects.get_or_create(name=Role.COMMITTEE)
    manager, _ = Group.objects.get_or_create(name=Role.MANAGER)

    domain = Permission.objects.filter(content_type__app_label__in=DOMAIN_APPS)
    staff.permissions.add(*domain.exclude(codename__startswith="delete_"))
    manager.permissions.add(*domain.filter(codename__startswith="view_"))
    for app_label, codenames in COMMITTEE_PERMISSIONS.items():
        committee.permissions.add(*domain.filter(content_type__app_label=app_label, codename__in=codenames))


def user_roles(user) -> frozenset[str]:
    """The user's roles, cached on the user object so a page asks the database once."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_guro_roles", None)
    if cached is None:
        if user.is_superuser:
            cached = frozenset(Role.values)
        else:
            cached = frozenset(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
        user._guro_roles = cached
    return cached


def has_role(user, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))


def role_required(*roles: str, post_roles: tuple[str, ...] | None = None):
    """Declare which roles may use a view; anyone else gets the 403 '권한이 없습니다' page.

    `post_roles` narrows who may POST to a page others may read (e.g. managers read the attendance
    sheet, only staff save it). Both are kept on the view (`view.allowed_roles`, `view.post_roles`)
    so the permission-matrix test checks every URL of the project against them.
    """
    if not roles:
        raise ValueError("role_required needs at least one role")
    writers = frozenset(post_roles) if post_roles is not None else frozenset(roles)
    if not writers <= frozenset(roles):
        raise ValueError("post_roles must be among the roles allowed to open the page")

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            allowed = writers if request.method == "POST" else roles
            if not has_role(request.user, *allowed):
                raise PermissionDenied("권한이 없습니다.")
            return view(request, *args, **kwargs)

        wrapper.allowed_roles = frozenset(roles)
        wrapper.post_roles = writers
        return wrapper

    return decorator


ANY_ROLE = (Role.STAFF, Role.COMMITTEE, Role.MANAGER)
READERS = (Role.STAFF, Role.MANAGER)
