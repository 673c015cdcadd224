"""Who may see what of the committee: meetings, applications on their agendas, scores.

member_may_see_application is registered with loans.permissions at start-up (apps.py), so the
loans app's can_view_application answers for committee members without importing this app.
"""

from django.db.models import Exists, OuterRef, QuerySet

from guro_sme.roles import READERS, Role, has_role

from .models import AgendaItem, CommitteeMeeting, Recusal


def meetings_visible_to(*, user) -> QuerySet[CommitteeMeeting]:
    """Staff and managers see every meeting; a committee member only the meetings they sit on."""
    meetings = CommitteeMeeting.objects.all()
    if has_role(user, *READERS):
        return meetings
    if has_role(user, Role.COMMITTEE):
        return meetings.filter(memberships__member=user)
    return meetings.none()


def can_view_meeting(user, meeting: CommitteeMeeting) -> bool:
    return meetings_visible_to(user=user).filter(pk=meeting.pk).exists()


def member_may_see_application(user, application) -> bool:
    """A member may see an application (and its documents) when it is on the agenda of a meeting they
    sit on and they have not recused from it."""
    if not has_role(user, Role.COMMITTEE):
        return False
    return (
        AgendaItem.objects.filter(application=application, meeting__memberships__member=user)
        .exclude(Exists(Recusal.objects.filter(item=OuterRef("pk"), member=user)))
        .exists()
    )
