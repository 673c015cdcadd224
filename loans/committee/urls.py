# Included by loans/urls.py under /loans/meetings/, inside the "loans" namespace (no app_name here).
from django.urls import path

from . import views

urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
]
