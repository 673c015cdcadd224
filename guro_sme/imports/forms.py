from django import forms
from django.conf import settings

from guro_sme.uploads import too_big_message


class UploadForm(forms.Form):
    file = forms.FileField(
        label="파일",
        help_text="엑셀(.xlsx) 또는 CSV(UTF-8, CP949) 파일",
        error_messages={"required": "가져올 파일을 고르세요.", "empty": "빈 파일입니다."},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(too_big_message(limit, upload.size))
        return upload
