from django.shortcuts import render

from guro_sme.roles import READERS, role_required


@role_required(*READERS)
def index(request):
    return render(request, "placeholder.html", {"title": "소셜네트워크 활용 마케팅 지원"})
