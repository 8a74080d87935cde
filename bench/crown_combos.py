"""Crown accuracy: GrabCut (crown.py), the segmentation model (segment.py) and ways of combining them.

On the hand-marked photos in ../shared/faces, each method's crown row is compared with the marked one,
as % of the legacy output height (that preset puts crown→chin at 0.7 of its 192 px, so % of output =
error px / marked head px × 70; % of the head = % of output / 0.7). Positive = the crown is placed too low.
Methods:
  gc      today's crown: crop.analyse → find_crown (GrabCut); `conf` says whether it called itself sure
  model   segment.model_crown alone
  mean    the mean of the two rows
  gc|mX   GrabCut's row, the model's when they disagree by more than X % of the head (detected chin)
  gc|aX   GrabCut's row, the mean of the two when they disagree by more than X % of the head
  gc+m    GrabCut whose frame is backdrop (GC_BGD) above the model's crown less BOUND_MARGIN face heights
Photos whose notes say the crown is cut off by the frame (rose_leslie) are shown but left out of the
summary: the mark there is the photo's top row, not the crown. ms are per photo (best of --reps), for the
crown step alone on the decoded photo; combinations add up their parts.
Run: .venv/bin/python bench/crown_combos.py [--reps R]
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from app.services.photo import crown as crown_mod  # noqa: E402
from app.services.photo import load_photo, load_preset  # noqa: E402
from app.services.photo.crop import analyse, decode_long_side  # noqa: E402
from app.services.photo.segment import model_crown  # noqa: E402

FACES = REPO.parent / "shared" / "faces"
PRESET = "legacy-192x144"
OUTPUT_SHARE = 70  # crown→chin is 0.7 of the legacy output height, in %
THRESHOLDS = (3, 5, 7, 10, 15)  # "disagree by more than X % of the head"
BAD = 4.0  # a crown off by more than this % of the output height is one a person must fix
BOUND_MARGIN = 0.15  # face heights between the model's crown and the GrabCut backdrop bound


def short(name: str) -> str:
    """Hivi:test0, auto:obama, face:obama …: where the photo came from and its own name, shortened."""
    repo, _, stem = Path(name).stem.partition("__")
    for prefix in ("demo_images_", "tests_data_", "examples_knn_examples_train_", "examples_"):
        stem = stem.removeprefix(prefix)
    return f"{repo[:4]}:{stem}"[:24]


def timed(fn, reps: int):
    """fn()'s result and its best time over `reps` calls, in ms."""
    best, out = float("inf"), None
    for _ in range(reps):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return out, best * 1000


def bounded_grabcut(img: np.ndarray, scale: float, face, roll: float, model_row: float):
    """find_crown with every frame row above the model's crown (less a margin) seeded as backdrop."""
    seed = crown_mod._seed_mask

    def bounded(shape, face_, u0, v0, valid):
        mask = seed(shape, face_, u0, v0, valid)
        px = crown_mod.FRAME_FACE_PX / face.box[3]  # frame px per source px
        # The frame is upright through the eyes; the model's row lies this far above them on the axis.
        ex, ey = face.eyes_mid
        above = (ey - model_row) / np.cos(np.radians(roll))
        v = int(v0 - above * px - BOUND_MARGIN * crown_mod.FRAME_FACE_PX)
        if v > 0:
            mask[:v] = 0  # cv2.GC_BGD
        return mask

    crown_mod._seed_mask = bounded
    try:
        return crown_mod.find_crown(img, scale, face, roll)
    finally:
        crown_mod._seed_mask = seed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args()
    preset = load_preset(PRESET)
    with open(FACES / "annotations.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    methods = ["gc", "model", "mean", *(f"gc|{c}{x}" for c in "ma" for x in THRESHOLDS), "gc+m"]
    errs: dict[str, list[float]] = {m: [] for m in methods}
    ms: dict[str, list[float]] = {"gc": [], "model": [], "gc+m": []}
    flags = []  # (GrabCut off by > BAD, disagreement % of the head, GrabCut confident)
    print(
        f"{'photo':24} {'head':>5} {'gc%':>6} conf {'model%':>7} {'m.conf':>6} {'m.wid':>5} cut "
        f"{'mean%':>6} {'disag':>6} {'gc+m%':>6}   (errors: % of the output height; disag: % of the head; "
        "m.wid: the mask's widest reach beside the axis / face width)"
    )
    for row in rows:
        photo = load_photo(
            FACES / row["file"], min_long_side=decode_long_side(preset), backdrop=preset.backdrop_rgb
        )
        a = analyse(photo, preset)
        face = a.face
        assert face is not None and a.crown is not None, row["file"]
        roll = face.roll_deg if abs(face.roll_deg) <= 45 else 0.0
        img, s = photo.image, photo.scale
        _, t_gc = timed(lambda: crown_mod.find_crown(img, s, face, roll), args.reps)  # noqa: B023
        mc, t_m = timed(lambda: model_crown(img, s, face, roll), args.reps)  # noqa: B023
        marked, head = float(row["crown_y"]), float(row["chin_y"]) - float(row["crown_y"])
        gc_row = a.crown.point[1]
        m_row = mc.point[1] if mc is not None else gc_row
        bc, t_b = timed(lambda: bounded_grabcut(img, s, face, roll, m_row), args.reps)  # noqa: B023
        est_head = face.chin_y - min(gc_row, m_row)  # what the app knows: detected chin, found crowns
        disag = abs(gc_row - m_row) / est_head * 100

        def out_pct(r: float) -> float:
            return (r - marked) / head * OUTPUT_SHARE  # noqa: B023

        e = {"gc": out_pct(gc_row), "model": out_pct(m_row), "mean": out_pct((gc_row + m_row) / 2)}
        for x in THRESHOLDS:
            e[f"gc|m{x}"] = out_pct(m_row if disag > x else gc_row)
            e[f"gc|a{x}"] = out_pct((gc_row + m_row) / 2 if disag > x else gc_row)
        e["gc+m"] = out_pct(bc.point[1])
        skip = "cut off" in row["notes"]
        wid = max(mc.extent) / face.box[2] if mc else 0.0
        print(
            f"{short(row['file']):24} {head:5.0f} {e['gc']:+6.1f} {'yes' if a.crown.confident else 'no ':4} "
            + (
                f"{e['model']:+7.1f} {mc.confidence:6.2f} {wid:5.2f} {'yes' if mc.cut else 'no ':3} "
                if mc
                else f"{'none':>7} {'':6} {'':5} {'':3} "
            )
            + f"{e['mean']:+6.1f} {disag:6.1f} {e['gc+m']:+6.1f}"
            + ("   (left out: crown cut off)" if skip else "")
        )
        if skip:
            continue
        for m in methods:
            errs[m].append(e[m])
        ms["gc"].append(t_gc)
        ms["model"].append(t_m)
        ms["gc+m"].append(t_b + t_m)
        flags.append((abs(e["gc"]) > BAD, disag, a.crown.confident))
    n = len(errs["gc"])
    gc_ms, m_ms = statistics.median(ms["gc"]), statistics.median(ms["model"])
    cost = {"gc": gc_ms, "model": m_ms, "gc+m": statistics.median(ms["gc+m"])}
    print(f"\nSummary over {n} photos (error in % of the legacy output height; ms = median per photo)")
    print(
        f"{'method':8} {'≤2 %':>5} {'≤4 %':>5} {'worst':>6} {'mean|e|':>7} {'worst, % of head':>17} {'ms':>6}"
    )
    for m in methods:
        v = np.abs(errs[m])
        t = cost.get(m, gc_ms + m_ms)
        worst_head = v.max() / OUTPUT_SHARE * 100
        print(
            f"{m:8} {(v <= 2).sum():5d} {(v <= 4).sum():5d} {v.max():6.1f} {v.mean():7.2f} "
            f"{worst_head:17.1f} {t:6.1f}"
        )
    bad = sum(b for b, _, _ in flags)
    print(f"\nDisagreement flag (GrabCut off by > {BAD:g} % of the output on {bad} of {n} photos):")
    for x in THRESHOLDS:
        caught = sum(1 for b, d, _ in flags if b and d > x)
        false = sum(1 for b, d, _ in flags if not b and d > x)
        print(
            f"  > {x:2d} % of the head: flags {caught}/{bad} bad GrabCut crowns, {false}/{n - bad} good ones"
        )
    caught = sum(1 for b, _, c in flags if b and not c)
    false = sum(1 for b, _, c in flags if not b and not c)
    print(f"  GrabCut's own 'not confident': {caught}/{bad} bad crowns, {false}/{n - bad} good ones")


if __name__ == "__main__":
    main()
