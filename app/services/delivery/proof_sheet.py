"""Proof sheets: per class, the cropped photos with 姓名, 学号 and 拍摄序号, for students to confirm.

This module gathers the data (Qt-free); app/printing/proof_sheet_pdf.py lays it out as a PDF.
Students without a usable photo still get a cell (an empty frame saying why), so nobody is missed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.models import ACCEPTED_STATES
from app.services.capture.photo_store import PhotoStore
from app.services.common.classes import UNASSIGNED, group_by_class
from app.services.delivery.photos import render_delivery_jpeg
from app.services.delivery.source import Delivery, DeliveryError
from app.services.photo import Preset, load_preset
from app.services.photo.naming import file_name_problem


@dataclass(frozen=True)
class ProofItem:
    shot_no: int
    name: str
    student_no: str
    jpeg: bytes | None
    note: str  # why there is no photo, or that it is not accepted yet


@dataclass(frozen=True)
class ProofClass:
    class_name: str
    items: tuple[ProofItem, ...]

    @property
    def file_stem(self) -> str:
        stem = self.class_name if not file_name_problem(self.class_name + ".pdf") else ""
        return stem or "".join(c if c.isalnum() else "_" for c in self.class_name) or UNASSIGNED


def proof_classes(
    delivery: Delivery,
    store: PhotoStore,
    preset: str | Preset | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[ProofClass]:
    """Render every student's photo at the station's preset, grouped by class in 拍摄序号 order."""
    p = load_preset(preset or delivery.station.default_preset)
    total, done = len(delivery.students), 0
    out = []
    for name, students in group_by_class(delivery.students).items():
        items = []
        for s in students:
            if cancelled is not None and cancelled():
                raise DeliveryError("已取消")
            jpeg, note = None, ""
            if s.photo is None:
                note = "未拍摄"
            else:
                try:
                    jpeg = render_delivery_jpeg(store, s.photo, p)
                except DeliveryError as exc:
                    note = str(exc)
                else:
                    if s.photo_state not in ACCEPTED_STATES:  # 仍接受 is accepted: students see no difference
                        note = "照片未确认"
            items.append(ProofItem(s.shot_no, s.name, s.student_no, jpeg, note))
            done += 1
            if progress is not None:
                progress(done, total)
        out.append(ProofClass(name, tuple(items)))
    return out
