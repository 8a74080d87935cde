"""Issue 14: the frame always shows. The view fits the crop rectangle and a margin, not the photo: on a tight
shot the yellow frame (and its crown line) runs past the photo's top, and fitting the photo put it off-screen."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF

from app.ui.capture.crop_view import CropView


def _corners_on_screen(view: CropView) -> list[QPointF]:
    _, _, w, h = view.rect
    to_widget = view._crop_transform() * view._view_transform()
    return [to_widget.map(QPointF(x, y)) for x, y in ((0, 0), (w, 0), (0, h), (w, h))]


def test_a_frame_above_a_tight_shot_stays_on_screen(qtbot):
    view = CropView()
    qtbot.addWidget(view)
    view.resize(700, 700)
    view.set_photo(np.full((1200, 800, 3), 128, np.uint8), 1.0)  # a portrait photo: it fills the height
    view.set_crop((200.0, -180.0, 420.0, 560.0), 0.0)  # the frame starts 180 px above the photo
    for p in _corners_on_screen(view):
        assert 0 <= p.x() <= 700 and 0 <= p.y() <= 700, p
    # With a margin: the frame does not touch the view's edge.
    top = min(p.y() for p in _corners_on_screen(view))
    assert top > 20


def test_the_view_stays_put_while_the_frame_moves_inside_it_and_follows_when_it_leaves(qtbot):
    view = CropView()
    qtbot.addWidget(view)
    view.resize(600, 600)
    view.set_photo(np.full((3000, 2000, 3), 128, np.uint8), 1.0)
    view.set_crop((700.0, 800.0, 600.0, 800.0), 0.0)
    before = view._view_transform()
    view.set_crop((710.0, 790.0, 600.0, 800.0), 0.0)  # a nudge
    assert view._view_transform() == before
    view.set_crop((100.0, 2000.0, 600.0, 800.0), 0.0)  # dragged far away: the view follows
    for p in _corners_on_screen(view):
        assert 0 <= p.x() <= 600 and 0 <= p.y() <= 600


def test_the_loupes_magnify_their_points_in_the_corner(qtbot):
    """A dark dot at the eyes' point shows, magnified, at the centre of the eyes' inset."""
    view = CropView()
    qtbot.addWidget(view)
    view.resize(700, 600)
    photo = np.full((1200, 900, 3), 230, np.uint8)
    photo[495:505, 395:405] = 0  # a 10 px dark dot at (400, 500)
    view.set_photo(photo, 1.0)
    view.set_crop((150.0, 200.0, 600.0, 800.0), 0.0)
    view.set_loupes([("眼睛", (400.0, 500.0)), ("头顶", (450.0, 260.0))])
    boxes = view.loupe_rects()
    assert len(boxes) == 2 and all(b.right() <= 700 and b.top() >= 0 for b in boxes)
    image = view.grab().toImage()
    centre = boxes[0].center().toPoint()
    assert image.pixelColor(centre.x() + 3, centre.y() + 3).value() < 60  # the dot, magnified
    corner = boxes[1].center().toPoint()
    assert image.pixelColor(corner.x() + 3, corner.y() + 3).value() > 200  # the crown's inset: bright there
