from django.urls import path

from . import views

app_name = "loans"
urlpatterns = [
    path("", views.index, name="index"),
    path("meetings/", views.meeting_list, name="meeting_list"),
]
