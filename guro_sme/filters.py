import django_filters
from django import forms
from django.db.models import Q

from .models import Firm
from .validators import normalize_business_number


class FirmFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="회사명·대표자", method="filter_name")
    business_number = django_filters.CharFilter(label="사업자등록번호", method="filter_number")
    firm_type = django_filters.ChoiceFilter(
        label="기업구분", choices=Firm.FirmType.choices, empty_label="전체"
    )
    # django-filter's own Boolean widget offers "알 수 없음" for "all": the choices read 전체/예/아니오.
    in_district = django_filters.BooleanFilter(
        label="관내 소재",
        widget=forms.Select(choices=[("", "전체"), ("true", "예"), ("false", "아니오")]),
    )

    class Meta:
        model = Firm
        fields = []

    def filter_name(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(representative__icontains=value))

    def filter_number(self, queryset, name, value):
        return queryset.filter(business_number__contains=normalize_business_number(value))
