from django.urls import path

from . import views

app_name = "programs"
urlpatterns = [
    path("", views.index, name="index"),
    path("runs/new/", views.run_create, name="run_create"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/edit/", views.run_edit, name="run_edit"),
    path("runs/<int:pk>/sessions/new/", views.session_add, name="session_add"),
    path("runs/<int:pk>/register/", views.registration_create, name="register"),
    path("runs/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("runs/<int:pk>/completers/", views.completers, name="completers"),
    path("runs/<int:pk>/completers.xlsx", views.completers_xlsx, name="completers_xlsx"),
    path("runs/<int:pk>/consultations/", views.consultations, name="consultations"),
    path("runs/<int:pk>/consultations/new/", views.consultation_create, name="consultation_create"),
    path("consultations/<int:pk>/edit/", views.consultation_edit, name="consultation_edit"),
    path("registrations/<int:pk>/cancel/", views.registration_cancel, name="registration_cancel"),
    path("registrations/<int:pk>/certificate/", views.certificate, name="certificate"),
]
