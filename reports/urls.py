from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("plan/", views.plan_detail, name="plan"),
    path("plan/edit/", views.plan_edit, name="plan_edit"),
    path("plan/targets/", views.plan_targets, name="plan_targets"),
    path("plan/investment/", views.plan_investment, name="plan_investment"),
    path("plan/results/", views.plan_results, name="plan_results"),
    path("plan/links/", views.plan_links, name="plan_links"),
    path("funds/", views.fund_accounts, name="fund_accounts"),
    path("funds/xlsx/", views.fund_accounts_xlsx, name="fund_accounts_xlsx"),
    path("funds/<id:fund_pk>/inputs/", views.fund_account_inputs, name="fund_account_inputs"),
    # <str:year>: a year that is not a number gets the report's Korean message, not a bare 404.
    path("<str:year>/", views.report_html, name="year"),
    path("<str:year>/pdf/", views.report_pdf, name="pdf"),
    path("<str:year>/xlsx/", views.report_xlsx, name="xlsx"),
]
