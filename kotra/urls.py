from django.urls import path

from . import views

app_name = "kotra"
urlpatterns = [
    path("", views.index, name="index"),
]
