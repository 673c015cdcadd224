# Included by loans/urls.py under /loans/meetings/, inside the "loans" namespace (no app_name here).
from django.urls import path

from . import views

urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("new/", views.meeting_create, name="meeting_create"),
    path("members/", views.member_list, name="committee_members"),
    path("members/<id:pk>/", views.member_edit, name="committee_member"),
    path("members/<id:pk>/interests/", views.member_interest_add, name="committee_member_interest"),
    path(
        "members/<id:pk>/interests/<id:interest_pk>/withdraw/",
        views.member_interest_withdraw,
        name="committee_member_interest_withdraw",
    ),
    path("<id:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<id:pk>/attendance/", views.meeting_attendance, name="meeting_attendance"),
    path("<id:pk>/budget/", views.meeting_budget, name="meeting_budget"),
    path("<id:pk>/close/", views.meeting_close, name="meeting_close"),
    path("<id:pk>/results/", views.meeting_results, name="meeting_results"),
    path("<id:pk>/promote/", views.meeting_promote, name="meeting_promote"),
    path("<id:pk>/minutes.pdf", views.meeting_minutes_pdf, name="meeting_minutes_pdf"),
    path("<id:pk>/packet.pdf", views.meeting_packet_pdf, name="meeting_packet_pdf"),
    path("<id:pk>/packet/<id:member_pk>.pdf", views.meeting_packet_pdf, name="meeting_member_packet_pdf"),
    path("<id:pk>/minutes/", views.minutes_edit, name="meeting_minutes_edit"),
    path("<id:pk>/minutes/confirm/", views.minutes_confirm, name="meeting_minutes_confirm"),
    path(
        "<id:pk>/objections/<id:objection_pk>/decide/",
        views.objection_decide,
        name="meeting_objection_decide",
    ),
    path("<id:pk>/items/<id:item_pk>/hold/", views.item_hold, name="meeting_item_hold"),
    path("<id:pk>/items/<id:item_pk>/objection/", views.objection_record, name="meeting_item_objection"),
    path("<id:pk>/notices/", views.meeting_notices, name="meeting_notices"),
    path("<id:pk>/notices.pdf", views.meeting_notices_pdf, name="meeting_notices_pdf"),
    path("<id:pk>/notices/send/", views.meeting_notices_send, name="meeting_notices_send"),
    path("<id:pk>/notices/<id:item_pk>.pdf", views.meeting_notices_pdf, name="meeting_notice_pdf"),
    path("<id:pk>/notices/<id:item_pk>/send/", views.meeting_notice_send, name="meeting_notice_send"),
    path("<id:pk>/items/<id:item_pk>/amount/", views.item_amount, name="meeting_item_amount"),
    path("<id:pk>/items/<id:item_pk>/remove/", views.item_remove, name="meeting_item_remove"),
    path("<id:pk>/items/<id:item_pk>/recuse/", views.item_recuse, name="meeting_item_recuse"),
    path("<id:pk>/items/<id:item_pk>/score/", views.item_score, name="meeting_item_score"),
    path("<id:pk>/items/<id:item_pk>/vote/", views.item_vote, name="meeting_item_vote"),
]
