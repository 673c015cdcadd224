"""Who may see what of the loans app: one predicate per question, used by views, services and
templates alike. Roles say which pages a person may open (@role_required); these answer for one
object.

The committee app knows which members may see an application (those sitting on a meeting that has
it on its agenda, and not recused): it registers that answer at start-up with
register_application_viewer, so this app never imports its child.
"""

from collections.abc import Callable

from guro_sme.roles import READERS, Role, has_role

from .models import ApplicationDocument, LoanApplication

ApplicationViewer = Callable[[object, LoanApplication], bool]

_application_viewers: list[ApplicationViewer] = []


def register_application_viewer(predicate: ApplicationViewer) -> ApplicationViewer:
    """Let another app say yes to can_view_application for users who are not staff or managers."""
    if predicate not in _application_viewers:
        _application_viewers.append(predicate)
    return predicate


def can_view_application(user, application: LoanApplication) -> bool:
    """Staff and managers see every application; anyone else only when a registered viewer
    (the committee: a sitting, non-recused member of its meeting) says so."""
    if has_role(user, *READERS):
        return True
    return any(viewer(user, application) for viewer in _application_viewers)


def can_download_document(user, document: ApplicationDocument) -> bool:
    """A document goes with its application: whoever may see the application may download it."""
    return can_view_application(user, document.application)


def can_edit_application(user, application: LoanApplication) -> bool:
    """Staff edit an application only while it is a draft (임시저장); after 접수 it moves by the workflow."""
    return has_role(user, Role.STAFF) and application.status == LoanApplication.Status.DRAFT
