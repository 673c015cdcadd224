"""Upload size limits enforced while the request streams in, before anything big reaches disk.

Django's own checks come too late: a form's `clean_file` or a service's size test sees the file
only after the whole body was read into memory or spooled to a temporary file. `LimitedUploadHandler`
is first in `FILE_UPLOAD_HANDLERS`, so it sees every chunk before the memory and temp-file handlers:

- a request whose Content-Length already passes the limit has its file refused at the first
  chunk, without reading the rest of the body;
- otherwise the handler counts the file bytes and stops the upload (`StopUpload`) as soon as the
  count passes the limit; the chunk that passes it is never handed on.

Either way the refused file is not in `request.FILES` and `upload_refusal(request)` gives the
Korean sentence to show; the view shows it and writes nothing. The limit is `MAX_UPLOAD_BYTES`
unless the view declares its own with `@upload_limit("SETTING_NAME")` (read at request time, so
tests can override the setting).
"""

from functools import wraps

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

# Room for the other form fields and the multipart boundaries next to the file itself.
FORM_OVERHEAD_BYTES = 1024 * 1024
_REFUSAL_ATTRIBUTE = "_upload_refusal"


def size_text(size: int) -> str:
    """2GB, 10MB, 1.5MB, or 1,000바이트 below a megabyte."""
    if size >= 1024**3:
        return f"{size / 1024**3:.1f}".removesuffix(".0") + "GB"
    if size >= 1024 * 1024:
        return f"{size / 1048576:.1f}".removesuffix(".0") + "MB"
    return f"{size:,}바이트"


def too_big_message(limit: int, size: int | None = None) -> str:
    if size:
        return f"파일이 너무 큽니다: {size_text(size)} (최대 {size_text(limit)})."
    return f"파일이 너무 큽니다 (최대 {size_text(limit)})."


def upload_limit(setting_name: str):
    """Declare the view's upload limit: the name of an integer setting (bytes)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            return view(request, *args, **kwargs)

        wrapper.upload_limit_setting = setting_name
        return wrapper

    return decorator


def limit_for(request) -> int:
    match = getattr(request, "resolver_match", None)
    name = getattr(getattr(match, "func", None), "upload_limit_setting", "MAX_UPLOAD_BYTES")
    return int(getattr(settings, name))


def upload_refusal(request) -> str | None:
    """The Korean reason this request's file was refused while it streamed in, or None."""
    request.FILES  # noqa: B018 -- the body is parsed lazily: parse it (and run the handler) now
    return getattr(request, _REFUSAL_ATTRIBUTE, None)


class LimitedUploadHandler(FileUploadHandler):
    def __init__(self, request=None):
        super().__init__(request)
        self.limit = limit_for(request) if request is not None else settings.MAX_UPLOAD_BYTES
        self.received = 0
        self.declared_too_big = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        # Browsers always send Content-Length for a form: refuse before reading the body.
        if content_length and content_length > self.limit + FORM_OVERHEAD_BYTES:
            self.declared_too_big = True
            self._refuse(too_big_message(self.limit, content_length))
        return None  # the fields before the file (the CSRF token) are still parsed

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        if self.declared_too_big:
            # Don't read gigabytes only to throw them away.
            raise StopUpload(connection_reset=True)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self._refuse(too_big_message(self.limit))
            # The rest of the body (bounded by Content-Length, checked above) is read and dropped,
            # so the browser gets the page with the reason rather than a reset connection.
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None

    def _refuse(self, message: str) -> None:
        if self.request is not None and not hasattr(self.request, _REFUSAL_ATTRIBUTE):
            setattr(self.request, _REFUSAL_ATTRIBUTE, message)
