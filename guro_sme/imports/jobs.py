"""List exports too large for a web request, run by the background worker (guro_sme.jobs)."""

from django.http import QueryDict
from django.utils import timezone

from guro_sme.jobs.registry import JobOutput

from . import registry
from .engine import export_xlsx


def list_export_queryset(import_type, query: QueryDict):
    """The rows a list page shows for `query` (its filter query string), as the export writes them."""
    resource = import_type.resource_class()()
    queryset = resource.get_export_queryset()
    filterset_class = import_type.filterset_class()
    if filterset_class is not None:
        return resource, filterset_class(query, queryset=queryset).qs
    return resource, resource.filter_for_export(queryset, query)


def list_export_filename(resource) -> str:
    return f"{resource.title}_{timezone.localdate():%Y%m%d}.xlsx"


def run_list_export(*, params: dict, actor, progress) -> JobOutput:
    import_type = registry.get_type(params["key"])
    resource, queryset = list_export_queryset(import_type, QueryDict(params.get("query", "")))
    total = queryset.count()
    progress(0, total)
    data = export_xlsx(resource, queryset)
    progress(total, total)
    return JobOutput(filename=list_export_filename(resource), data=data)
