"""Watch the folder a tethered camera writes into; report each new photo once it is completely written.

Tethering software saves into the chosen folder or into dated folders below it (EOS Utility `2026_12_01/`,
Lightroom `2026/2026-12-01/`, others `2026/12/01/`): the folder is watched MAX_DEPTH folder levels deep.
A file is finished when its own bytes say so, whatever its extension (see `content_complete`); a format that
cannot say (TIFF, HEIC) is finished when its size and time hold still over two polls.

Changes come from the operating system through watchdog (inotify on Linux, ReadDirectoryChangesW on Windows,
FSEvents on macOS), so an idle watcher costs almost nothing even beside thousands of earlier photos
(`bench/hot_folder.py`). Where that cannot start (no native API, watch limit reached) or cannot see the
changes (a network share mounted on Linux: other machines' writes raise no inotify event), the folder is
listed on the polls instead, as before, though not so often that listing a large tree holds up the window.
"""

from __future__ import annotations

import collections
import os
import stat
import time
import warnings
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from app.services.common.files import open_no_follow

if TYPE_CHECKING:
    from watchdog.events import FileSystemEvent
    from watchdog.observers.api import BaseObserver

PHOTO_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp", ".bmp", ".heic", ".heif"})
# A file whose content says it is not finished and that has not changed for this long is truncated (a copy
# that broke off, a camera that crashed), not still being written: report it so the photographer is told.
INCOMPLETE_AFTER_S = 3.0
# Folder levels below the hot folder that are watched: 2026/12/01/IMG_0001.JPG is the deepest layout
# tethering software makes; deeper, a wrongly chosen folder (a whole drive) would be walked for nothing.
MAX_DEPTH = 3
# With operating-system events, this often the folders' modification times are compared with the last
# listing's, and the tree is listed again if one changed: what the system did not say (its event queue
# overflowed) is found within this time, at the cost of a stat per folder while nothing happens.
RESCAN_S = 2.0
# When the folder is listed on every poll, a listing that took t is not repeated for WALK_EVERY_COST × t
# after it ended: listing takes at most 1/5 of the time of the thread that polls (the window's).
WALK_EVERY_COST = 4.0
# How long watchdog's dispatching thread blocks on its queue before looking whether it should stop.
OBSERVER_TIMEOUT_S = 0.2

# File systems whose changes made on another machine raise no inotify event (Linux /proc/self/mounts names).
_NETWORK_FS = frozenset(
    {"nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "afs", "9p", "ceph", "glusterfs", "fuse.sshfs", "davfs"}
)
_LINK_REPARSE_TAGS = (0xA000000C, 0xA0000003)  # Windows IO_REPARSE_TAG_SYMLINK, _MOUNT_POINT (a junction)
_TAIL = 4096  # the end marker and the zero padding some writers add after it (to a sector)
_JPEG_MAX_SEGMENTS = 256  # markers before the first scan; a real file has about a dozen


@dataclass
class _Seen:
    size: int
    mtime_ns: int
    since: float  # when this size and mtime were first seen
    reported: bool = False


# Camera software and copy tools write to temp names first, then rename.
_TEMP_PREFIXES = (".", "~")
_TEMP_SUFFIXES = (".part", ".tmp", ".crdownload", ".download")


def _ignorable(name: str) -> bool:
    lower = name.lower()
    return lower.startswith(_TEMP_PREFIXES) or lower.endswith(_TEMP_SUFFIXES)


@dataclass
class _Listing:
    found: dict[str, os.stat_result] = field(default_factory=dict)  # photo files, by path below the folder
    failed: list[str] = field(default_factory=list)  # folders that could not be listed
    dirs: dict[str, int] = field(default_factory=dict)  # folders listed, with their mtime_ns before listing


def _stat_is_link(st: os.stat_result) -> bool:
    """A symbolic link, or on Windows a junction (Python 3.11 has no DirEntry.is_junction)."""
    return stat.S_ISLNK(st.st_mode) or getattr(st, "st_reparse_tag", 0) in _LINK_REPARSE_TAGS


def _tail(handle, size: int, start: int = 0) -> bytes:
    begin = max(start, size - _TAIL)
    handle.seek(begin)
    return handle.read(size - begin).rstrip(b"\x00")


def _declared(declared: int, size: int) -> bool | None:
    """A header that states the file's size: equal is complete, more is still coming, less (a writer that fills
    the field in at the end, or bytes after the image) says nothing."""
    if declared == size:
        return True
    return False if declared > size else None


def _jpeg_complete(handle, size: int) -> bool:
    """The end-of-image marker FFD9 (maybe zero-padded) after the first scan has begun: the FFD9 that closes
    an EXIF thumbnail inside APP1, where a writer may pause, does not count."""
    pos = 2
    for _ in range(_JPEG_MAX_SEGMENTS):
        handle.seek(pos)
        marker = handle.read(4)
        if pos + 4 > size or len(marker) < 4 or marker[0] != 0xFF:
            return False
        kind = marker[1]
        if kind == 0xDA:  # start of scan: entropy-coded data, then (more scans and) the end of image
            return _tail(handle, size, pos + 2).endswith(b"\xff\xd9")
        if kind == 0xFF:  # a fill byte
            pos += 1
        elif kind == 0x01 or 0xD0 <= kind <= 0xD8:  # markers without a length
            pos += 2
        else:
            pos += 2 + int.from_bytes(marker[2:4], "big")
    return False


def content_complete(path: Path | str, size: int) -> bool | None:
    """Whether the first `size` bytes of `path` are a whole image, by its content, whatever its extension.

    True: JPEG ending with its end-of-image marker, PNG ending with its IEND chunk, WebP whose RIFF size is
    the file's, BMP whose header size is the file's. False: one of those not finished yet, or not even a
    header. None: a format that does not say (TIFF, HEIC, anything else): wait for it to hold still.
    A link is never opened (False; the watcher lists it in `refused` before it gets here).
    """
    try:
        with open_no_follow(path) as handle:
            head = handle.read(16)
            if len(head) < 16 or size < 16:
                return False
            if head.startswith(b"\xff\xd8"):
                return _jpeg_complete(handle, size)
            if head.startswith(b"\x89PNG\r\n\x1a\n"):
                return _tail(handle, size).endswith(b"\x00\x00\x00\x00IEND\xaeB`\x82")
            if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
                return _declared(int.from_bytes(head[4:8], "little") + 8, size)
            if head[:2] == b"BM":
                return _declared(int.from_bytes(head[2:6], "little"), size)
            return None
    except OSError:  # gone, held open exclusively by the writer, or a link swapped in: not ready now
        return False


def network_fs_type(folder: Path | str, mounts: str | None = None) -> str | None:
    """The network file system `folder` lives on ('cifs', 'nfs4' …), from Linux's mount table; None when local.

    Such a share raises no inotify event for a photo another machine writes into it, so it is polled.
    `mounts` is the text of /proc/self/mounts (read when not given; None where there is none).
    """
    if mounts is None:
        try:
            with open("/proc/self/mounts", encoding="utf-8", errors="replace") as handle:
                mounts = handle.read()
        except OSError:
            return None
    target = os.path.realpath(folder)
    best, fs_type = "", None
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = fields[1].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, fs_type = point, fields[2]
    return fs_type if fs_type in _NETWORK_FS else None


class _Changes:
    """Called in watchdog's thread: only notes which paths changed; the watcher looks at them in `poll()`."""

    def __init__(self, sink: collections.deque) -> None:
        self._sink = sink

    def dispatch(self, event: FileSystemEvent) -> None:
        self._sink.append(os.fsdecode(event.src_path))
        if event.dest_path:
            self._sink.append(os.fsdecode(event.dest_path))


def _start_observer(root: str, sink: collections.deque) -> BaseObserver | None:
    """The operating system's observer watching `root` and below, started; None where it cannot start."""
    # deferred: watchdog (inotify through ctypes) adds ≈ 50 ms to every start; only a watched folder needs it
    from watchdog import events
    from watchdog.observers import Observer
    from watchdog.observers.polling import PollingObserver

    # watchdog 7 warns when a folder made with its parents (2026/12/01 at once) is watched twice; harmless
    warnings.filterwarnings("ignore", "Callback with id", RuntimeWarning, r"watchdog\.observers\.inotify")
    if Observer is PollingObserver:  # no native API here: watchdog's polling follows links, to any depth
        return None
    # Files only, and no open or read events (the watcher's own reads raise them). A new or renamed folder
    # is watched all the same, and what it already holds comes as created files (watchdog simulates them).
    wanted = [
        events.FileCreatedEvent,
        events.FileModifiedEvent,
        events.FileClosedEvent,
        events.FileMovedEvent,
        events.FileDeletedEvent,
    ]
    observer = None
    try:
        observer = Observer(timeout=OBSERVER_TIMEOUT_S)
        observer.schedule(_Changes(sink), root, recursive=True, event_filter=wanted)
        observer.start()
    except OSError:  # the watch or instance limit reached, the folder gone
        if observer is not None:
            _stop_observer(observer)
        return None
    return observer


def _stop_observer(observer: BaseObserver) -> None:
    """Signal the observer's threads to end; they do within OBSERVER_TIMEOUT_S (not waited for here: a
    watcher dropped by the interface must not hold up the window)."""
    observer.stop()


class HotFolderWatcher:
    """Call `poll()` every few tens of ms; it returns the photos finished since the last call, once each.

    A photo is finished when its content says so (`content_complete`): it is reported at the first poll
    that sees it whole. A format that does not say is reported when two polls see the same size and
    modification time. A file that says it is unfinished and stays unchanged for `incomplete_after`
    seconds is truncated and is reported all the same, so that reading it gives a clear error instead
    of silence. Files present when watching starts are not reported (unless `include_existing`).

    Folders are watched `max_depth` levels deep, new ones as they appear. Temp names (`.part`, `~…`,
    `.tmp`, hidden) are ignored; links, to files or folders, are never followed or read: each is
    listed once in `refused` (its path below the folder, with /), for the caller to say so.

    By default the operating system's change events are used where they work (see the module), and the
    folder is listed on the polls where they do not (at most 1/5 of the time, WALK_EVERY_COST); `events=False`
    always lists. `mode` says which is in use: "events" or "polling".
    Call `close()` when done; a watcher that is dropped stops its observer too.
    """

    def __init__(
        self,
        folder: Path | str,
        extensions: frozenset[str] = PHOTO_EXTENSIONS,
        include_existing: bool = False,
        incomplete_after: float = INCOMPLETE_AFTER_S,
        clock: Callable[[], float] = time.monotonic,
        *,
        max_depth: int = MAX_DEPTH,
        events: bool | None = None,
        rescan_every: float = RESCAN_S,
    ) -> None:
        self.folder = Path(folder)
        self.extensions = extensions
        self.incomplete_after = incomplete_after
        self.max_depth = max_depth
        self.rescan_every = rescan_every
        self._clock = clock
        self._root = os.path.abspath(self.folder)
        self._seen: dict[str, _Seen] = {}  # by path below the folder
        self._waiting: set[str] = set()  # those of _seen not reported yet, looked at on every poll
        self._refused_once: set[str] = set()
        self.refused: list[str] = []  # links found in the folder, never followed (the caller reports them)
        self._changes: collections.deque = collections.deque()
        self._observer: BaseObserver | None = None
        if events is not False and os.path.isdir(self._root) and network_fs_type(self._root) is None:
            self._observer = _start_observer(self._root, self._changes)  # before listing: nothing slips by
        self.mode = "events" if self._observer is not None else "polling"
        self._finalizer = weakref.finalize(self, _stop_observer, self._observer) if self._observer else None
        now = clock()
        self._next_rescan = now if include_existing else now + rescan_every  # the first poll lists them
        self._next_walk = now
        self._dir_mtimes: dict[str, int] = {}
        if not include_existing:
            listing = self._walk()
            self._dir_mtimes = listing.dirs
            for rel, st in listing.found.items():
                self._seen[rel] = _Seen(st.st_size, st.st_mtime_ns, now, reported=True)

    def close(self) -> None:
        """Stop listening to the operating system and wait for its threads (a no-op when polling)."""
        if self._finalizer is not None and self._observer is not None:
            self._finalizer()
            if self._observer.is_alive():
                self._observer.join(timeout=5)

    def __enter__(self) -> HotFolderWatcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Listing

    def _wanted(self, name: str) -> bool:
        return not _ignorable(name) and os.path.splitext(name)[1].lower() in self.extensions

    def _refuse(self, rel: str) -> None:
        if rel not in self._refused_once:  # said once, by its path below the folder
            self._refused_once.add(rel)
            self.refused.append(rel.replace(os.sep, "/"))

    def _walk(self, rel_dir: str = "") -> _Listing:
        """Photo files at `rel_dir` and below, to max_depth, without entering links (each is refused)."""
        listing = _Listing()
        todo = [(rel_dir, len(rel_dir.split(os.sep)) if rel_dir else 0)]
        while todo:
            rel_dir, depth = todo.pop()
            path = os.path.join(self._root, rel_dir)
            prefix = rel_dir + os.sep if rel_dir else ""
            try:
                mtime_ns = os.lstat(path).st_mtime_ns  # before listing: a change while listing shows later
                with os.scandir(path) as it:
                    entries = list(it)
            except OSError:  # a camera card or share that went away comes back on a later poll
                listing.failed.append(rel_dir)
                continue
            listing.dirs[rel_dir] = mtime_ns
            for entry in entries:  # the hot loop of a listing: thousands of earlier photos
                name = entry.name
                lower = name.lower()
                if lower.startswith(_TEMP_PREFIXES) or lower.endswith(_TEMP_SUFFIXES):
                    continue
                try:
                    if entry.is_symlink() or (
                        os.name == "nt" and _stat_is_link(entry.stat(follow_symlinks=False))
                    ):
                        self._refuse(prefix + name)
                    elif entry.is_dir(follow_symlinks=False):
                        if depth < self.max_depth:
                            todo.append((prefix + name, depth + 1))
                    elif lower[lower.rfind(".") :] in self.extensions and entry.is_file(
                        follow_symlinks=False
                    ):
                        listing.found[prefix + name] = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
        return listing

    def _dirs_changed(self) -> bool:
        """Whether a folder of the last full listing changed since (a file or folder made, removed, renamed)."""
        for rel_dir, mtime_ns in self._dir_mtimes.items():
            try:
                if os.lstat(os.path.join(self._root, rel_dir)).st_mtime_ns != mtime_ns:
                    return True
            except OSError:
                return True
        return not self._dir_mtimes

    def _through_folders(self, parts: list[str]) -> bool:
        """Each of `parts`, from the folder down, is a folder and not a link."""
        path = self._root
        try:
            for part in parts:
                path = os.path.join(path, part)
                st = os.lstat(path)
                if _stat_is_link(st) or not stat.S_ISDIR(st.st_mode):
                    return False  # a link is refused by name when the folder holding it is listed
        except OSError:
            return False
        return True

    def _stat(self, rel: str) -> os.stat_result | None:
        """The file an event named, if it is a photo within reach: no part of its path a link (a link
        itself is listed in `refused`)."""
        parts = rel.split(os.sep)
        if len(parts) - 1 > self.max_depth or any(map(_ignorable, parts)):
            return None
        if not self._through_folders(parts[:-1]):
            return None
        try:
            st = os.lstat(os.path.join(self._root, rel))
        except OSError:
            return None
        if _stat_is_link(st):
            self._refuse(rel)
            return None
        return st if stat.S_ISREG(st.st_mode) and self._wanted(parts[-1]) else None

    def _relative(self, path: str) -> str | None:
        if not path.startswith(self._root + os.sep):
            return None
        return path[len(self._root) + 1 :]

    # Deciding

    def _finished(self, rel: str, st: os.stat_result, now: float) -> bool:
        seen = self._seen.get(rel)
        if seen is None or seen.size != st.st_size or seen.mtime_ns != st.st_mtime_ns:
            # New, still growing, or the same name written again (a camera counter reset: a new shot).
            first_sight = True
            seen = self._seen[rel] = _Seen(st.st_size, st.st_mtime_ns, now)
            self._waiting.add(rel)
        else:
            first_sight = False
        if seen.reported or st.st_size == 0:
            return False
        verdict = content_complete(os.path.join(self._root, rel), st.st_size)
        if verdict is None:  # its format does not say: the same size and time at two polls
            done = not first_sight
        else:
            done = verdict or now - seen.since >= self.incomplete_after
        if done:
            seen.reported = True
            self._waiting.discard(rel)
        return done

    def poll(self) -> list[Path]:
        now = self._clock()
        if self._observer is None:
            walk = now >= self._next_walk
        elif now >= self._next_rescan:
            self._next_rescan = now + self.rescan_every
            walk = self._dirs_changed()  # what the events missed, if anything changed at all
        else:
            walk = False
        found = self._full_walk(now) if walk else self._changed()
        ready = [rel for rel, st in found.items() if self._finished(rel, st, now)]
        return [self.folder / rel for rel in sorted(ready)]

    def _full_walk(self, now: float) -> dict[str, os.stat_result]:
        self._changes.clear()  # the listing sees all that they could say
        listing = self._walk()
        self._dir_mtimes = listing.dirs
        for rel in list(self._seen):
            if rel not in listing.found and not any(
                not f or rel.startswith(f + os.sep) for f in listing.failed
            ):
                del self._seen[rel]  # gone (a folder that could not be listed is not a folder emptied)
                self._waiting.discard(rel)
        # Polling a large tree (or a share) would hold up the window on every tick: the listing takes at
        # most 1/WALK_EVERY_COST of the time, and the files still being written are looked at in between.
        end = self._clock()
        self._next_walk = end + WALK_EVERY_COST * (end - now)
        return listing.found

    def _changed(self) -> dict[str, os.stat_result]:
        """What the events since the last poll name, and the files still being waited for."""
        files = set(self._waiting)
        found: dict[str, os.stat_result] = {}
        while self._changes:
            rel = self._relative(self._changes.popleft())
            if rel is not None:
                files.add(rel)
        for rel in files - found.keys():
            st = self._stat(rel)
            if st is None:
                self._seen.pop(rel, None)
                self._waiting.discard(rel)
            else:
                found[rel] = st
        return found
