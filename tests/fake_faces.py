"""A stand-in for the face descriptor where a real face is not needed: a photo's mean colour is its "face".

Photos of one colour are "the same person" (distance 0), a red and a green photo are sqrt(2) ≈ 1.41 apart
(可能不是本人 at the 0.5 threshold), a black photo has "no face" (无法比对). Generated images only; the model,
dlib and YuNet are never reached.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from app.services.identity import compare
from app.services.photo.loading import PhotoLoadError, load_photo

RED, GREEN, BLACK = (200, 40, 40), (40, 200, 40), (0, 0, 0)


def fake_describe(source, faces=None) -> compare.Described:
    try:
        photo = load_photo(source, 64)
    except PhotoLoadError as exc:
        return compare.Described(None, str(exc))
    mean = photo.image.reshape(-1, 3).mean(axis=0) / 255.0
    if mean.sum() < 0.05:
        return compare.Described(None, f"{photo.name} 中未检测到人脸")
    vector = np.zeros(compare.DIMENSIONS)
    vector[:3] = mean
    return compare.Described(vector)


def use_fake_faces(monkeypatch) -> None:
    monkeypatch.setattr(compare, "describe", fake_describe)


def coloured_jpeg(path: Path, colour: tuple[int, int, int], size: tuple[int, int] = (150, 200)) -> Path:
    # the file's name in a comment: two students' pictures of one colour are different files, as real ones are
    Image.new("RGB", size, colour).save(path, "JPEG", quality=90, comment=str(path).encode())
    return path
