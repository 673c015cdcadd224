"""The upload between the preview and the confirmation: a temp file keyed by a token in the session.

The confirmation re-reads this file (not anything the browser sends back), so what is written is
exactly what was previewed, re-checked against the database at that moment.
"""

import secrets
import time
from pathlib import Path

from django.conf import settings

SESSION_KEY = "import_uploads"
MAX_AGE_SECONDS = 24 * 60 * 60


def _folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "import_tmp"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _cleanup(folder: Path) -> None:
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in folder.glob("*.upload"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            pass


def store(request, *, key: str, filename: str, data: bytes) -> str:
    folder = _folder()
    _cleanup(folder)
    token = secrets.token_urlsafe(16)
    (folder / f"{token}.upload").write_bytes(data)
    uploads = request.session.get(SESSION_KEY, {})
    uploads[token] = {"key": key, "filename": filename}
    request.session[SESSION_KEY] = uploads
    return token


def load(request, *, key: str, token: str) -> tuple[str, bytes] | None:
    """(filename, bytes) of this session's upload for this import type, or None."""
    entry = request.session.get(SESSION_KEY, {}).get(token or "")
    if not entry or entry["key"] != key:
        return None
    path = _folder() / f"{token}.upload"
    if not path.exists():
        return None
    return entry["filename"], path.read_bytes()


def discard(request, token: str) -> None:
    uploads = request.session.get(SESSION_KEY, {})
    if uploads.pop(token, None) is not None:
        request.session[SESSION_KEY] = uploads
    (_folder() / f"{token}.upload").unlink(missing_ok=True)
