import io

import numpy as np
from PIL import Image

from app.services.capture.hotfolder import HotFolderWatcher


def _jpeg_bytes(fmt: str = "JPEG") -> bytes:
    """A camera-like file of about 100 KB (noise does not compress), made here: no shared photo needed."""
    pixels = np.random.default_rng(5).integers(0, 256, (300, 400, 3), dtype=np.uint8)
    buf = io.BytesIO()
    Image.fromarray(pixels).save(buf, fmt)
    return buf.getvalue()


def test_existing_files_are_not_reported(tmp_path):
    (tmp_path / "old.jpg").write_bytes(_jpeg_bytes())
    watcher = HotFolderWatcher(tmp_path)
    assert watcher.poll() == [] and watcher.poll() == []


def test_file_written_in_chunks_is_reported_once_complete(tmp_path):
    watcher = HotFolderWatcher(tmp_path)
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
    assert watcher.poll() == []  # first sight of the final size
    assert watcher.poll() == [target]
    assert watcher.poll() == []  # reported once


def test_temp_names_and_other_files_are_ignored(tmp_path):
    watcher = HotFolderWatcher(tmp_path)
    (tmp_path / ".IMG_3.JPG").write_bytes(_jpeg_bytes())
    (tmp_path / "IMG_3.JPG.part").write_bytes(_jpeg_bytes())
    (tmp_path / "notes.txt").write_text("x")
    watcher.poll()
    assert watcher.poll() == []


def test_renamed_into_place_and_png(tmp_path):
    watcher = HotFolderWatcher(tmp_path)
    staging = tmp_path / "IMG_4.JPG.tmp"
    staging.write_bytes(_jpeg_bytes())
    staging.rename(tmp_path / "IMG_4.JPG")
    (tmp_path / "scan.png").write_bytes(_jpeg_bytes("PNG"))
    watcher.poll()
    found = watcher.poll()
    assert tmp_path / "IMG_4.JPG" in found


def test_missing_folder_does_not_raise(tmp_path):
    watcher = HotFolderWatcher(tmp_path / "gone")
    assert watcher.poll() == []


def test_truncated_jpeg_is_reported_once_it_stops_changing(tmp_path):
    """A copy that broke off never gets its end-of-image marker: after a few unchanged seconds it is reported
    (reading it then says 不完整) instead of being waited for in silence forever."""
    now = [100.0]
    watcher = HotFolderWatcher(tmp_path, clock=lambda: now[0])
    target = tmp_path / "IMG_0005.JPG"
    target.write_bytes(_jpeg_bytes()[:5000])
    assert watcher.poll() == []
    now[0] += 1.0
    assert watcher.poll() == []  # could still be a slow writer
    now[0] += 2.5
    assert watcher.poll() == [target]
    assert watcher.poll() == []  # once
    # the writer was only slow after all: the finished file is a new shot, reported when complete
    target.write_bytes(_jpeg_bytes())
    assert watcher.poll() == []
    assert watcher.poll() == [target]
