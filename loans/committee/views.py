from django.shortcuts import render

from guro_sme.roles import ANY_ROLE, role_required


@role_required(*ANY_ROLE)
def meeting_list(request):
    return render(request, "placeholder.html", {"title": "기금운용심의위원회"})
