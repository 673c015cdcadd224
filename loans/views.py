from django.shortcuts import render

from guro_sme.roles import READERS, role_required


@role_required(*READERS)
def index(request):
    return render(request, "placeholder.html", {"title": "중소기업·소상공인 저리융자"})
