"""Paging and ids that junk input can't break: no 500 from a URL anyone can type.

- `?per_page=` must be one of the offered sizes (else the list's default): nobody asks for a
  billion rows or for zero.
- `?page=` of more than six digits is a 404; junk or out-of-range pages show the first/last page.
- Record ids in URLs use the `id` converter (`<id:pk>`): at most 18 digits, so a number past the
  database's 64-bit integers is a 404 instead of an overflow error.
"""

from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import Http404
from django.urls import register_converter
from django.urls.converters import IntConverter
from django_tables2 import RequestConfig

PAGE_SIZES = (25, 50, 100)
MAX_PAGE_DIGITS = 6


class IdConverter(IntConverter):
    """Django's int converter, bounded to what a 64-bit id column holds."""

    regex = "[0-9]{1,18}"


register_converter(IdConverter, "id")


def page_number(request, name: str = "page") -> str | int:
    """The requested page: overlong numbers are a 404; anything else is left to the paginator."""
    raw = request.GET.get(name, "1").strip()
    if raw.isdigit() and len(raw) > MAX_PAGE_DIGITS:
        raise Http404("없는 쪽입니다.")
    return raw


def page_size(request, default: int, name: str = "per_page") -> int:
    sizes = {default, *PAGE_SIZES}
    raw = request.GET.get(name, "")
    return int(raw) if raw.isdigit() and int(raw) in sizes else default


def paginate_table(request, table, *, per_page: int) -> None:
    """Sort a django-tables2 table from the request and page it within the offered sizes."""
    RequestConfig(request, paginate=False).configure(table)
    size = page_size(request, per_page, table.prefixed_per_page_field)
    number = page_number(request, table.prefixed_page_field)
    try:
        table.paginate(page=number, per_page=size)
    except PageNotAnInteger:
        table.paginate(page=1, per_page=size)
    except EmptyPage:
        table.paginate(page=table.paginator.num_pages, per_page=size)
