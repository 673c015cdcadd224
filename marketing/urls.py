from django.urls import path

from . import views

app_name = "marketing"
urlpatterns = [
    path("", views.index, name="index"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<id:year>/", views.project_detail, name="project_detail"),
    path("projects/<id:year>/edit/", views.project_edit, name="project_edit"),
    path("projects/<id:year>/events/new/", views.event_create, name="event_create"),
    path("events/<id:pk>/edit/", views.event_edit, name="event_edit"),
    path("projects/<id:year>/firms/new/", views.selection_create, name="selection_create"),
    path("selections/<id:pk>/edit/", views.selection_edit, name="selection_edit"),
    path("selections/<id:pk>/delete/", views.selection_delete_view, name="selection_delete"),
]
