"""Pages after the loan: payments on the application page, the arrears list, installments due."""

import datetime

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from guro_sme.roles import READERS, Role, role_required
from loans.models import LoanApplication
from loans.services import LoanRuleError

from . import selectors, services
from .allocation import AGING_BUCKETS
from .forms import PaymentForm, ReversalForm, first_error
from .models import LoanPayment


@require_POST
@role_required(Role.STAFF)
def payment_create(request, pk):
    application = get_object_or_404(LoanApplication, pk=pk)
    form = PaymentForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect(application)
    try:
        payment = services.payment_record(
            application=application,
            paid_on=form.cleaned_data["paid_on"],
            amount_won=form.cleaned_data["amount_won"],
            note=form.cleaned_data["note"],
            actor=request.user,
        )
    except LoanRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{payment.paid_on:%Y.%m.%d} 납입 {payment.amount_won:,}원을 기록했습니다.")
    return redirect(application)


@require_POST
@role_required(Role.STAFF)
def payment_reverse(request, pk):
    payment = get_object_or_404(LoanPayment.objects.select_related("application"), pk=pk)
    form = ReversalForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect(payment.application)
    try:
        services.payment_reverse(payment=payment, reason=form.cleaned_data["reason"], actor=request.user)
    except LoanRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{payment.paid_on:%Y.%m.%d} 납입 {payment.amount_won:,}원을 취소했습니다.")
    return redirect(payment.application)


@role_required(*READERS)
def arrears(request):
    bucket = request.GET.get("bucket", "")
    if bucket not in {label for _, _, label in AGING_BUCKETS}:
        bucket = ""
    today = timezone.localdate()
    rows = selectors.arrears_rows(as_of=today)
    return render(
        request,
        "aftercare/arrears.html",
        {
            "rows": [r for r in rows if not bucket or r.balance.aging_bucket == bucket],
            "summary": selectors.arrears_summary(rows),
            "bucket": bucket,
            "today": today,
            "total_overdue": sum(r.balance.overdue_won for r in rows),
            "rows_total": len(rows),
            "title": "연체 현황",
        },
    )


@role_required(*READERS)
def due_list(request):
    today = timezone.localdate()
    end = today + datetime.timedelta(days=6)
    return render(
        request,
        "aftercare/due_list.html",
        {"due": selectors.due_between(today, end), "today": today, "end": end, "title": "이번 주 상환 예정"},
    )
