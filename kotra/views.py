from django.shortcuts import render

from guro_sme.roles import READERS, role_required


@role_required(*READERS)
def index(request):
    return render(request, "placeholder.html", {"title": "KOTRA 해외지사화 사업 지원"})
