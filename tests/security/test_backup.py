"""manage.py backup / restore: an empty database and media folder get back every row and file."""

import zipfile

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.urls import reverse

from guro_sme.backup import EXCLUDED
from guro_sme.models import Firm, PersonalDataAccess

pytestmark = pytest.mark.django_db(transaction=True)


def all_rows() -> dict[str, list]:
    """Every row of every backed-up model, as plain values (ids included)."""
    rows = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label.split(".")[0] in EXCLUDED or label in EXCLUDED:
            continue
        rows[label] = sorted(map(repr, model._default_manager.order_by("pk").values()))
    return rows


def test_a_backup_restores_into_an_empty_database_with_every_record_and_file(
    settings, tmp_path, staff_client, make_firm, staff_user
):
    settings.MEDIA_ROOT = tmp_path / "media"
    firm = make_firm(name="(주)백업", phone="02-111-2222")
    make_firm(name="복원상회")
    staff_client.get(reverse("firm_detail", args=[firm.pk]))  # an access-log row
    document = settings.MEDIA_ROOT / "documents" / "2018" / "사업계획서.pdf"
    document.parent.mkdir(parents=True)
    document.write_bytes(b"%PDF-1.4 backup test")
    (settings.MEDIA_ROOT / "import_tmp").mkdir()
    (settings.MEDIA_ROOT / "import_tmp" / "x.upload").write_bytes(b"temporary preview")
    before = all_rows()
    assert before["guro_sme.firm"] and before["guro_sme.personaldataaccess"]

    archive = tmp_path / "backup.zip"
    call_command("backup", str(archive), verbosity=0)
    names = zipfile.ZipFile(archive).namelist()
    assert "media/documents/2018/사업계획서.pdf" in names
    assert not any("import_tmp" in name for name in names)

    call_command("flush", interactive=False, verbosity=0)  # an empty, migrated database
    document.unlink()
    (settings.MEDIA_ROOT / "import_tmp" / "x.upload").unlink()
    assert not Firm.objects.exists() and not User.objects.exists()

    call_command("restore", str(archive), verbosity=0)
    assert all_rows() == before
    assert document.read_bytes() == b"%PDF-1.4 backup test"
    assert PersonalDataAccess.objects.get().username == "staff"


def test_restore_refuses_a_database_that_is_not_empty(settings, tmp_path, make_firm, staff_user):
    settings.MEDIA_ROOT = tmp_path / "media"
    make_firm()
    archive = tmp_path / "backup.zip"
    call_command("backup", str(archive), verbosity=0)
    with pytest.raises(CommandError, match="비어 있지 않습니다"):
        call_command("restore", str(archive), verbosity=0)
    assert Firm.objects.count() == 1


def test_restore_refuses_a_damaged_archive_and_writes_nothing(settings, tmp_path, make_firm, staff_user):
    settings.MEDIA_ROOT = tmp_path / "media"
    make_firm()
    archive = tmp_path / "backup.zip"
    call_command("backup", str(archive), verbosity=0)
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item.filename, data + b" " if item.filename == "database.xml" else data)
    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(CommandError, match="손상"):
        call_command("restore", str(damaged), verbosity=0)
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip")
    with pytest.raises(CommandError, match="열 수 없습니다"):
        call_command("restore", str(bad), verbosity=0)
    assert not Firm.objects.exists()


def test_a_backup_restores_its_role_groups_over_the_ones_migrate_made(settings, tmp_path, make_user):
    """A database that has lived for years holds its groups under other ids than a fresh migrate."""
    from django.contrib.auth.models import Group

    from guro_sme.roles import ensure_role_groups

    settings.MEDIA_ROOT = tmp_path / "media"
    Group.objects.all().delete()
    ensure_role_groups()  # the same three names under new ids
    old_ids = dict(Group.objects.values_list("name", "id"))
    make_user("담당자", username="kim")
    archive = tmp_path / "backup.zip"
    call_command("backup", str(archive), verbosity=0)

    call_command("flush", interactive=False, verbosity=0)
    assert dict(Group.objects.values_list("name", "id")) != old_ids
    call_command("restore", str(archive), verbosity=0)

    assert dict(Group.objects.values_list("name", "id")) == old_ids
    assert list(User.objects.get(username="kim").groups.values_list("name", flat=True)) == ["담당자"]
    assert Group.objects.get(name="담당자").permissions.exists()
