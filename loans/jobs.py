"""The loans app's long PDFs as background jobs (guro_sme.jobs): the bank referral letter."""

from guro_sme.jobs.registry import JobOutput

from . import referral
from .models import LoanCall


def run_referral_pdf(*, params: dict, actor, progress) -> JobOutput:
    call = LoanCall.objects.get(pk=params["call"])
    progress(0, None)
    return JobOutput(f"loan-referral-{call.pk}.pdf", referral.referral_pdf(call, params.get("applications")))
