"""The upload between the preview and the confirmation: a temp file keyed by a token in the session.

The confirmation re-reads this file (not anything the browser sends back), so what is written is
exactly what was previewed, re-checked against the database at that moment.
"""

import secrets
import time
from pathlib import Path

from django.conf import settings

SESSION_KEY = "import_uploads"
# The preview holds personal data (names, phones) nobody confirmed: gone within the hour, by the
# next upload or load, and by `manage.py purge_import_previews` (run every few minutes by cron).
MAX_AGE_SECONDS = 60 * 60


def _folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "import_tmp"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def purge_expired() -> int:
    """Delete previews older than MAX_AGE_SECONDS; returns how many."""
    return _cleanup(_folder())


def _cleanup(folder: Path) -> int:
    removed = 0
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in folder.glob("*.upload"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except OSError:
            pass
    return removed


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
    folder = _folder()
    _cleanup(folder)
    path = folder / f"{token}.upload"
    if not path.exists():
        return None
    return entry["filename"], path.read_bytes()


def discard(request, token: str) -> None:
    uploads = request.session.get(SESSION_KEY, {})
    if uploads.pop(token, None) is not None:
        request.session[SESSION_KEY] = uploads
    (_folder() / f"{token}.upload").unlink(missing_ok=True)
