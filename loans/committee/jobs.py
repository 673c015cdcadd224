"""The committee's merged PDFs as background jobs (guro_sme.jobs): packets and decision notices.

The view that asked already checked the role; each runner still reads only what the requester
may see (the meetings visible to them), as the page would.
"""

from django.contrib.auth import get_user_model

from guro_sme.jobs.registry import JobOutput

from . import notices, permissions, selectors


def _meeting(actor, pk):
    return permissions.meetings_visible_to(user=actor).select_related("call").get(pk=pk)


def run_packet_pdf(*, params: dict, actor, progress) -> JobOutput:
    meeting = _meeting(actor, params["meeting"])
    member = get_user_model().objects.get(pk=params["member"], committee_memberships__meeting=meeting)
    progress(0, None)
    return JobOutput(f"packet-{meeting.pk}-{member.username}.pdf", selectors.packet_pdf(meeting, member))


def run_notices_pdf(*, params: dict, actor, progress) -> JobOutput:
    meeting = _meeting(actor, params["meeting"])
    progress(0, None)
    return JobOutput(f"notices-{meeting.pk}.pdf", notices.notices_pdf(notices.decided_items(meeting)))
