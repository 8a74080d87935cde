"""Photos for delivery: rendered on demand from the stored original and the crop in force.

Nothing rendered is stored. With a known crop (the photo's own, or the automatic crop its checks under
another preset were measured on) that stays inside the original, this is the same decode, warp and JPEG
encoding as CaptureService.render, without running face detection again (10,000 photos in minutes, not
an hour); otherwise it goes through crop_photo (rendering.py does the work).

A package's photos are rendered on every core: a spawned process pool (what Windows has, and safe with
OpenCV, whose threads a forked child can inherit mid-state) works from the front of the list while this
process renders from the back, so the pool's start-up costs nothing and a short list never waits for it.
Each photo's bytes depend on nothing but the photo and the preset, so the result is the serial one.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import closing

from app.services.capture.photo_store import PhotoStore
from app.services.delivery.rendering import (
    Job,
    Rendered,
    RenderFailed,
    render_jobs,
    render_original,
    worker_init,
)
from app.services.delivery.source import CurrentPhoto, DeliveryError
from app.services.photo import Preset

# Processes besides this one that render a package; None: one per further core (cores() - 1),
# 0: this process alone (the serial path). Fewer than MIN_PARALLEL photos are always rendered here.
MAX_WORKERS: int | None = None
MIN_PARALLEL = 24
CHUNK = 16  # photos a worker renders per task (~0.1 s): what a cancel waits for at most


def _job(store: PhotoStore, photo: CurrentPhoto, preset: Preset) -> Job:
    # the crop in force, or the one checked under another preset
    return str(store.path(photo.stored_name)), photo.stored_name, photo.crop_for(preset.name)


def render_delivery_jpeg(store: PhotoStore, photo: CurrentPhoto, preset: Preset) -> bytes:
    """The JPEG bytes of a photo at `preset`; raises DeliveryError (Chinese) if it cannot be made."""
    try:
        return render_original(
            store.path(photo.stored_name), photo.stored_name, photo.crop_for(preset.name), preset
        )
    except RenderFailed as exc:
        raise DeliveryError(str(exc)) from None


def cores() -> int:
    """The cores this process may run on (a container or a pinned process may have fewer than the machine)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # Windows, macOS
        return os.cpu_count() or 1


def worker_count(total: int) -> int:
    """Processes to start besides this one for `total` photos (0: render here alone)."""
    if total < MIN_PARALLEL:
        return 0
    wanted = cores() - 1 if MAX_WORKERS is None else MAX_WORKERS
    return max(0, min(wanted, (total + CHUNK - 1) // CHUNK - 1))


def render_delivery_jpegs(
    store: PhotoStore,
    photos: Sequence[CurrentPhoto],
    preset: Preset,
    cancelled: Callable[[], bool] = lambda: False,
) -> Iterator[bytes | DeliveryError]:
    """Each photo's JPEG bytes (or the DeliveryError saying why it cannot be made), in the given order.

    Stops early, without an error, once `cancelled()` is true (the caller checks it, as in the serial loop);
    no worker is left running once the iteration ends or is closed."""
    with closing(_rendered([_job(store, p, preset) for p in photos], preset, cancelled)) as items:
        for item in items:
            yield DeliveryError(str(item)) if isinstance(item, RenderFailed) else item


def _rendered(jobs: list[Job], preset: Preset, cancelled: Callable[[], bool]) -> Iterator[Rendered]:
    workers = worker_count(len(jobs))
    if workers == 0:
        for job in jobs:
            if cancelled():
                return
            yield from render_jobs([job], preset)
        return
    chunks = [jobs[i : i + CHUNK] for i in range(0, len(jobs), CHUNK)]
    done_here: dict[int, list[Rendered]] = {}
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context("spawn"), initializer=worker_init
    )
    try:
        futures: list[Future] = [pool.submit(render_jobs, chunk, preset) for chunk in chunks]
        back = len(chunks) - 1  # this process takes chunks from the back that the pool has not begun
        for front in range(len(chunks)):
            while front not in done_here and not futures[front].done():
                if cancelled():
                    return
                if back > front and futures[back].cancel():
                    done_here[back] = render_jobs(chunks[back], preset)
                    back -= 1
                else:
                    back = front  # the pool has begun the back chunk: it is ahead of this process
                    wait([futures[front]], timeout=0.1, return_when=FIRST_COMPLETED)
            if front in done_here:
                results = done_here.pop(front)
            else:
                try:
                    results = futures[front].result()
                except BrokenProcessPool:  # a worker died (killed, out of memory): render here, as serially
                    results = render_jobs(chunks[front], preset)
            for item in results:
                if cancelled():
                    return
                yield item
    finally:
        # Done, cancelled or abandoned: chunks not begun are dropped and a running one (≤ CHUNK photos)
        # is waited for, so no worker is left behind.
        pool.shutdown(wait=True, cancel_futures=True)
