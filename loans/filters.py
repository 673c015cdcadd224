import django_filters

from .models import LoanApplication, LoanCall, LoanFund


class ApplicationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="기업명·사업자등록번호·접수번호", method="filter_q")
    call = django_filters.ModelChoiceFilter(
        label="공고", queryset=LoanCall.objects.order_by("-year", "-opens_on"), empty_label="전체"
    )
    fund = django_filters.ModelChoiceFilter(
        label="기금", queryset=LoanFund.objects.order_by("-year", "kind"), empty_label="전체"
    )
    status = django_filters.ChoiceFilter(
        label="상태", choices=LoanApplication.Status.choices, empty_label="전체"
    )

    class Meta:
        model = LoanApplication
        fields = []

    def filter_q(self, queryset, name, value):
        from .selectors import search_condition

        return queryset.filter(search_condition(" ".join(value.split())))
