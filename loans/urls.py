from django.urls import include, path

from . import views

app_name = "loans"
urlpatterns = [
    path("", views.index, name="index"),
    path("meetings/", include("loans.committee.urls")),
]
