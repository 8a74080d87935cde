"""GradPhoto's own photo folder: every original copied in, named by its SHA-256, never changed."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from app.services.common.files import LinkRefused, WriteError, open_no_follow, os_reason

_CHUNK = 1 << 20
# Enrolment (admission) originals of the identity pre-check live in this folder of the photo store, named
# "enrolment/ab/ab12….jpg": their own folder, so pruning them can never touch a photo (and a bundle merge,
# which may not import the identity domain, stores them there too).
ENROLMENT_FOLDER = "enrolment"


class PhotoStoreError(OSError):
    """A photo could not be taken into the store; the message is Chinese and names the file."""

    def __str__(self) -> str:
        return self.strerror if self.strerror else super().__str__()


class StoreUnwritable(PhotoStoreError):
    """The store itself cannot be written (read-only, full, a file in its place): no photo can go in, so a
    folder import stops at the first file instead of failing each one the same way."""


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    stored_name: str  # relative to the store root, e.g. "ab/ab12….jpg"
    size: int
    path: Path


class PhotoStore:
    """Content-addressed copies: the camera's file is read, never moved, renamed or modified."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def path(self, stored_name: str) -> Path:
        return self.root / stored_name

    def add(self, source: Path | str) -> StoredFile:
        source = Path(source)
        suffix = source.suffix.lower()[:8] or ".bin"
        try:
            if not self.root.is_dir():
                self.root.mkdir(parents=True, exist_ok=True)
                if os.name == "posix":
                    self.root.chmod(0o700)  # the originals show every student's face: this user's alone
            fd, tmp_name = tempfile.mkstemp(prefix=".incoming-", suffix=".part", dir=self.root)
        except OSError as exc:
            raise StoreUnwritable(
                exc.errno or 0, f"照片库 {self.root} 无法写入：{os_reason(exc)}，未存入任何照片"
            ) from None
        tmp = Path(tmp_name)
        digest = hashlib.sha256()
        size = 0
        try:
            with (
                os.fdopen(fd, "wb") as dst,
                open_no_follow(source) as src,
            ):  # the temp fd is closed either way
                while chunk := src.read(_CHUNK):
                    digest.update(chunk)
                    dst.write(chunk)
                    size += len(chunk)
                dst.flush()
                os.fsync(dst.fileno())
            sha = digest.hexdigest()
            stored_name = f"{sha[:2]}/{sha}{suffix}"
            target = self.root / stored_name
            if target.exists() and target.stat().st_size == size:
                tmp.unlink()  # the same content is already here
                with contextlib.suppress(OSError):  # stored again now: a sweep for strays leaves it to us
                    os.utime(target)
            else:
                if not target.parent.is_dir():
                    target.parent.mkdir(parents=True, exist_ok=True)
                    if os.name == "posix":
                        target.parent.chmod(0o700)  # like the root: no face is listed to another user
                os.replace(tmp, target)
        except FileNotFoundError:
            tmp.unlink(missing_ok=True)
            raise PhotoStoreError(2, f"找不到照片文件：{source.name}") from None
        except LinkRefused as exc:
            tmp.unlink(missing_ok=True)
            raise PhotoStoreError(exc.errno or 0, str(exc)) from None
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            if isinstance(exc, WriteError):
                raise
            raise PhotoStoreError(
                exc.errno or 0, f"无法把照片 {source.name} 存入照片库：{os_reason(exc)}"
            ) from exc
        return StoredFile(sha, stored_name, size, target)

    def copy_out(self, stored_name: str, target: Path) -> None:
        shutil.copyfile(self.path(stored_name), target)
