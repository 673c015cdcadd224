from django.urls import path

from . import views

app_name = "programs"
urlpatterns = [
    path("", views.index, name="index"),
    path("runs/new/", views.run_create, name="run_create"),
    path("runs/<id:pk>/", views.run_detail, name="run_detail"),
    path("runs/<id:pk>/edit/", views.run_edit, name="run_edit"),
    path("runs/<id:pk>/sessions/new/", views.session_add, name="session_add"),
    path("runs/<id:pk>/register/", views.registration_create, name="register"),
    path("runs/<id:pk>/attendance/", views.attendance, name="attendance"),
    path("runs/<id:pk>/completers/", views.completers, name="completers"),
    path("runs/<id:pk>/completers.xlsx", views.completers_xlsx, name="completers_xlsx"),
    path("runs/<id:pk>/consultations/", views.consultations, name="consultations"),
    path("runs/<id:pk>/consultations/new/", views.consultation_create, name="consultation_create"),
    path("consultations/<id:pk>/edit/", views.consultation_edit, name="consultation_edit"),
    path("registrations/<id:pk>/cancel/", views.registration_cancel, name="registration_cancel"),
    path("registrations/<id:pk>/certificate/", views.certificate, name="certificate"),
    path("registrations/<id:pk>/certificate/revoke/", views.certificate_revoke, name="certificate_revoke"),
]
