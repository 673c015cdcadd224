from django.shortcuts import render

from guro_sme.roles import Role, role_required


@role_required(Role.STAFF)
def import_index(request):
    return render(request, "placeholder.html", {"title": "엑셀 가져오기"})
