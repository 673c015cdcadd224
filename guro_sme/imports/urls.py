from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.import_index, name="index"),
    path("<slug:key>/", views.import_upload, name="upload"),
    path("<slug:key>/confirm/", views.import_confirm, name="confirm"),
    path("<slug:key>/template.xlsx", views.import_template, name="template"),
    path("<slug:key>/export.xlsx", views.export_list, name="export"),
]
