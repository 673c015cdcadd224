"""A meeting's pages (attendance, results) sit under the meeting, in the committee's section."""

from django.urls import reverse

from tests.breadcrumbs import trail_in


def test_a_meetings_pages_sit_under_the_meeting(client, committee):
    client.force_login(committee.staff)
    meeting = committee.meeting
    detail = trail_in(client.get(meeting.get_absolute_url()).content.decode())
    assert detail == [
        ("홈", "/"),
        ("기금운용심의위원회", reverse("loans:meeting_list")),
        (meeting.title, None),
    ]
    for name in ("loans:meeting_attendance", "results"):
        if name == "results":
            for item in committee.items:
                committee.vote(item, committee.members)
            committee.close()
            name = "loans:meeting_results"
        response = client.get(reverse(name, args=[meeting.pk]))
        assert response.status_code == 200, name
        assert trail_in(response.content.decode())[:3] == [
            ("홈", "/"),
            ("기금운용심의위원회", reverse("loans:meeting_list")),
            (meeting.title, meeting.get_absolute_url()),
        ], name
