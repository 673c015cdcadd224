from django.shortcuts import render

from guro_sme.roles import READERS, role_required


@role_required(*READERS)
def index(request):
    return render(request, "placeholder.html", {"title": "추진실적 보고서"})
