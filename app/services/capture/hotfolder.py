"""Watch the folder a tethered camera writes into; report each new photo once it is completely written."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

PHOTO_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp", ".bmp", ".heic", ".heif"})
_JPEG_EOI = b"\xff\xd9"
# A JPEG without its end-of-image marker that has not changed for this long is truncated (a copy that
# broke off, a camera that crashed), not still being written: report it so the photographer is told.
INCOMPLETE_AFTER_S = 3.0


@dataclass
class _Seen:
    size: int
    mtime_ns: int
    reported: bool = False
    since: float = field(default_factory=time.monotonic)  # when this size and mtime were first seen


def _ignorable(name: str) -> bool:
    # Camera software and copy tools write to temp names first, then rename.
    lower = name.lower()
    return lower.startswith((".", "~")) or lower.endswith((".part", ".tmp", ".crdownload", ".download"))


def _jpeg_complete(path: Path, size: int) -> bool:
    """A JPEG is finished when it ends with the end-of-image marker (some writers pad with zeros after it)."""
    try:
        with open(path, "rb") as handle:
            handle.seek(max(0, size - 64))
            tail = handle.read(64).rstrip(b"\x00")
    except OSError:
        return False
    return tail.endswith(_JPEG_EOI)


class HotFolderWatcher:
    """Poll-based (works on network shares and every OS); call `poll()` every few tens of ms.

    A file is ready when two consecutive polls see the same size and modification time, and, for a
    JPEG, it ends with the end-of-image marker, or has stayed unchanged for `incomplete_after` seconds
    without one (then it is truncated and reported, so that reading it gives a clear error instead of
    silence). Files present when watching starts are not reported.
    """

    def __init__(
        self,
        folder: Path | str,
        extensions: frozenset[str] = PHOTO_EXTENSIONS,
        include_existing: bool = False,
        incomplete_after: float = INCOMPLETE_AFTER_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.folder = Path(folder)
        self.extensions = extensions
        self.incomplete_after = incomplete_after
        self._clock = clock
        self._seen: dict[str, _Seen] = {}
        self.refused: list[str] = []  # links found in the folder, never followed (the caller reports them)
        if not include_existing:
            for entry in self._scan():
                self._seen[entry.name] = _Seen(entry.stat().st_size, entry.stat().st_mtime_ns, reported=True)

    def _scan(self) -> list[os.DirEntry]:
        try:
            with os.scandir(self.folder) as it:
                found = [
                    e
                    for e in it
                    if not _ignorable(e.name) and os.path.splitext(e.name)[1].lower() in self.extensions
                ]
        except OSError:
            return []  # a camera card or share that went away comes back on a later poll
        links = [e for e in found if e.is_symlink()]
        for e in links:  # never followed: said once, by name
            if e.name not in self.refused:
                self.refused.append(e.name)
        try:
            return [e for e in found if not e.is_symlink() and e.is_file(follow_symlinks=False)]
        except OSError:
            return []  # a camera card or share that went away comes back on a later poll

    def poll(self) -> list[Path]:
        ready: list[Path] = []
        present = set()
        for entry in self._scan():
            present.add(entry.name)
            try:
                stat = entry.stat()
            except OSError:
                continue
            seen = self._seen.get(entry.name)
            if seen is None or seen.size != stat.st_size or seen.mtime_ns != stat.st_mtime_ns:
                if seen is not None and seen.reported:
                    # The same name rewritten (camera counter reset): a new shot.
                    pass
                self._seen[entry.name] = _Seen(stat.st_size, stat.st_mtime_ns, since=self._clock())
                continue
            if seen.reported or stat.st_size == 0:
                continue
            path = Path(entry.path)
            if (
                os.path.splitext(entry.name)[1].lower() in (".jpg", ".jpeg")
                and not _jpeg_complete(path, stat.st_size)
                and self._clock() - seen.since < self.incomplete_after
            ):
                continue
            seen.reported = True
            ready.append(path)
        for name in list(self._seen):
            if name not in present:
                del self._seen[name]
        return sorted(ready, key=lambda p: p.name)
