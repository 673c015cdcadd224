"""One archive with the whole database (Django fixtures, natural keys) and the uploaded documents.

    manage.py backup /backups/guro-2026-12-01.zip
    manage.py restore /backups/guro-2026-12-01.zip     # into a migrated, empty database and media

The archive holds `manifest.json` (when, row counts, every file with its SHA-256), `database.xml`
(dumpdata --natural-foreign in XML, which keeps timestamps to the microsecond where JSON
rounds them to milliseconds; without the rows every migrate recreates: content types, permissions,
sessions) and `media/…`. Restore checks the manifest before writing anything, loads the rows in
one transaction and then writes the files; it refuses a database or a media folder that is not
empty, so it never mixes two states.
"""

import hashlib
import json
import tempfile
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from .errors import RuleError
from .roles import ensure_role_groups

EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]
# The uploaded-import previews are temporary and personal: they are not part of a backup.
SKIPPED_MEDIA = ("import_tmp",)
FORMAT = 1


class BackupError(RuleError):
    pass


def _media_files(root: Path) -> list[Path]:
    if not root.exists():
        return []
    return sorted(
        path
        for path in root.rglob("*")
        if path.is_file() and path.relative_to(root).parts[0] not in SKIPPED_MEDIA
    )


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def backup_write(*, target: Path) -> dict:
    """Write the archive to `target`; returns the manifest."""
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / "database.xml"
        # One read transaction: rows of every table from the same moment.
        with transaction.atomic():
            call_command(
                "dumpdata",
                natural_foreign=True,
                exclude=EXCLUDED,
                format="xml",
                output=str(dump),
                verbosity=0,
            )
        counts: dict[str, int] = {}
        for _, element in ElementTree.iterparse(dump):
            if element.tag == "object":
                counts[element.get("model")] = counts.get(element.get("model"), 0) + 1
                element.clear()
        files = {}
        target.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.write(dump, "database.xml")
            for path in _media_files(media_root):
                name = path.relative_to(media_root).as_posix()
                data = path.read_bytes()
                files[name] = _sha256(data)
                archive.writestr(f"media/{name}", data)
            manifest = {
                "format": FORMAT,
                "created_at": timezone.now().isoformat(),
                "database_sha256": _sha256(dump.read_bytes()),
                "rows": counts,
                "files": files,
            }
            archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
    return manifest


def backup_restore(*, source: Path) -> dict:
    """Load the archive into an empty database and media folder; returns the manifest."""
    media_root = Path(settings.MEDIA_ROOT)
    if get_user_model().objects.exists():
        raise BackupError(
            "복원할 데이터베이스가 비어 있지 않습니다 (사용자가 있습니다). 새 데이터베이스에 migrate 후 복원하세요."
        )
    if _media_files(media_root):
        raise BackupError(f"첨부 파일 폴더가 비어 있지 않습니다: {media_root}")
    try:
        archive = zipfile.ZipFile(source)
    except (OSError, zipfile.BadZipFile) as error:
        raise BackupError(f"백업 파일을 열 수 없습니다: {error}") from None
    with archive, tempfile.TemporaryDirectory() as work:
        try:
            manifest = json.loads(archive.read("manifest.json"))
            dump = archive.read("database.xml")
        except (KeyError, ValueError):
            raise BackupError("백업 파일에 manifest.json 또는 database.xml이 없습니다.") from None
        if manifest.get("format") != FORMAT or _sha256(dump) != manifest.get("database_sha256"):
            raise BackupError("백업 파일이 손상되었거나 다른 형식입니다 (검사값 불일치).")
        contents = {}
        for name, digest in manifest["files"].items():
            data = archive.read(f"media/{name}")
            if _sha256(data) != digest:
                raise BackupError(f"첨부 파일이 손상되었습니다: {name}")
            contents[name] = data
        fixture = Path(work) / "database.xml"
        fixture.write_bytes(dump)
        with transaction.atomic():
            # migrate (and flush) make the role groups afresh, under ids of their own; the
            # backup's groups, with the ids its users refer to, take their place.
            Group.objects.all().delete()
            call_command("loaddata", str(fixture), verbosity=0)
            ensure_role_groups()
        for name, data in contents.items():
            path = media_root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    return manifest
