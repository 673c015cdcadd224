import django_tables2 as tables

from .models import Firm


class FirmTable(tables.Table):
    name = tables.Column(linkify=True)
    business_number = tables.Column(
        verbose_name="사업자등록번호", accessor="business_number_display", order_by="business_number"
    )
    in_district = tables.BooleanColumn(yesno="소재,관외")

    class Meta:
        model = Firm
        fields = (
            "name",
            "business_number",
            "representative",
            "firm_type",
            "industry",
            "in_district",
            "employees",
        )
        empty_text = "등록된 기업이 없습니다."
