from django.urls import path

from . import views

app_name = "kotra"
urlpatterns = [
    path("", views.index, name="index"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<int:year>/", views.project_detail, name="project_detail"),
    path("projects/<int:year>/edit/", views.project_edit, name="project_edit"),
    path("projects/<int:year>/participants/new/", views.participant_create, name="participant_create"),
    path("participants/<int:pk>/", views.participant_detail, name="participant_detail"),
    path("participants/<int:pk>/edit/", views.participant_edit, name="participant_edit"),
    path("participants/<int:pk>/delete/", views.participant_delete_view, name="participant_delete"),
]
