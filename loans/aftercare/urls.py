from django.urls import path

from . import views

app_name = "aftercare"
urlpatterns = [
    path("applications/<int:pk>/payments/", views.payment_create, name="payment_create"),
    path("applications/<int:pk>/prepay/", views.loan_prepay, name="loan_prepay"),
    path("applications/<int:pk>/rate/", views.loan_rate_change, name="loan_rate_change"),
    path("payments/<int:pk>/reverse/", views.payment_reverse, name="payment_reverse"),
    path("arrears/", views.arrears, name="arrears"),
    path("due/", views.due_list, name="due_list"),
    path("claims/", views.claim_list, name="claim_list"),
    path("claims/new/", views.claim_create, name="claim_create"),
    path("claims/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("claims/<int:pk>/lines/", views.claim_add_line, name="claim_add_line"),
    path("claims/<int:pk>/approve/", views.claim_approve, name="claim_approve"),
    path("recovery/", views.recovery_list, name="recovery_list"),
    path("recovery/new/<int:firm_pk>/", views.recovery_create, name="recovery_create"),
    path("recovery/<int:pk>/", views.recovery_detail, name="recovery_detail"),
    path("recovery/<int:pk>/notice/", views.recovery_notice, name="recovery_notice"),
    path("recovery/<int:pk>/notice.pdf", views.recovery_notice_pdf, name="recovery_notice_pdf"),
    path("recovery/<int:pk>/objection/", views.recovery_objection, name="recovery_objection"),
    path("recovery/<int:pk>/decision/", views.recovery_decision, name="recovery_decision"),
    path("recovery/<int:pk>/close/", views.recovery_close, name="recovery_close"),
]
