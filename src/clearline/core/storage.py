"""The files Clearline keeps on its own disk (raw email, attachments, recordings, report packs).

``DurableFileStorage`` is Django's ``FileSystemStorage`` with one change to how a new file is written: the
bytes reach the disk (``fsync``) before ``save()`` returns. A service stores an original, then commits the
row that names it, then tells the sender it has the message (an IMAP delete, an SMTP 250). Django's storage
leaves the bytes in the page cache, so a power cut in the next seconds could keep the committed row and
lose the file it names. The write is also leaner than Django's: open, write, set the mode, fsync and close,
where Django also locks and unlocks the file and makes sure of its directory each time (here only when it
is missing).
"""

from __future__ import annotations

import os
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)


class DurableFileStorage(FileSystemStorage):
    """Files on the local disk, each on the disk (not only in the page cache) once saved."""

    def _save(self, name: str, content: Any) -> str:
        # Django's way, then the sync: other content, or directories made with a mode of their own.
        if not isinstance(content, ContentFile) or self.directory_permissions_mode is not None:
            name = super()._save(name, content)  # type: ignore[misc]
            self._sync(self.path(name))
            return name
        data = content.read()
        data = data.encode() if isinstance(data, str) else data
        while True:
            full_path = self.path(name)
            try:
                fd = os.open(full_path, _NEW_FILE, 0o666)
            except FileNotFoundError:  # the day's or month's first file: its directory is made once
                os.makedirs(os.path.dirname(full_path), exist_ok=True)
                continue
            except FileExistsError:  # taken since get_available_name looked
                name = self.get_available_name(name)
                continue
            break
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            if self.file_permissions_mode is not None:  # as Django (0o644 unless set): not the umask's
                os.fchmod(fd, self.file_permissions_mode)
            os.fsync(fd)
        finally:
            os.close(fd)
        self._ensure_location_group_id(full_path)  # type: ignore[attr-defined]  # as Django: the root's group
        return os.path.relpath(full_path, self.location).replace("\\", "/")

    @staticmethod
    def _sync(path: str) -> None:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
