"""Face width, cheek to cheek: YuNet's box width and the irises' distance, calibrated on hand measurements.

YuNet's box is a learned box around eyes, nose and mouth, not the cheek line: on the 19 shared photos
(tests/data/face_widths.csv, measured by eye on the row half-way between the eyes and the mouth) it is
4.7 % wider in the median and up to 22 % off. The distance between the irises (detect.refine_eyes)
times a constant is worse alone (median 6.0 %, worst 21 %: face shapes differ more than boxes do).
Weighted 3 : 1, each scaled by its median ratio to the hand widths, they come to a median error of
3.8 %, 18 of 19 within 10 % and a worst case of 15 %, counted leave-one-out (each photo's constants
fitted on the other 18); tests/services/photo/test_face_width.py holds the check.

A traced skin edge was tried and given up: at the cheek row the ears, a shadow along the jaw and grey
backdrops close to skin colour put it 20-50 % off on 5 of the shared photos. With errors up to 15 %,
the CHSI face-width check stays soft (a warning an operator may accept), never hard.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .detect import Face

# Hand-measured width over YuNet's box width and over the irises' distance: medians on the shared photos.
PER_BOX = 0.955
PER_IPD = 2.142
BOX_WEIGHT = 0.75


@dataclass(frozen=True)
class FaceWidth:
    """Cheek-to-cheek width in source px, and the two measures it comes from."""

    width: float
    box: float
    ipd: float


def face_width(face: Face) -> FaceWidth:
    """The face's width cheek to cheek, in source px (an estimate; see the module docstring)."""
    (x1, y1), (x2, y2) = face.right_eye, face.left_eye
    ipd = math.hypot(x2 - x1, y2 - y1)
    box = face.box[2]
    return FaceWidth(BOX_WEIGHT * PER_BOX * box + (1 - BOX_WEIGHT) * PER_IPD * ipd, box, ipd)
