"""`--self-test [PHOTO]`: prove an installed GradPhoto works end to end, offscreen, in a throw-away store.

Imports a small generated roster, runs the crop engine (on PHOTO, or on a generated face-less image
that must be reported as "no face" cleanly and is then cropped by hand), accepts the photo and
writes a delivery package. Exit 0 when every step did what it should.
"""

from __future__ import annotations

import copy
import shutil
import sys
import tempfile
from pathlib import Path

from PIL import Image

from app.db import Database, sqlite_url
from app.models import Photo
from app.services.capture.overrides import override_reasons
from app.services.capture.photo_store import PhotoStore
from app.services.capture.service import CaptureService, NeedsConfirmation
from app.services.delivery.package import PackageBuilder
from app.services.photo import crop_photo, load_preset
from app.services.photo.presets import preset_from_dict
from app.services.photo.segment import ModelError, load_model
from app.services.roster.demo import make_students, write_roster_xlsx
from app.services.roster.importer import RosterImporter
from app.services.roster.service import RosterService
from app.services.roster.stations import StationData, StationService


def _say(text: str) -> None:
    print(f"[自检] {text}", flush=True)


def relaxed_backdrop(preset):
    """The preset with its backdrop checks switched off: a test photo need not be shot on light blue."""

    raw = copy.deepcopy(preset.raw)
    for name in ("backdrop_delta_e", "backdrop_uniformity"):
        if name in raw.get("checks", {}):
            raw["checks"][name]["warn"] = raw["checks"][name]["fail"] = 1e9
    return preset_from_dict(raw)


def run_self_test(photo: str | None) -> int:
    folder = Path(tempfile.mkdtemp(prefix="gradphoto-selftest-"))
    try:
        db = Database(sqlite_url(folder / "selftest.db"))
        station = StationService(db.sessions, "自检").create(
            StationData(name="自检学习中心", school_name="自检大学", school_code="10000")
        )
        report = RosterImporter(db.sessions, "自检", backup=False).import_file(
            write_roster_xlsx(
                folder / "roster.xlsx", make_students(5, school_name="自检大学", school_code="10000")
            ),
            station.id,
        )
        if report.imported != 5:
            _say(f"花名册导入异常：{report.summary()}")
            return 1
        _say(f"花名册：{report.summary()}")
        try:
            load_model()  # the crown's second opinion: shipped in resources/models, checked by SHA-256
        except ModelError as exc:
            _say(f"人像分割模型：{exc}")
            return 1
        _say("人像分割模型：已加载，校验值正确")
        preset = load_preset(station.default_preset)
        capture = CaptureService(db.sessions, PhotoStore(folder / "photos"), "自检")
        student = RosterService(db.sessions).rows(station.id)[0]
        if photo:
            source = Path(photo)
            result = crop_photo(source, relaxed_backdrop(preset))
            if result.image is None:
                _say(f"照片 {source.name} 未能裁剪：{result.status}")
                return 1
            _say(f"裁剪 {source.name}：{result.status}，人脸 {result.faces}")
            photo_id = capture.take_in(student.id, source, "manual")
            capture.record_auto(photo_id, result)
        else:
            source = folder / "blank.jpg"
            Image.new("RGB", (900, 1200), preset.backdrop_rgb).save(source, "JPEG", quality=90)
            result = crop_photo(source, preset)
            if result.faces != 0 or result.image is not None or result.status != "fail":
                _say("生成的无脸图片没有被报告为“未检测到人脸”")
                return 1
            _say("无脸图片：正确报告为“未检测到人脸”，未输出照片")
            photo_id = capture.take_in(student.id, source, "manual")
            capture.crop(photo_id)
            h = 1200 * 0.8
            capture.adjust(
                photo_id,
                ((900 - h * preset.width / preset.height) / 2, 120, h * preset.width / preset.height, h),
                0.0,
            )  # cropped by hand, as a person would
        if photo:
            try:
                capture.accept(photo_id)
            except NeedsConfirmation:  # a soft check (not the backdrop, relaxed above) failed
                capture.accept(photo_id, reason=override_reasons()[0])
        else:
            # A face-less image fails the face check, a hard check no operator may accept; the self-test
            # alone marks it accepted in its throw-away store so the packaging path still runs end to end.
            with db.sessions.begin() as s:
                record = s.get(Photo, photo_id)
                record.review = record.student.photo_state = "accepted"
        # The other four students have no photo and are excluded; the face-less image's hard failure is
        # waived for the same reason.
        package = PackageBuilder(db.sessions, capture.store, "自检").build(
            station.id,
            folder / "out",
            "zip",
            exclude_blocked=True,
            waive=frozenset() if photo else frozenset({"qc_hard"}),
        )
        if package.count != 1:
            _say(f"报送包人数异常：{package.count}")
            return 1
        _say(f"报送包：{package.path.name}（{package.count} 人）")
        db.dispose()
        _say("通过")
        return 0
    except Exception as exc:
        _say(f"失败：{type(exc).__name__}: {exc}")
        return 1
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(run_self_test(sys.argv[1] if len(sys.argv) > 1 else None))
