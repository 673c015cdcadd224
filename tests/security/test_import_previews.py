"""An unconfirmed import preview (personal data nobody confirmed) is deleted within the hour."""

import os
import time

import pytest
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_previews_older_than_an_hour_are_purged_and_can_no_longer_be_confirmed(
    settings, tmp_path, staff_client
):
    settings.MEDIA_ROOT = tmp_path
    folder = tmp_path / "import_tmp"
    folder.mkdir()
    old, fresh = folder / "old.upload", folder / "fresh.upload"
    old.write_bytes(b"names and phones")
    fresh.write_bytes(b"names and phones")
    an_hour_ago = time.time() - 61 * 60
    os.utime(old, (an_hour_ago, an_hour_ago))
    session = staff_client.session
    session["import_uploads"] = {"old": {"key": "firms", "filename": "a.xlsx"}}
    session.save()

    response = staff_client.post(reverse("imports:confirm", args=["firms"]), {"token": "old"}, follow=True)
    assert "확인할 파일이 없습니다" in response.content.decode()
    assert not old.exists() and fresh.exists()

    os.utime(fresh, (an_hour_ago, an_hour_ago))
    call_command("purge_import_previews", verbosity=0)
    assert not fresh.exists()
