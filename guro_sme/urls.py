from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views
from .forms import LoginForm

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm),
        name="login",
    ),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("login/otp/", views.otp_verify, name="otp_verify"),
    path("account/otp/", views.otp_setup, name="otp_setup"),
    path("access-log/", views.access_log, name="access_log"),
    path("access-log/reviews/", views.access_log_reviews, name="access_log_reviews"),
    path("search/", views.search, name="search"),
    path("firms/", views.firm_list, name="firm_list"),
    path("firms/new/", views.firm_create, name="firm_create"),
    path("firms/lookup/", views.firm_lookup, name="firm_lookup"),
    path("firms/<id:pk>/", views.firm_detail, name="firm_detail"),
    path("firms/<id:pk>/edit/", views.firm_edit, name="firm_edit"),
    path("loans/", include("loans.urls")),
    path("aftercare/", include("loans.aftercare.urls")),
    path("marketing/", include("marketing.urls")),
    path("kotra/", include("kotra.urls")),
    path("programs/", include("programs.urls")),
    path("reports/", include("reports.urls")),
    path("imports/", include("guro_sme.imports.urls")),
    path("jobs/", include("guro_sme.jobs.urls")),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "중소기업·소상공인 육성 지원 시스템 관리"
admin.site.site_title = "육성 지원 시스템 관리"
