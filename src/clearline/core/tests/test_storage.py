"""Files are on the disk, not only in the page cache, when the row naming them is committed (DFS-25)."""

from __future__ import annotations

import os
import stat
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages

from clearline.core.storage import DurableFileStorage


@pytest.fixture
def synced(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths fsync was called on (the real fsync still runs)."""
    paths: list[str] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        paths.append(os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    return paths


def test_a_stored_original_is_synced_to_disk_before_save_returns_dfs_25_nycrr_06(
    tmp_path, synced, monkeypatch
):
    """DFS-25, NYCRR-06: the raw email is fsynced before its row is committed; a new directory is made once,
    a name already taken gets another, and the bytes read back whole, with Django's file mode (0o644 by
    default), written without Django's own write path."""
    monkeypatch.setattr(FileSystemStorage, "_save", _not_called)
    storage = DurableFileStorage(location=tmp_path)

    first = storage.save("email/raw/2026/12/01/abc.eml", ContentFile(b"Subject: hi\r\n\r\nbody"))
    second = storage.save("email/raw/2026/12/01/abc.eml", ContentFile(b"another"))

    assert first == "email/raw/2026/12/01/abc.eml" and second != first and second.endswith(".eml")
    assert (
        storage.open(first).read() == b"Subject: hi\r\n\r\nbody" and storage.open(second).read() == b"another"
    )
    assert synced == [str(tmp_path / first), str(tmp_path / second)]
    assert stat.S_IMODE(os.stat(tmp_path / first).st_mode) == settings.FILE_UPLOAD_PERMISSIONS == 0o644


def _not_called(*args: object) -> str:
    raise AssertionError("Django's write path was taken")


def test_other_content_is_written_by_django_and_then_synced(tmp_path, synced):
    storage = DurableFileStorage(location=tmp_path)

    name = storage.save("reports/pack.bin", File(BytesIO(b"x" * 100_000), name="pack.bin"))

    assert Path(tmp_path / name).read_bytes() == b"x" * 100_000 and synced == [str(tmp_path / name)]


def test_the_default_storage_is_the_durable_one():
    assert isinstance(storages["default"], DurableFileStorage)
