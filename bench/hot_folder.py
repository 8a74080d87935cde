"""Hot folder: operating-system events (watchdog: inotify here, ReadDirectoryChangesW on Windows) against listing
the folder on every poll, beside 5,000 earlier photos in 30 dated folders, as on the last day of a season.

Three watchers, each polled every 40 ms as the cropping tab does (`HOT_FOLDER_POLL_MS`):
- today: the whole tree listed on every poll (scandir + stat of every file), a photo reported when two polls
  see the same size and time (today's rule for a JPEG with its end marker, before content was read);
- polling: the fallback for shares: a listing that took t is not repeated for 4 t (files being written are
  looked at on every poll), a photo reported at the first poll that sees it whole (`content_complete`);
- events: watchdog's native observer names the changed paths; every 2 s the folders' times are compared
  with the last listing's, and the tree is listed again only when one changed.
Measured: start (first listing, observer start), CPU while idle (process CPU time over wall time, all threads,
10 s), the time an idle poll holds the polling (GUI) thread, and latency from a photo's last byte written (a 1600×1200 noise JPEG, written in 256 KB pieces
by another thread, into the newest dated folder or a folder made during the run) to `poll()` returning it.
The BENCH lines compare events with today's listing.
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
from PIL import Image

from app.services.capture import hotfolder
from app.services.capture.hotfolder import HotFolderWatcher

EXISTING = 5000
FOLDERS = 30
POLL_S = 0.040
IDLE_S = 10.0
SHOTS = 20


def _jpeg(height: int, width: int, seed: int) -> bytes:
    pixels = np.random.default_rng(seed).integers(0, 256, (height, width, 3), dtype=np.uint8)
    buf = io.BytesIO()
    Image.fromarray(pixels).save(buf, "JPEG", quality=90)
    return buf.getvalue()


def make_season(root: Path) -> None:
    small = _jpeg(48, 64, 1)  # the watcher stats earlier photos, never reads them: their size does not matter
    for i in range(EXISTING):
        folder = root / f"2026_11_{i % FOLDERS + 1:02d}"
        folder.mkdir(exist_ok=True)
        (folder / f"IMG_{i:05d}.JPG").write_bytes(small)


def _ticks(seconds: float, watcher: HotFolderWatcher, seen: dict[str, float] | None = None) -> list[float]:
    """Poll on a 40 ms timer for `seconds`; the wall time of each poll; reports noted in `seen`."""
    costs = []
    next_tick = time.perf_counter()
    end = next_tick + seconds
    while next_tick < end:
        start = time.perf_counter()
        for path in watcher.poll():
            if seen is not None:
                seen.setdefault(path.name, time.perf_counter())
        costs.append(time.perf_counter() - start)
        next_tick += POLL_S
        time.sleep(max(0.0, next_tick - time.perf_counter()))
    return costs


def measure(name: str, root: Path, events: bool, photo: bytes) -> dict[str, float]:
    start = time.perf_counter()
    watcher = HotFolderWatcher(root, events=None if events else False)
    started = time.perf_counter() - start
    assert watcher.mode == ("events" if events else "polling"), watcher.mode
    _ticks(0.5, watcher)
    cpu0, wall0 = time.process_time(), time.perf_counter()
    costs = _ticks(IDLE_S, watcher)
    cpu = (time.process_time() - cpu0) / (time.perf_counter() - wall0) * 100

    written: dict[str, float] = {}
    seen: dict[str, float] = {}

    def camera() -> None:
        for i in range(SHOTS):
            folder = root / ("2026_12_01" if i < SHOTS // 2 else f"2026_12_02_{name}")
            folder.mkdir(exist_ok=True)
            time.sleep(0.15 + (i * 0.017) % POLL_S)  # out of step with the timer
            target = folder / f"{name}_{i:04d}.JPG"
            with target.open("wb") as handle:
                for at in range(0, len(photo), 256 * 1024):
                    handle.write(photo[at : at + 256 * 1024])
                    handle.flush()
                    time.sleep(0.004)  # USB 2 tethering: about 50 MB/s
            written[target.name] = time.perf_counter()

    writer = threading.Thread(target=camera)
    writer.start()
    deadline = time.perf_counter() + 60
    while (writer.is_alive() or len(seen) < SHOTS) and time.perf_counter() < deadline:
        _ticks(0.2, watcher, seen)
    writer.join()
    watcher.close()
    latencies = [(seen[n] - t) * 1000 for n, t in written.items() if n in seen]
    assert len(latencies) == SHOTS, f"{name}: {len(latencies)} of {SHOTS} reported"
    row = {
        "start_ms": started * 1000,
        "idle_cpu_pct": cpu,
        "poll_ms": statistics.mean(costs) * 1000,
        "poll_max_ms": max(costs) * 1000,
        "latency_median_ms": statistics.median(latencies),
        "latency_max_ms": max(latencies),
    }
    print(
        f"{name:8s} start {row['start_ms']:4.0f} ms  idle: CPU {cpu:5.1f} % of a core, a poll "
        f"{row['poll_ms']:5.2f} ms (max {row['poll_max_ms']:5.1f})  latency median "
        f"{row['latency_median_ms']:4.0f} ms, max {row['latency_max_ms']:4.0f} ms",
        flush=True,
    )
    return row


def main() -> None:
    photo = _jpeg(1200, 1600, 2)
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as tmp:
        root = Path(tmp) / "hot"
        root.mkdir()
        make_season(root)
        print(
            f"{EXISTING} photos in {FOLDERS} dated folders; polled every {POLL_S * 1000:.0f} ms; "
            f"photos of {len(photo) / 1e6:.1f} MB"
        )
        real = hotfolder.content_complete, hotfolder.WALK_EVERY_COST
        hotfolder.content_complete = lambda path, size: None  # the stability rule alone: today's timing
        hotfolder.WALK_EVERY_COST = 0.0  # and the whole tree listed on every poll, as today
        try:
            today = measure("today", root, False, photo)
        finally:
            hotfolder.content_complete, hotfolder.WALK_EVERY_COST = real
        measure("polling", root, False, photo)
        events = measure("events", root, True, photo)
    for key, name, unit in [
        ("idle_cpu_pct", "hot_folder_idle_cpu", "%"),
        ("latency_median_ms", "hot_folder_latency_median", "ms"),
    ]:
        ratio = events[key] / today[key] if today[key] else float("nan")
        print(f"BENCH {name} {events[key]:.2f} {unit} (baseline {today[key]:.2f} {unit}, ratio {ratio:.3f})")


if __name__ == "__main__":
    main()
