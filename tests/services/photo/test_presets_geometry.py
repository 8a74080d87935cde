"""Presets are data with sources; the crop geometry puts crown, chin and eyes exactly on the lines."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.services.photo import list_presets, load_preset, render_crop
from app.services.photo.colour import delta_e2000, rgb_to_lab
from app.services.photo.geometry import Placement, leaves_image, map_points, place_head, source_to_output
from app.services.photo.presets import PresetError, resources_dir


def test_shipped_presets_load_and_say_where_numbers_come_from() -> None:
    names = list_presets()
    assert {"legacy-192x144", "chsi-2017-480x640", "guangdong-192x168", "legacy-120x160"} <= set(names)
    for name in names:
        p = load_preset(name)
        raw = json.loads((resources_dir() / "presets" / f"{name}.json").read_text(encoding="utf-8"))
        assert (
            raw["source"] and raw["framing"]["source"] and raw["backdrop"]["source"] and raw["jpeg"]["source"]
        )
        for check, spec in raw["checks"].items():
            assert spec.get("source"), f"{name}: {check} has no source"
        for rng, spec in raw["ranges"].items():
            assert spec.get("source"), f"{name}: {rng} has no source"
        assert 0 < p.crown_y < p.chin_y < p.height
        assert p.min_kb < p.max_kb


def test_legacy_and_chsi_numbers() -> None:
    legacy = load_preset("legacy-192x144")
    assert (legacy.width, legacy.height) == (144, 192)
    assert legacy.crown_y == pytest.approx(192 / 10) and legacy.chin_y == pytest.approx(192 * 8 / 10)
    assert legacy.head_band_x == pytest.approx((14.4, 129.6))
    chsi = load_preset("chsi-2017-480x640")
    assert (chsi.width, chsi.height, chsi.crown_y, chsi.chin_y) == (480, 640, 80, 410)
    assert chsi.backdrop_rgb == (100, 197, 255)
    assert chsi.ranges["crown_px"]["min"] == 50 and chsi.ranges["eyes_px"]["max"] == 300
    assert load_preset("legacy-120x160").backdrop_rgb == (51, 143, 178)


def test_unknown_preset_names_the_choices() -> None:
    with pytest.raises(PresetError, match="legacy-192x144"):
        load_preset("no-such-spec")


@settings(max_examples=60, deadline=None)
@given(
    cx=st.floats(200, 800),
    eye_y=st.floats(200, 600),
    head=st.floats(150, 900),
    angle=st.floats(-15, 15),
    up=st.floats(0.8, 1.8),
    preset=st.sampled_from(["legacy-192x144", "chsi-2017-480x640"]),
)
def test_place_head_hits_the_targets(
    cx: float, eye_y: float, head: float, angle: float, up: float, preset: str
) -> None:
    p = load_preset(preset)
    # A head tilted by -angle: rotating by +angle (getRotationMatrix2D convention) levels it.
    t = math.radians(angle)
    down = head / (1 + up)
    eyes = (cx, eye_y)
    crown = (cx + up * down * math.sin(t), eye_y - up * down * math.cos(t))
    chin = (cx - down * math.sin(t), eye_y + down * math.cos(t))
    place = place_head(crown, chin, eyes, angle, p)
    (_, y1), (_, y2), (x3, _) = map_points(source_to_output(place, p.width, p.height), [crown, chin, eyes])
    assert y1 == pytest.approx(p.crown_y, abs=1e-4)
    assert y2 == pytest.approx(p.chin_y, abs=1e-4)
    assert x3 == pytest.approx(p.center_x, abs=1e-4)
    assert place.rect[2] / place.rect[3] == pytest.approx(p.width / p.height)


def test_render_follows_the_rotation_convention() -> None:
    """A dot at a known source point lands where source_to_output says, rotated about the rect centre."""
    p = load_preset("legacy-192x144")
    src = np.full((600, 600, 3), 255, np.uint8)
    src[295:306, 395:406] = (0, 0, 0)  # dot centred at (400, 300)
    place = Placement((250.0, 150.0, 300.0, 400.0), 20.0)
    ((u, v),) = map_points(source_to_output(place, p.width, p.height), [(400.5, 300.5)])
    out = np.asarray(render_crop(src, place.rect, place.rotation_deg, p))
    dark = np.argwhere(out.mean(axis=2) < 128)
    assert dark.size
    cy, cx = dark.mean(axis=0) + 0.5
    assert (cx, cy) == pytest.approx((u, v), abs=0.6)
    # Positive angle = counter-clockwise on screen: a point right of the pivot (400, 350) moves up.
    ((_, v_right),) = map_points(source_to_output(place, p.width, p.height), [(550.0, 350.0)])
    assert v_right < p.height / 2


def test_padding_detected_and_filled() -> None:
    p = load_preset("legacy-192x144")
    src = np.full((300, 300, 3), 40, np.uint8)
    place = Placement((-60.0, -80.0, 144.0, 192.0), 0.0)
    assert leaves_image(place, (300, 300))
    out = np.asarray(render_crop(src, place.rect, 0.0, p, pad_rgb=(1, 2, 3)))
    assert out[0, 0].tolist() == [1, 2, 3]
    assert out[-1, -1].tolist() == [40, 40, 40]
    assert not leaves_image(Placement((10.0, 10.0, 144.0, 192.0), 0.0), (300, 300))


@pytest.mark.parametrize(
    "lab1,lab2,expected",
    [
        ((50, 2.6772, -79.7751), (50, 0, -82.7485), 2.0425),
        ((50, -1.3802, -84.2814), (50, 0, -82.7485), 1.0000),
        ((50, 2.5, 0), (73, 25, -18), 27.1492),
        ((2.0776, 0.0795, -1.1350), (0.9033, -0.0636, -0.5514), 0.9082),
        ((90.8027, -2.0831, 1.4410), (91.1528, -1.6435, 0.0447), 1.4441),
    ],
)
def test_ciede2000_matches_sharma_reference(lab1, lab2, expected) -> None:
    assert float(delta_e2000(lab1, lab2)) == pytest.approx(expected, abs=1e-4)


def test_lab_of_white_and_registry_blue() -> None:
    assert rgb_to_lab([255, 255, 255]) == pytest.approx([100, 0, 0], abs=0.01)
    lightness, _, b = rgb_to_lab([100, 197, 255])
    assert 75 < lightness < 80 and b < -30
