"""The hot folder: new photos reported once whole, in dated subfolders too, links never followed.

Most tests list the folder on every poll and drive time with an injected clock. Those taking `mode` run
twice, the second time on the operating system's events (watchdog's inotify here): events arrive from
watchdog's thread, so there `_until` polls, as the capture tab does, until the expected photo shows up.
The clock stands still there, so nothing can be reported by the incomplete timeout or a safety listing.
"""

import io
import os
import threading
import time

import numpy as np
import pytest
import watchdog.observers
from PIL import Image

from app.services.capture import hotfolder
from app.services.capture.hotfolder import HotFolderWatcher, content_complete, network_fs_type


def _image_bytes(fmt: str = "JPEG", seed: int = 5) -> bytes:
    """A camera-like file of about 100 KB (noise does not compress), made here: no shared photo needed."""
    pixels = np.random.default_rng(seed).integers(0, 256, (300, 400, 3), dtype=np.uint8)
    buf = io.BytesIO()
    Image.fromarray(pixels).save(buf, fmt)
    return buf.getvalue()


_jpeg_bytes = _image_bytes


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def watch(clock):
    """Make watchers on the test's clock, closed at the end. mode: "polling" (listing on every poll, the
    default), "events" (the system's, asserted to be in use) or "auto" (what the watcher chooses)."""
    made = []

    def make(folder, mode="polling", **kw):
        watcher = HotFolderWatcher(folder, clock=clock, events=False if mode == "polling" else None, **kw)
        made.append(watcher)
        if mode == "events":
            assert watcher.mode == "events"
        return watcher

    yield make
    for watcher in made:
        watcher.close()


@pytest.fixture(params=["polling", "events"])
def mode(request):
    """For a test that runs twice: listing on every poll, then on the system's events."""
    return request.param


def _until(watcher, name, seconds=10.0):
    """What the next poll reports, when listing; on events, poll as the capture tab does until a photo called
    `name` is reported (events come from another thread), and return everything reported till then."""
    if watcher.mode == "polling":
        return watcher.poll()
    got = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        got += watcher.poll()
        if any(p.name == name for p in got):
            return got
        time.sleep(0.01)
    raise AssertionError(f"{name} not reported; got {got}")


# What a photo is, and when it is whole


def test_existing_files_are_not_reported(tmp_path, watch):
    (tmp_path / "old.jpg").write_bytes(_jpeg_bytes())
    (tmp_path / "2026_11_30").mkdir()
    (tmp_path / "2026_11_30" / "IMG_0001.JPG").write_bytes(_jpeg_bytes())
    watcher = watch(tmp_path)
    assert watcher.poll() == [] and watcher.poll() == []


def test_existing_files_are_reported_when_asked(tmp_path, watch, mode):
    (tmp_path / "2026_11_30").mkdir()
    (tmp_path / "2026_11_30" / "IMG_0001.JPG").write_bytes(_jpeg_bytes())
    watcher = watch(tmp_path, mode, include_existing=True)
    assert watcher.poll() == [tmp_path / "2026_11_30" / "IMG_0001.JPG"]  # at once, on events too


def test_file_written_in_chunks_is_reported_once_complete(tmp_path, watch):
    watcher = watch(tmp_path)
    data = _jpeg_bytes()
    target = tmp_path / "IMG_0002.JPG"
    body, tail = data[:-100], data[-100:]
    with target.open("wb") as handle:
        for start in range(0, len(body), 7000):
            handle.write(body[start : start + 7000])
            handle.flush()
            assert watcher.poll() == []
            assert watcher.poll() == []  # same size twice, but no end-of-image marker yet
        handle.write(tail)
    assert watcher.poll() == [target]  # whole at the first poll that sees it: no second look needed
    assert watcher.poll() == []  # reported once


def test_temp_names_and_other_files_are_ignored(tmp_path, watch):
    watcher = watch(tmp_path)
    (tmp_path / ".IMG_3.JPG").write_bytes(_jpeg_bytes())
    (tmp_path / "IMG_3.JPG.part").write_bytes(_jpeg_bytes())
    (tmp_path / "~IMG_3.JPG").write_bytes(_jpeg_bytes())
    (tmp_path / "IMG_3.tmp").write_bytes(_jpeg_bytes())
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / ".thumbnails").mkdir()
    (tmp_path / ".thumbnails" / "IMG_3.JPG").write_bytes(_jpeg_bytes())
    (tmp_path / "2026_12_01").mkdir()
    (tmp_path / "2026_12_01" / "IMG_3.JPG.part").write_bytes(_jpeg_bytes())
    watcher.poll()
    assert watcher.poll() == []


def test_renamed_into_place_and_png(tmp_path, watch):
    watcher = watch(tmp_path)
    staging = tmp_path / "IMG_4.JPG.tmp"
    staging.write_bytes(_jpeg_bytes())
    staging.rename(tmp_path / "IMG_4.JPG")
    (tmp_path / "scan.png").write_bytes(_jpeg_bytes("PNG"))
    assert watcher.poll() == [tmp_path / "IMG_4.JPG", tmp_path / "scan.png"]


def test_missing_folder_does_not_raise(tmp_path, watch):
    watcher = watch(tmp_path / "gone", "auto")
    assert watcher.mode == "polling"  # nothing to attach an observer to
    assert watcher.poll() == []


def test_truncated_jpeg_is_reported_once_it_stops_changing(tmp_path, watch, clock):
    """A copy that broke off never gets its end-of-image marker: after a few unchanged seconds it is reported
    (reading it then says 不完整) instead of being waited for in silence forever."""
    watcher = watch(tmp_path)
    target = tmp_path / "IMG_0005.JPG"
    target.write_bytes(_jpeg_bytes()[:5000])
    assert watcher.poll() == []
    clock.now += 1.0
    assert watcher.poll() == []  # could still be a slow writer
    clock.now += 2.5
    assert watcher.poll() == [target]
    assert watcher.poll() == []  # once
    # the writer was only slow after all: the finished file is a new shot, reported when complete
    target.write_bytes(_jpeg_bytes())
    assert watcher.poll() == [target]


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_a_jpg_that_is_really_png_or_webp_is_reported_as_soon_as_it_is_complete(tmp_path, watch, mode, fmt):
    """Its content says it is whole: reported at the first poll (listing), without the incomplete timeout."""
    watcher = watch(tmp_path, mode)
    (tmp_path / "2026_12_01").mkdir()
    (tmp_path / "2026_12_01" / "IMG_0007.JPG").write_bytes(_image_bytes(fmt))
    assert _until(watcher, "IMG_0007.JPG") == [tmp_path / "2026_12_01" / "IMG_0007.JPG"]


def test_a_half_written_png_is_not_reported_until_complete(tmp_path, watch, mode, clock):
    watcher = watch(tmp_path, mode)
    data = _image_bytes("PNG")
    target = tmp_path / "IMG_0008.JPG"
    with target.open("wb") as handle:
        handle.write(data[: len(data) // 2])
        handle.flush()
        # a finished photo written after it is reported, the half one is not
        (tmp_path / "IMG_0009.JPG").write_bytes(_jpeg_bytes())
        assert _until(watcher, "IMG_0009.JPG") == [tmp_path / "IMG_0009.JPG"]
        clock.now += 2.9  # just short of the incomplete timeout
        assert watcher.poll() == []
        handle.write(data[len(data) // 2 :])
    assert _until(watcher, "IMG_0008.JPG") == [target]
    assert watcher.poll() == []


def test_a_truncated_png_is_reported_after_the_incomplete_timeout(tmp_path, watch, clock):
    watcher = watch(tmp_path)
    target = tmp_path / "IMG_0010.PNG"
    target.write_bytes(_image_bytes("PNG")[:20000])
    assert watcher.poll() == []
    clock.now += 2.0
    assert watcher.poll() == []
    clock.now += 1.5
    assert watcher.poll() == [target]


def test_a_tiff_is_reported_when_its_size_and_time_hold_over_two_polls(tmp_path, watch):
    """TIFF (and HEIC) do not say where they end: the rule of before, without the timeout."""
    watcher = watch(tmp_path)
    target = tmp_path / "IMG_0011.TIF"
    target.write_bytes(_image_bytes("TIFF"))
    assert watcher.poll() == []
    assert watcher.poll() == [target]


def _with_exif_thumbnail(jpeg: bytes, thumbnail: bytes) -> tuple[bytes, int]:
    """`jpeg` with an APP1 segment ending in a thumbnail JPEG; and where that segment ends."""
    payload = b"Exif\x00\x00" + thumbnail
    app1 = b"\xff\xe1" + (len(payload) + 2).to_bytes(2, "big") + payload
    return jpeg[:2] + app1 + jpeg[2:], 2 + len(app1)


def test_content_complete(tmp_path):
    def verdict(data: bytes, name: str = "x.jpg"):
        path = tmp_path / name
        path.write_bytes(data)
        return content_complete(path, len(data))

    jpeg, png, webp, bmp = _image_bytes(), _image_bytes("PNG"), _image_bytes("WEBP"), _image_bytes("BMP")
    assert verdict(jpeg) is True
    assert verdict(jpeg + b"\x00" * 1000) is True  # zero padding after the end marker
    assert verdict(jpeg[:-1]) is False
    whole, app1_end = _with_exif_thumbnail(jpeg, _image_bytes(seed=6)[:3000] + b"\xff\xd9")
    assert whole[app1_end - 2 : app1_end] == b"\xff\xd9"
    assert verdict(whole[:app1_end]) is False  # a writer that paused after the thumbnail's FFD9
    assert verdict(whole) is True
    assert verdict(png) is True and verdict(png[:-12]) is False
    assert verdict(webp) is True and verdict(webp[: len(webp) // 2]) is False
    assert verdict(bmp) is True and verdict(bmp[:5000]) is False
    assert verdict(_image_bytes("TIFF")) is None  # does not say: size and time must hold still
    assert verdict(b"\xff\xd8\xff\xe0") is False  # not even a header yet
    assert content_complete(tmp_path / "absent.jpg", 1000) is False


# Folders


def test_a_photo_in_a_dated_subfolder_is_picked_up(tmp_path, watch, mode):
    (tmp_path / "2026_12_01").mkdir()
    (tmp_path / "2026_12_01" / "IMG_0001.JPG").write_bytes(_jpeg_bytes())  # there before: not reported
    watcher = watch(tmp_path, mode)
    (tmp_path / "2026_12_01" / "IMG_0002.JPG").write_bytes(_jpeg_bytes(seed=7))
    assert _until(watcher, "IMG_0002.JPG") == [tmp_path / "2026_12_01" / "IMG_0002.JPG"]
    assert watcher.poll() == []


def test_a_folder_created_after_watching_started_is_picked_up(tmp_path, watch, mode):
    watcher = watch(tmp_path, mode)
    (tmp_path / "2026_12_02").mkdir()
    (tmp_path / "2026_12_02" / "IMG_0003.JPG").write_bytes(_jpeg_bytes())
    assert _until(watcher, "IMG_0003.JPG") == [tmp_path / "2026_12_02" / "IMG_0003.JPG"]
    (tmp_path / "2026" / "12" / "03").mkdir(parents=True)  # three new levels at once
    (tmp_path / "2026" / "12" / "03" / "IMG_0004.JPG").write_bytes(_jpeg_bytes())
    assert _until(watcher, "IMG_0004.JPG") == [tmp_path / "2026" / "12" / "03" / "IMG_0004.JPG"]


def test_folders_are_watched_three_levels_deep(tmp_path, watch, mode):
    assert hotfolder.MAX_DEPTH == 3
    watcher = watch(tmp_path, mode)
    deep = tmp_path / "a" / "b" / "c" / "d"
    deep.mkdir(parents=True)
    (deep / "IMG_0005.JPG").write_bytes(_jpeg_bytes())  # four levels down: not watched
    (deep.parent / "IMG_0006.JPG").write_bytes(_jpeg_bytes())  # three: written after, reported
    assert _until(watcher, "IMG_0006.JPG") == [tmp_path / "a" / "b" / "c" / "IMG_0006.JPG"]
    assert watcher.poll() == []


def test_max_depth_zero_watches_the_folder_alone(tmp_path, watch):
    watcher = watch(tmp_path, max_depth=0)
    (tmp_path / "2026_12_01").mkdir()
    (tmp_path / "2026_12_01" / "IMG_0001.JPG").write_bytes(_jpeg_bytes())
    (tmp_path / "IMG_0002.JPG").write_bytes(_jpeg_bytes())
    assert watcher.poll() == [tmp_path / "IMG_0002.JPG"]


# Links


@pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt", reason="POSIX symlinks")
def test_links_inside_are_refused_and_never_read(tmp_path, watch, mode, monkeypatch):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.jpg").write_bytes(_jpeg_bytes())
    hot = tmp_path / "hot"
    (hot / "2026_12_01").mkdir(parents=True)
    opened, listed = [], []
    real_open, real_scandir = hotfolder.open_no_follow, os.scandir
    monkeypatch.setattr(hotfolder, "open_no_follow", lambda p: opened.append(str(p)) or real_open(p))
    monkeypatch.setattr(hotfolder.os, "scandir", lambda p=".": listed.append(str(p)) or real_scandir(p))
    watcher = watch(hot, mode)

    (hot / "2026_12_01" / "IMG_0009.JPG").symlink_to(outside / "secret.jpg")  # a file link
    (hot / "cards").symlink_to(outside, target_is_directory=True)  # a folder link
    (hot / "2026_12_01" / "IMG_0010.JPG").write_bytes(_jpeg_bytes(seed=8))  # written last
    assert _until(watcher, "IMG_0010.JPG") == [hot / "2026_12_01" / "IMG_0010.JPG"]
    assert watcher.poll() == []
    assert sorted(watcher.refused) == ["2026_12_01/IMG_0009.JPG", "cards"]
    assert set(opened) == {str(hot / "2026_12_01" / "IMG_0010.JPG")}  # no byte of a link's target read
    assert not [p for p in listed if p.startswith((str(hot / "cards"), str(outside)))]  # nor a linked folder


@pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt", reason="POSIX symlinks")
def test_a_link_is_refused_once_even_when_the_caller_takes_it(tmp_path, watch):
    watcher = watch(tmp_path)
    (tmp_path / "IMG_0011.JPG").symlink_to(tmp_path / "elsewhere.jpg")
    watcher.poll()
    assert watcher.refused.pop(0) == "IMG_0011.JPG"  # as the capture tab takes it
    watcher.poll()
    assert watcher.refused == []


# The watcher itself


def test_a_folder_that_cannot_be_listed_for_a_while_does_not_report_its_photos_again(tmp_path, watch):
    """A camera card or share that goes away and comes back is not 5,000 new photos."""
    hot = tmp_path / "hot"
    (hot / "2026_12_01").mkdir(parents=True)
    (hot / "2026_12_01" / "IMG_0001.JPG").write_bytes(_jpeg_bytes())
    watcher = watch(hot)
    hot.rename(tmp_path / "away")
    assert watcher.poll() == []
    (tmp_path / "away").rename(hot)
    assert watcher.poll() == []


def test_listing_a_large_folder_is_not_repeated_on_every_tick(tmp_path, watch, clock, monkeypatch):
    """Polling a season's photos on a share: a listing that took t waits 4 t; files being written don't."""
    watcher = watch(tmp_path)
    real_walk = watcher._walk

    def slow_walk(*args):
        clock.now += 0.05  # the listing takes 50 ms
        return real_walk(*args)

    monkeypatch.setattr(watcher, "_walk", slow_walk)
    assert watcher.poll() == []  # listed from 100.0 to 100.05: not again before 100.25
    data = _image_bytes("PNG")
    (tmp_path / "IMG_0001.PNG").write_bytes(data[:1000])
    clock.now += 0.1
    assert watcher.poll() == []  # 100.15: not listed
    clock.now += 0.15
    assert watcher.poll() == []  # 100.30: listed, seen half written
    (tmp_path / "IMG_0001.PNG").write_bytes(data)
    assert watcher.poll() == [tmp_path / "IMG_0001.PNG"]  # looked at between listings


def test_an_observer_that_cannot_start_falls_back_to_polling(tmp_path, watch, monkeypatch):
    class Full(watchdog.observers.Observer):
        def schedule(self, *args, **kwargs):
            raise OSError(28, "inotify watch limit reached")

    monkeypatch.setattr(watchdog.observers, "Observer", Full)
    watcher = watch(tmp_path, "auto")
    assert watcher.mode == "polling"
    (tmp_path / "2026_12_01").mkdir()
    (tmp_path / "2026_12_01" / "IMG_0001.JPG").write_bytes(_jpeg_bytes())
    assert watcher.poll() == [tmp_path / "2026_12_01" / "IMG_0001.JPG"]


def test_a_network_share_is_polled(tmp_path, watch, monkeypatch):
    mounts = (
        "/dev/vda / ext4 rw,relatime 0 0\n"
        "//nas/photos /mnt/nas cifs rw,vers=3.0 0 0\n"
        "//nas/card /mnt/camera\\040card smb3 rw 0 0\n"
        "nas:/export /srv/export nfs4 rw 0 0\n"
    )
    assert network_fs_type("/mnt/nas/2026_12_01", mounts) == "cifs"
    assert network_fs_type("/mnt/camera card", mounts) == "smb3"  # a space is \040 in the table
    assert network_fs_type("/srv/export", mounts) == "nfs4"
    assert network_fs_type("/mnt/nas2", mounts) is None  # a longer name is not inside the mount point
    assert network_fs_type("/home/photos", mounts) is None
    monkeypatch.setattr(hotfolder, "network_fs_type", lambda folder: "cifs")
    watcher = watch(tmp_path, "auto")
    assert watcher.mode == "polling"


def test_a_dropped_watcher_stops_its_observer(tmp_path, clock):
    before = threading.active_count()
    watcher = HotFolderWatcher(tmp_path, clock=clock)
    assert watcher.mode == "events" and threading.active_count() > before
    del watcher  # as the capture tab does when watching is switched off
    deadline = time.monotonic() + 5
    while threading.active_count() > before and time.monotonic() < deadline:
        time.sleep(0.02)
    assert threading.active_count() == before
