"""Batch cropping for the command line and benches: inputs → outputs + one report row per input."""

from __future__ import annotations

import csv
import multiprocessing
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2

from app.services.common.files import WriteError, atomic_open, atomic_write_bytes
from app.services.common.values import csv_safe

from . import crop, detect
from .crop import crop_photo
from .loading import PhotoLoadError
from .presets import load_preset

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".jpe", ".png", ".webp", ".tif", ".tiff", ".bmp", ".heic", ".heif", ".gif"}
# Report columns for checks, in reading order; a preset without a check leaves its columns out.
CHECK_ORDER = [
    "faces",
    "crown_found",
    "crown_offset",
    "chin_offset",
    "center_offset",
    "head_band",
    "crown_px",
    "eyes_px",
    "face_width_px",
    "roll",
    "upscale",
    "backdrop_delta_e",
    "backdrop_uniformity",
    "sharpness",
    "exposure",
    "file_size",
]
BASE_COLUMNS = [
    "source",
    "output",
    "status",
    "crop_left",
    "crop_top",
    "crop_width",
    "crop_height",
    "rotation_deg",
    "error",
]


@dataclass(frozen=True)
class Job:
    """One input: the path as the user gave it (or found in a folder) and where its output goes."""

    source: str
    output: str


def expand_inputs(inputs: Iterable[str]) -> tuple[list[str], list[str]]:
    """Files as given plus image files found (recursively, sorted) in folders; and inputs that don't exist."""
    files, missing = [], []
    for item in inputs:
        p = Path(item)
        if p.is_symlink():
            files.append(item)  # a link is never followed: load_photo refuses it by name in the report
            continue
        if p.is_dir():
            for root, dirs, names in os.walk(p):  # followlinks=False: linked folders inside are not entered
                dirs[:] = sorted(d for d in dirs if not os.path.islink(os.path.join(root, d)))
                files += [
                    os.path.join(root, n) for n in sorted(names) if Path(n).suffix.lower() in IMAGE_SUFFIXES
                ]
        elif p.exists():
            files.append(item)
        else:
            missing.append(item)
    return files, missing


def plan_outputs(sources: list[str], out_dir: str | Path) -> list[Job]:
    """`<stem>.jpg` in out_dir, with -2, -3 … when two inputs share a stem."""
    used: set[str] = set()
    jobs = []
    for src in sources:
        stem = Path(src).stem or "photo"
        name, n = f"{stem}.jpg", 1
        while name.lower() in used:
            n += 1
            name = f"{stem}-{n}.jpg"
        used.add(name.lower())
        jobs.append(Job(src, str(Path(out_dir) / name)))
    return jobs


def _worker_init() -> None:
    cv2.setNumThreads(1)  # one process per core already; OpenCV's own threads would fight them
    detect.PARALLEL = False
    crop.CACHE_SIZE = 0  # a batch visits each file once; keeping decodes would only cost memory


def run_job(job: Job, preset_name: str, write: bool = True) -> dict[str, Any]:
    """Crop one file and return its report row; never raises for a bad file."""

    row: dict[str, Any] = {"source": job.source, "output": "", "status": "error", "error": ""}
    try:
        res = crop_photo(job.source, preset_name)
    except PhotoLoadError as exc:
        row["error"] = str(exc)
        return row
    except Exception as exc:
        row["error"] = f"{Path(job.source).name} 处理出错：{type(exc).__name__}: {exc}"
        return row
    row["status"] = res.status
    if res.rect is not None:
        row.update(
            crop_left=round(res.rect[0], 2),
            crop_top=round(res.rect[1], 2),
            crop_width=round(res.rect[2], 2),
            crop_height=round(res.rect[3], 2),
            rotation_deg=round(res.rotation_deg, 3),
        )
    for c in res.checks:
        row[f"qc_{c.name}"] = "" if c.value is None else c.value
        row[f"qc_{c.name}_verdict"] = c.verdict
    if res.jpeg is not None:
        if write:
            try:  # whole or not at all: a full disk leaves no cut-off JPEG behind
                atomic_write_bytes(job.output, res.jpeg)
            except WriteError as exc:
                row["status"] = "error"
                row["error"] = str(exc)
                return row
        row["output"] = job.output
    return row


def make_pool(workers: int) -> ProcessPoolExecutor:
    """A process pool for run_batch."""
    # spawn, not fork: a forked child inherits OpenCV's thread pool mid-state and can deadlock in it
    # (seen here once the parent had cropped anything); spawn is also what Windows stations get.
    ctx = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=workers, initializer=_worker_init, mp_context=ctx)


def run_batch(
    jobs: list[Job],
    preset_name: str,
    workers: int = 1,
    write: bool = True,
    progress: Callable[[int, int], None] | None = None,
    pool: ProcessPoolExecutor | None = None,
) -> list[dict[str, Any]]:
    """Run every job (in `workers` processes when > 1, or in `pool`); rows come back in input order."""
    load_preset(preset_name)  # fail early, in the parent, on a bad preset name
    rows: list[dict[str, Any]] = []
    total = len(jobs)
    if pool is None and (workers <= 1 or total <= 1):
        for i, job in enumerate(jobs):
            rows.append(run_job(job, preset_name, write))
            if progress:
                progress(i + 1, total)
        return rows
    own = pool is None
    executor = make_pool(workers) if pool is None else pool
    try:
        futures = {executor.submit(run_job, j, preset_name, write): i for i, j in enumerate(jobs)}
        slots: list[dict[str, Any] | None] = [None] * total
        for done, fut in enumerate(as_completed(futures), 1):  # progress as files finish, in any order
            slots[futures[fut]] = fut.result()
            if progress:
                progress(done, total)
        rows = [r for r in slots if r is not None]
    finally:
        if own:
            executor.shutdown()
    return rows


def report_columns(rows: list[dict[str, Any]]) -> list[str]:
    """The base columns, then qc_<check> and qc_<check>_verdict for every check any row has."""
    seen = {k[3:] for r in rows for k in r if k.startswith("qc_") and not k.endswith("_verdict")}
    names = [n for n in CHECK_ORDER if n in seen] + sorted(seen - set(CHECK_ORDER))
    return BASE_COLUMNS + [c for n in names for c in (f"qc_{n}", f"qc_{n}_verdict")]


def write_report(rows: list[dict[str, Any]], path: str | Path) -> None:
    """UTF-8 CSV, one row per input (BOM so Excel on a Chinese Windows reads it as UTF-8)."""
    cols = report_columns(rows)
    with atomic_open(path, "w", newline="", encoding="utf-8-sig") as fh:
        w = csv.DictWriter(fh, fieldnames=cols, extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({c: csv_safe(r.get(c, "")) for c in cols})
