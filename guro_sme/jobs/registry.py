"""The kinds of background job, by key → the function that does the work (a dotted path).

A runner is `run(*, params: dict, actor, progress) -> JobOutput`: `params` is what the page stored
when it asked (JSON), `actor` the user who asked (the runner checks nothing a view did not
already check, but it must only read what that user may see), and `progress(done, total)` moves the
bar on the job's page. Add a kind here and ask for it with `services.job_request(kind=...)`.
"""

from dataclasses import dataclass

from django.utils.module_loading import import_string

JOB_KINDS = {
    "list_export": "guro_sme.imports.jobs.run_list_export",
    "referral_pdf": "loans.jobs.run_referral_pdf",
    "meeting_packet_pdf": "loans.committee.jobs.run_packet_pdf",
    "meeting_notices_pdf": "loans.committee.jobs.run_notices_pdf",
}


@dataclass(frozen=True)
class JobOutput:
    filename: str
    data: bytes


def runner_for(kind: str):
    try:
        return import_string(JOB_KINDS[kind])
    except KeyError:
        raise ValueError(f"unknown background job kind {kind!r}") from None
