"""Crop speed: GradPhoto's engine against autocrop's Cropper on the same files in the same run.

Files: the shared photos (../shared/faces) and 20-24 MP camera-sized JPEGs made from them (cached in
bench/out/big). Figures are medians of per-photo milliseconds; --jobs 2 is wall time per photo.
Run: .venv/bin/python bench/crop.py [--big N] [--reps R]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

FACES = REPO.parent / "shared" / "faces"
OUT = REPO / "bench" / "out"
PRESETS = ("legacy-192x144", "chsi-2017-480x640")
MEGAPIXELS = (20, 22, 24)


def make_big(sources: list[Path], n: int) -> list[Path]:
    """Upscale n shared photos to 20-24 MP camera-like JPEGs (quality 92), cached."""
    from PIL import Image

    big_dir = OUT / "big"
    big_dir.mkdir(parents=True, exist_ok=True)
    made = []
    for i, src in enumerate(sources[:n]):
        mp = MEGAPIXELS[i % len(MEGAPIXELS)]
        dst = big_dir / f"{src.stem}_{mp}mp.jpg"
        if not dst.exists():
            im = Image.open(src).convert("RGB")
            s = (mp * 1e6 / (im.width * im.height)) ** 0.5
            im.resize((round(im.width * s), round(im.height * s)), Image.Resampling.BICUBIC).save(dst, quality=92)
        made.append(dst)
    return made


def per_photo_ms(fn, files: list[Path], reps: int) -> float:
    """Median over files of the best-of-reps time of fn(file), in ms (one warm-up call first)."""
    fn(files[0])
    times = []
    for f in files:
        best = float("inf")
        for _ in range(reps):
            t0 = time.perf_counter()
            fn(f)
            best = min(best, time.perf_counter() - t0)
        times.append(best * 1000)
    return statistics.median(times)


def batch_ms(files: list[Path], preset: str, workers: int, threads: bool = True) -> float:
    """Wall milliseconds per photo for run_batch (no file writes) on a warmed pool of `workers` processes.

    With one worker, `threads` says whether the two detection sizes may run on two threads.
    """
    from app.services.photo import detect
    from app.services.photo.batch import Job, make_pool, run_batch

    jobs = [Job(str(f), "") for f in files]
    if workers <= 1:
        import cv2

        was, detect.PARALLEL = detect.PARALLEL, threads
        cv_threads = cv2.getNumThreads()
        if not threads:
            cv2.setNumThreads(1)  # truly one core, like each --jobs worker
        try:
            run_batch(jobs[:1], preset, write=False)
            t0 = time.perf_counter()
            run_batch(jobs, preset, write=False)
            return (time.perf_counter() - t0) * 1000 / len(jobs)
        finally:
            detect.PARALLEL = was
            cv2.setNumThreads(cv_threads)
    with make_pool(workers) as pool:
        run_batch(jobs[: 2 * workers], preset, write=False, pool=pool)  # imports and model load in each worker
        t0 = time.perf_counter()
        run_batch(jobs, preset, write=False, pool=pool)
        return (time.perf_counter() - t0) * 1000 / len(jobs)


def stages(files: list[Path], preset_name: str) -> dict[str, float]:
    """Median CPU milliseconds per stage (less sensitive than wall time to other work on the machine)."""
    from app.services.photo import crop as crop_mod
    from app.services.photo import detect, load_photo, load_preset

    p = load_preset(preset_name)
    was, detect.PARALLEL = detect.PARALLEL, False
    out: dict[str, list[float]] = {"decode": [], "detect": [], "rest_of_analysis": [], "render_qc_encode": []}
    try:
        for f in files:
            t0 = time.process_time()
            photo = load_photo(f, crop_mod.decode_long_side(p), p.backdrop_rgb)
            t1 = time.process_time()
            detect.detect_faces(photo.image, photo.scale)
            t2 = time.process_time()
            a = crop_mod.analyse(photo, p)  # detects again: subtract the detection measured above
            t3 = time.process_time()
            crop_mod.finish(photo, a, p)
            t4 = time.process_time()
            out["decode"].append(t1 - t0)
            out["detect"].append(t2 - t1)
            out["rest_of_analysis"].append(max(0.0, (t3 - t2) - (t2 - t1)))
            out["render_qc_encode"].append(t4 - t3)
    finally:
        detect.PARALLEL = was
    return {k: statistics.median(v) * 1000 for k, v in out.items()}


def line(name: str, value: float, base: float, unit: str = "ms") -> str:
    """The BENCH line format shared by every bench script."""
    return f"BENCH {name} {value:.1f} {unit} (baseline {base:.1f} {unit}, ratio {value / base:.2f})"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--big", type=int, default=6, help="how many camera-sized JPEGs to make (default 6)")
    ap.add_argument("--reps", type=int, default=3, help="repetitions per small photo (best of)")
    ap.add_argument("--part", choices=("all", "single", "jobs"), default="all",
                    help="measure only the single-process figures or only --jobs 2 (default: all)")
    args = ap.parse_args()
    if not FACES.is_dir():
        print("../shared/faces not found; nothing to measure", file=sys.stderr)
        return 0
    from autocrop import Cropper
    from PIL import Image

    from app.services.photo import crop as crop_mod
    from app.services.photo import crop_photo, load_preset

    crop_mod.CACHE_SIZE = 0  # every repetition must decode and detect, as a new photo would

    small = sorted(p for p in FACES.iterdir() if p.suffix.lower() in (".jpg", ".png"))
    big = make_big([p for p in small if p.suffix.lower() == ".jpg"] + [p for p in small if p.suffix == ".png"],
                   args.big)
    lines = []
    load_before = os.getloadavg()[0]
    # The decode floor: Pillow's DCT-scaled decode of the camera files alone.
    def decode_eighth(f: Path) -> None:
        with Image.open(f) as im:
            im.draft("RGB", (im.width // 8, im.height // 8))
            im.load()

    def decode_full(f: Path) -> None:
        with Image.open(f) as im:
            im.load()

    if args.part in ("all", "single"):
        eighth, full = per_photo_ms(decode_eighth, big, 2), per_photo_ms(decode_full, big, 1)
        lines.append(line("decode_big_1_8_ms", eighth, full))
        for name in PRESETS:
            p = load_preset(name)
            cropper = Cropper(width=p.width, height=p.height)
            for label, files, reps in (("small", small, args.reps), ("big", big, 2)):
                ours = per_photo_ms(lambda f, p=p: crop_photo(f, p), files, reps)
                theirs = per_photo_ms(lambda f, c=cropper: c.crop(str(f)), files, 1)
                print(f"{name} {label}: GradPhoto {ours:.1f} ms, autocrop {theirs:.1f} ms ({len(files)} files)")
                lines.append(line(f"crop_{label}_{name}_ms", ours, theirs))
        for name in PRESETS:
            st = stages(big, name)
            print(f"{name} big, CPU ms per stage (all threads, OpenCV's own included; detection sizes one after the other): "
                  + ", ".join(f"{k} {v:.1f}" for k, v in st.items()) + f", total {sum(st.values()):.1f}")
    for name in PRESETS if args.part in ("all", "jobs") else ():
        work = big * 2
        one = batch_ms(work, name, 1, threads=False)
        one_threaded = batch_ms(work, name, 1)
        two = batch_ms(work, name, 2)
        print(f"{name} big batch: 1 process on one core {one:.1f} ms/photo, 1 process with detection threads "
              f"{one_threaded:.1f}, --jobs 2 {two:.1f} ms/photo ({one / two:.2f}x the one-core rate)")
        lines.append(line(f"crop_big_{name}_jobs2_ms_per_photo", two, one))
    print(f"load average (1 min) before {load_before:.2f}, after {os.getloadavg()[0]:.2f}: "
          "figures are wall time on a 2-core machine shared with other work")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
