"""Import pages for staff (upload → preview → confirm) and the xlsx exports of the list pages."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from guro_sme import access_log
from guro_sme.documents import download_response
from guro_sme.jobs.services import job_request
from guro_sme.korean import particle
from guro_sme.roles import READERS, Role, role_required
from guro_sme.uploads import upload_limit, upload_refusal

from . import registry, storage
from .engine import export_xlsx, run_import, template_xlsx
from .forms import UploadForm
from .jobs import list_export_filename, list_export_queryset

# A web request must finish well within the server's timeout; bigger files go through the command.
WEB_MAX_ROWS = 5000


@role_required(Role.STAFF)
def import_index(request):
    return render(request, "imports/index.html", {"types": registry.available_types()})


@role_required(Role.STAFF)
@upload_limit("MAX_UPLOAD_BYTES")
def import_upload(request, key):
    import_type = registry.get_type(key)
    resource_class = import_type.resource_class()
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    report = token = None
    refusal = upload_refusal(request) if request.method == "POST" else None
    if refusal:
        # Refused while streaming in (guro_sme/uploads.py): the file was never kept.
        form.add_error("file", refusal)
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        report = run_import(
            resource_class, data, upload.name, user=request.user, dry_run=True, max_rows=WEB_MAX_ROWS
        )
        if report.ok:
            token = storage.store(request, key=key, filename=upload.name, data=data)
    return render(
        request,
        "imports/upload.html",
        {
            "import_type": import_type,
            "resource": resource_class(),
            "form": form,
            "report": report,
            "token": token,
        },
    )


@role_required(Role.STAFF)
@require_POST
def import_confirm(request, key):
    import_type = registry.get_type(key)
    token = request.POST.get("token", "")
    stored = storage.load(request, key=key, token=token)
    if stored is None:
        messages.error(request, "확인할 파일이 없습니다: 파일을 다시 올려 주세요.")
        return redirect("imports:upload", key=key)
    filename, data = stored
    report = run_import(
        import_type.resource_class(), data, filename, user=request.user, dry_run=False, max_rows=WEB_MAX_ROWS
    )
    if not report.ok:
        # The database changed since the preview (or a rule refuses now): nothing was written.
        storage.discard(request, token)
        return render(
            request,
            "imports/upload.html",
            {
                "import_type": import_type,
                "resource": import_type.resource_class()(),
                "form": UploadForm(),
                "report": report,
                "token": None,
            },
        )
    storage.discard(request, token)
    messages.success(request, f"'{filename}'{particle(filename, '을')} 가져왔습니다: {report.summary()}.")
    return redirect("imports:index")


@role_required(Role.STAFF)
def import_template(request, key):
    import_type = registry.get_type(key)
    resource = import_type.resource_class()()
    return download_response(template_xlsx(resource), f"{resource.title}_양식.xlsx")


@role_required(*READERS)
def export_list(request, key):
    """The list page's rows (same filter query string) as xlsx with the import headers.

    Past `BACKGROUND_EXPORT_ROWS` rows the file is made by the background worker: the page shows
    its progress and offers the download, instead of a request that may outlast the server's timeout.
    An export with personal data asks for the reason first and is written to the access log.
    """
    import_type = registry.get_type(key)
    if import_type.personal_subject and not access_log.download_reason(request):
        return access_log.reason_form(request)
    resource, queryset = list_export_queryset(import_type, request.GET)
    count = queryset.count()
    if import_type.personal_subject:
        access_log.log_access(request, import_type.personal_subject, action=access_log.DOWNLOAD, count=count)
    if count > settings.BACKGROUND_EXPORT_ROWS:
        job = job_request(
            kind="list_export",
            title=f"{resource.title} 엑셀 내려받기",
            params={"key": key, "query": request.GET.urlencode()},
            actor=request.user,
        )
        return redirect("jobs:detail", pk=job.pk)
    return download_response(export_xlsx(resource, queryset), list_export_filename(resource))
