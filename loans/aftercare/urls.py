from django.urls import path

from . import views

app_name = "aftercare"
urlpatterns = [
    path("applications/<id:pk>/payments/", views.payment_create, name="payment_create"),
    path("applications/<id:pk>/prepay/", views.loan_prepay, name="loan_prepay"),
    path("applications/<id:pk>/rate/", views.loan_rate_change, name="loan_rate_change"),
    path("payments/<id:pk>/reverse/", views.payment_reverse, name="payment_reverse"),
    path("arrears/", views.arrears, name="arrears"),
    path("due/", views.due_list, name="due_list"),
    path("claims/", views.claim_list, name="claim_list"),
    path("claims/new/", views.claim_create, name="claim_create"),
    path("claims/<id:pk>/", views.claim_detail, name="claim_detail"),
    path("claims/<id:pk>/lines/", views.claim_add_line, name="claim_add_line"),
    path("claims/<id:pk>/approve/", views.claim_approve, name="claim_approve"),
    path("recovery/", views.recovery_list, name="recovery_list"),
    path("recovery/new/<id:firm_pk>/", views.recovery_create, name="recovery_create"),
    path("recovery/<id:pk>/", views.recovery_detail, name="recovery_detail"),
    path("recovery/<id:pk>/notice/", views.recovery_notice, name="recovery_notice"),
    path("recovery/<id:pk>/notice.pdf", views.recovery_notice_pdf, name="recovery_notice_pdf"),
    path("recovery/<id:pk>/objection/", views.recovery_objection, name="recovery_objection"),
    path("recovery/<id:pk>/decision/", views.recovery_decision, name="recovery_decision"),
    path("recovery/<id:pk>/close/", views.recovery_close, name="recovery_close"),
]
