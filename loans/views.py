from django.shortcuts import render

from guro_sme.roles import READERS, Role, role_required


def _placeholder(title):
    def view(request, *args, **kwargs):
        return render(request, "placeholder.html", {"title": title})

    return view


index = role_required(*READERS)(_placeholder("중소기업·소상공인 저리융자"))
fund_edit = role_required(Role.STAFF)(_placeholder("기금 수정"))
call_list = role_required(*READERS)(_placeholder("공고"))
call_create = role_required(Role.STAFF)(_placeholder("공고"))
call_detail = role_required(*READERS)(_placeholder("공고"))
call_edit = role_required(Role.STAFF)(_placeholder("공고"))
call_copy = role_required(Role.STAFF)(_placeholder("공고"))
call_refer = role_required(Role.STAFF)(_placeholder("공고"))
referral_pdf = role_required(*READERS)(_placeholder("공고"))
referral_xlsx = role_required(*READERS)(_placeholder("공고"))
application_list = role_required(*READERS)(_placeholder("융자 신청"))
application_create = role_required(Role.STAFF)(_placeholder("융자 신청"))
application_detail = role_required(*READERS)(_placeholder("융자 신청"))
application_edit = role_required(Role.STAFF)(_placeholder("융자 신청"))
application_action = role_required(Role.STAFF)(_placeholder("융자 신청"))
application_bank_outcome = role_required(Role.STAFF)(_placeholder("융자 신청"))
document_upload = role_required(Role.STAFF)(_placeholder("서류"))
document_download = role_required(*READERS)(_placeholder("서류"))
installment_paid = role_required(Role.STAFF)(_placeholder("상환"))
