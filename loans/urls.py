from django.urls import include, path

from . import views
from .guarantee import views as guarantee_views

app_name = "loans"
urlpatterns = [
    path("", views.index, name="index"),
    path("funds/new/", views.fund_create, name="fund_create"),
    path("funds/<id:pk>/", views.fund_detail, name="fund_detail"),
    path("funds/<id:pk>/edit/", views.fund_edit, name="fund_edit"),
    path("funds/<id:pk>/guarantee/", guarantee_views.dashboard, name="guarantee_dashboard"),
    path("funds/<id:pk>/guarantee/recommendation.pdf", guarantee_views.letter_pdf, name="guarantee_letter"),
    path("funds/<id:pk>/guarantee/list.xlsx", guarantee_views.list_xlsx, name="guarantee_list"),
    path("funds/<id:pk>/guarantee/send/", guarantee_views.send, name="guarantee_send"),
    path("applications/<id:pk>/guarantee-result/", guarantee_views.result, name="guarantee_result"),
    path("calls/", views.call_list, name="call_list"),
    path("calls/new/", views.call_create, name="call_create"),
    path("calls/<id:pk>/", views.call_detail, name="call_detail"),
    path("calls/<id:pk>/edit/", views.call_edit, name="call_edit"),
    path("calls/<id:pk>/copy/", views.call_copy, name="call_copy"),
    path("calls/<id:pk>/refer/", views.call_refer, name="call_refer"),
    path("calls/<id:pk>/referral.pdf", views.referral_pdf, name="referral_pdf"),
    path("calls/<id:pk>/referral.xlsx", views.referral_xlsx, name="referral_xlsx"),
    path("applications/", views.application_list, name="application_list"),
    path("applications/new/", views.application_create, name="application_create"),
    path("applications/<id:pk>/", views.application_detail, name="application_detail"),
    path("applications/<id:pk>/edit/", views.application_edit, name="application_edit"),
    path("applications/<id:pk>/action/", views.application_action, name="application_action"),
    path("applications/<id:pk>/bank/", views.application_bank_outcome, name="application_bank_outcome"),
    path("applications/<id:pk>/documents/", views.document_upload, name="document_upload"),
    path("documents/<id:pk>/", views.document_download, name="document_download"),
    path("installments/<id:pk>/paid/", views.installment_paid, name="installment_paid"),
    path("meetings/", include("loans.committee.urls")),
]
