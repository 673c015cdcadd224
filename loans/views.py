from django.shortcuts import render

from guro_sme.roles import ANY_ROLE, READERS, role_required


@role_required(*READERS)
def index(request):
    return render(request, "placeholder.html", {"title": "중소기업·소상공인 저리융자"})


@role_required(*ANY_ROLE)
def meeting_list(request):
    return render(request, "placeholder.html", {"title": "기금운용심의위원회"})
