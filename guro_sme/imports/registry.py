"""The import types: one per register, each a resource class in its app's `resources.py`.

Resources are named by dotted path and loaded when used, so the core imports no app; a wrong
path fails loudly (tests/imports walk every type).
"""

from dataclasses import dataclass

from django.http import Http404
from django.utils.module_loading import import_string

from guro_sme.access_log import Subject


@dataclass(frozen=True)
class ImportType:
    key: str
    resource_path: str
    #: The FilterSet of the register's list page: an export applies the same query string.
    filterset_path: str = ""
    #: Whose personal data the export holds (guro_sme.access_log.Subject): asks a reason, logs it.
    personal_subject: str = ""

    def resource_class(self):
        return import_string(self.resource_path)

    def filterset_class(self):
        return import_string(self.filterset_path) if self.filterset_path else None

    @property
    def title(self) -> str:
        return self.resource_class().title

    @property
    def description(self) -> str:
        return self.resource_class().description


IMPORT_TYPES = [
    ImportType("firms", "guro_sme.resources.FirmResource", "guro_sme.filters.FirmFilter", Subject.FIRM),
    ImportType(
        "loan-applications", "loans.resources.LoanApplicationResource", "loans.filters.ApplicationFilter"
    ),
    ImportType("bank-outcomes", "loans.resources.BankOutcomeResource", "loans.filters.ApplicationFilter"),
    ImportType("bank-repayments", "loans.aftercare.resources.BankRepaymentResource"),
    ImportType("subsidy-claims", "loans.aftercare.resources.SubsidyClaimResource"),
    ImportType("guarantee-results", "loans.guarantee.resources.GuaranteeResultResource"),
    ImportType("kotra-support", "kotra.resources.KotraSupportResource"),
    ImportType("marketing-participants", "marketing.resources.MarketingParticipantResource"),
    ImportType(
        "program-registrations",
        "programs.resources.RegistrationResource",
        personal_subject=Subject.PARTICIPANT,
    ),
    ImportType(
        "program-attendance", "programs.resources.AttendanceResource", personal_subject=Subject.PARTICIPANT
    ),
    ImportType("historical-results", "reports.resources.HistoricalResultResource"),
]


def available_types() -> list[ImportType]:
    return list(IMPORT_TYPES)


def get_type(key: str) -> ImportType:
    for item in IMPORT_TYPES:
        if item.key == key:
            return item
    raise Http404("없는 가져오기 종류입니다.")
