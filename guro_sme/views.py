from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import get_object_or_404, redirect, render
from django_tables2 import RequestConfig

from guro_sme.korean import particle

from .access_log import Subject, log_access
from .filters import FirmFilter
from .forms import FirmForm
from .models import Firm
from .roles import ANY_ROLE, READERS, Role, role_required
from .services import firm_save
from .support import attention_for_user, support_for_firm
from .tables import FirmTable

FIRMS_PER_PAGE = 25


@role_required(*ANY_ROLE)
def home(request):
    return render(request, "guro_sme/home.html", {"attention": attention_for_user(request.user)})


@role_required(*READERS)
def firm_list(request):
    firm_filter = FirmFilter(request.GET, queryset=Firm.objects.all())
    table = FirmTable(firm_filter.qs)
    RequestConfig(request, paginate={"per_page": FIRMS_PER_PAGE}).configure(table)
    log_access(request, Subject.FIRM, count=table.paginator.count)
    return render(request, "guro_sme/firm_list.html", {"filter": firm_filter, "table": table})


@role_required(*READERS)
def firm_detail(request, pk):
    firm = get_object_or_404(Firm, pk=pk)
    log_access(request, Subject.FIRM, [firm])
    history = firm.history.select_related("history_user").order_by("-history_date")[:20]
    return render(
        request,
        "guro_sme/firm_detail.html",
        {"firm": firm, "history": history, "support": support_for_firm(firm)},
    )


@role_required(Role.STAFF)
def firm_create(request):
    form = FirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        firm = firm_save(firm=form.save(commit=False), user=request.user, reason="신규 등록")
        messages.success(request, f"'{firm.name}'{particle(firm.name, '을')} 등록했습니다.")
        return redirect(firm)
    return render(request, "guro_sme/firm_form.html", {"form": form, "title": "기업 등록"})


@role_required(Role.STAFF)
def firm_edit(request, pk):
    firm = get_object_or_404(Firm, pk=pk)
    form = FirmForm(request.POST or None, instance=firm)
    if request.method == "POST" and form.is_valid():
        firm_save(firm=form.save(commit=False), user=request.user, reason="정보 수정")
        messages.success(request, f"'{firm.name}'의 정보를 수정했습니다.")
        return redirect(firm)
    return render(
        request, "guro_sme/firm_form.html", {"form": form, "title": f"기업 수정: {firm.name}", "firm": firm}
    )


def csrf_failure(request, reason=""):
    """A Korean page instead of Django's English one (e.g. a form left open past the session)."""
    return render(request, "403_csrf.html", status=403)


class LogoutView(auth_views.LogoutView):
    """Logging out stays a POST (Django's rule); a GET, e.g. a typed /logout/, asks to confirm."""

    http_method_names = ["get", "post", "options"]

    def get(self, request, *args, **kwargs):
        return render(request, "registration/logout_confirm.html")
