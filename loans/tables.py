import django_tables2 as tables
from django.utils.html import format_html

from guro_sme.money import format_amount

from .models import LoanApplication


class WonColumn(tables.Column):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", {"td": {"class": "num"}, "th": {"class": "num"}})
        super().__init__(*args, **kwargs)

    def render(self, value):
        return format_amount(value)


class ApplicationTable(tables.Table):
    id = tables.Column(verbose_name="번호", linkify=True)
    firm = tables.Column(
        verbose_name="기업",
        accessor="firm__name",
        order_by="firm__name",
        linkify=lambda record: record.get_absolute_url(),
    )
    firm_type = tables.Column(verbose_name="기업구분", accessor="firm__firm_type", order_by="firm__firm_type")
    call = tables.Column(
        verbose_name="공고",
        accessor="call__title",
        order_by=("call__opens_on", "call__title"),
        attrs={"td": {"class": "wide"}, "th": {"class": "wide"}},  # a long title: wide enough to read
    )
    fund = tables.Column(verbose_name="기금", accessor="fund__name", order_by="fund__name")
    requested_amount_won = WonColumn(verbose_name="신청금액")
    approved_amount_won = WonColumn(verbose_name="선정금액")
    status = tables.Column(verbose_name="상태")
    has_unrepaid_loan_flag = tables.Column(verbose_name="확인", orderable=False)

    class Meta:
        model = LoanApplication
        fields = ()
        sequence = (
            "id",
            "firm",
            "firm_type",
            "call",
            "fund",
            "requested_amount_won",
            "approved_amount_won",
            "status",
            "has_unrepaid_loan_flag",
        )
        empty_text = "조건에 맞는 융자 신청이 없습니다."
        order_by = "-id"

    def render_firm_type(self, record):
        return record.firm.get_firm_type_display()

    def render_status(self, record):
        return format_html(
            '<span class="status status-{}">{}</span>', record.status, record.get_status_display()
        )

    def render_has_unrepaid_loan_flag(self, value):
        return format_html('<span class="flag">{}</span>', "미상환 대출") if value else ""
