from django.urls import path

from . import views

app_name = "kotra"
urlpatterns = [
    path("", views.index, name="index"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<id:year>/", views.project_detail, name="project_detail"),
    path("projects/<id:year>/edit/", views.project_edit, name="project_edit"),
    path("projects/<id:year>/participants/new/", views.participant_create, name="participant_create"),
    path("participants/<id:pk>/", views.participant_detail, name="participant_detail"),
    path("participants/<id:pk>/edit/", views.participant_edit, name="participant_edit"),
    path("participants/<id:pk>/delete/", views.participant_delete_view, name="participant_delete"),
]
