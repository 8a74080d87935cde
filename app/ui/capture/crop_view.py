"""The source photo with the crop rectangle and the preset's framing guide drawn over it.

Drag moves the rectangle, the wheel scales it (aspect kept); the tab handles the keyboard.
Coordinates: the rectangle is in source pixels (after EXIF orientation), rotated by `rotation_deg`
about its centre (positive = counter-clockwise, OpenCV's convention) before it is cut.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPixmap, QTransform
from PySide6.QtWidgets import QSizePolicy, QWidget

Rect = tuple[float, float, float, float]


FIT_MARGIN = 0.15  # of the crop's height, on every side of it
LOUPE_SIZE = (150, 110)  # widget px of each magnified inset
LOUPE_ZOOM = 3.0  # times the view's own scale


def array_to_qimage(array: np.ndarray) -> QImage:
    array = np.ascontiguousarray(array[:, :, :3])
    h, w = array.shape[:2]
    return QImage(array.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


class CropView(QWidget):
    rectEdited = Signal(object, float)  # (rect, rotation) after a mouse drag or wheel step ends
    rectMoving = Signal(object, float)  # continuously while dragging, for the live preview

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(360, 360)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(False)
        self._pixmap: QPixmap | None = None
        self._scale = 1.0  # source px per pixmap px
        self.rect: Rect | None = None
        self.rotation = 0.0
        self.guides: dict[str, object] = {}
        self.message = ""
        self._drag_from: QPointF | None = None
        self._drag_rect: Rect | None = None
        self._fit: QRectF | None = None  # the source region the view shows: the crop plus a margin
        self.loupes: list[tuple[str, tuple[float, float]]] = []  # (label, source point) magnified in a corner

    # -- content ---------------------------------------------------------------------------------
    def set_photo(self, image: np.ndarray | None, scale: float) -> None:
        self._pixmap = QPixmap.fromImage(array_to_qimage(image)) if image is not None else None
        self._scale = scale
        self._fit = None
        self.loupes = []
        self.update()

    def set_crop(self, rect: Rect | None, rotation: float) -> None:
        self.rect = tuple(float(v) for v in rect) if rect is not None else None  # type: ignore[assignment]
        self.rotation = float(rotation)
        if self.rect is not None and (self._fit is None or not self._fit.contains(self.crop_bounds())):
            self.fit_to_crop()  # a new photo, or the frame left the view: show it all again
        self.update()

    def crop_bounds(self) -> QRectF:
        """The crop rectangle's extent in source px (its bounding box when turned)."""
        _, _, w, h = self.rect  # type: ignore[misc]
        return self._crop_transform().mapRect(QRectF(0, 0, w, h))

    def fit_to_crop(self) -> None:
        """Show the crop rectangle and a margin around it, whatever part of the photo that is: on a tight shot
        the frame and the crown line run past the photo, and fitting the photo put them off-screen. The view
        stays put while the frame is dragged inside it (no jumping under the mouse)."""
        if self.rect is None:
            self._fit = None
            return
        box = self.crop_bounds()
        margin = FIT_MARGIN * box.height()
        self._fit = box.adjusted(-margin, -margin, margin, margin)

    def set_guides(
        self,
        width: int,
        height: int,
        crown_y: float,
        chin_y: float,
        band: tuple[float, float],
        center_x: float,
    ) -> None:
        """The preset's lines as fractions of the output: crown, chin, side band, centre."""
        self.guides = {
            "crown": crown_y / height,
            "chin": chin_y / height,
            "band": (band[0] / width, band[1] / width),
            "center": center_x / width,
        }
        self.update()

    def set_loupes(self, points: list[tuple[str, tuple[float, float]]]) -> None:
        """Magnified insets of these source points (the eyes, the crown), so the photographer judges focus and
        the crown line without zooming the whole view."""
        self.loupes = [(label, (float(x), float(y))) for label, (x, y) in points]
        self.update()

    def loupe_rects(self) -> list[QRectF]:
        """Where the insets sit: the top-right corner, one under the other."""
        w, h = LOUPE_SIZE
        return [
            QRectF(self.width() - w - 8, 8 + i * (h + 8), w, h)
            for i in range(len(self.loupes))
            if self.width() > 2 * w and self.height() > (i + 1) * (h + 8)
        ]

    def _paint_loupes(self, painter: QPainter, view: QTransform) -> None:
        if self._pixmap is None:
            return
        zoom = LOUPE_ZOOM * view.m11()  # widget px per source px inside the inset
        for (label, (x, y)), box in zip(self.loupes, self.loupe_rects()):
            painter.save()
            painter.setClipRect(box)
            painter.fillRect(box, QColor("#000000"))
            centre = box.center()
            t = QTransform()
            t.translate(centre.x() - x * zoom, centre.y() - y * zoom)
            t.scale(zoom, zoom)
            painter.setTransform(QTransform().scale(self._scale, self._scale) * t)
            painter.drawPixmap(0, 0, self._pixmap)
            painter.resetTransform()
            painter.setPen(QPen(QColor("#ff5252"), 1))
            painter.drawLine(QPointF(centre.x() - 10, centre.y()), QPointF(centre.x() + 10, centre.y()))
            painter.drawLine(QPointF(centre.x(), centre.y() - 10), QPointF(centre.x(), centre.y() + 10))
            painter.setClipping(False)
            painter.setPen(QPen(QColor("#ffd54f"), 2))
            painter.drawRect(box)
            painter.setPen(QColor("#ffffff"))
            painter.drawText(
                box.adjusted(6, 4, -6, -4), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, label
            )
            painter.restore()

    def set_message(self, text: str) -> None:
        self.message = text
        self.update()

    # -- geometry ------------------------------------------------------------------------------------
    def _view_transform(self) -> QTransform:
        """Source px → widget px: fit the crop and its margin (or, with no crop yet, the whole photo)."""
        if self._pixmap is None:
            return QTransform()
        region = self._fit or QRectF(
            0, 0, self._pixmap.width() * self._scale, self._pixmap.height() * self._scale
        )
        k = min(self.width() / region.width(), self.height() / region.height())
        dx = (self.width() - region.width() * k) / 2 - region.left() * k
        dy = (self.height() - region.height() * k) / 2 - region.top() * k
        return QTransform(k, 0, 0, k, dx, dy)

    def _crop_transform(self) -> QTransform:
        """Crop-rect px (0..w, 0..h) → source px, honouring the rotation."""
        left, top, w, h = self.rect  # type: ignore[misc]
        cx, cy = left + w / 2, top + h / 2
        t = QTransform()
        t.translate(cx, cy)
        # Rotating the image counter-clockwise before cutting = a rectangle turned clockwise on screen.
        t.rotate(self.rotation)
        t.translate(-w / 2, -h / 2)
        return t

    # -- painting ------------------------------------------------------------------------------------
    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect_widget(), QColor("#2b2b2b"))
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self._pixmap is not None:
            view = self._view_transform()
            painter.setTransform(QTransform().scale(self._scale, self._scale) * view)
            painter.drawPixmap(0, 0, self._pixmap)
            if self.rect is not None:
                self._paint_crop(painter, view)
            if self.loupes:
                painter.resetTransform()
                self._paint_loupes(painter, view)
        if self.message:
            painter.resetTransform()
            painter.setPen(QColor("#ffffff"))
            painter.drawText(
                self.rect_widget().adjusted(12, 12, -12, -12),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom | Qt.TextFlag.TextWordWrap,
                self.message,
            )
        painter.end()

    def rect_widget(self) -> QRectF:
        return QRectF(0, 0, self.width(), self.height())

    def _paint_crop(self, painter: QPainter, view: QTransform) -> None:
        _, _, w, h = self.rect  # type: ignore[misc]
        painter.setTransform(self._crop_transform() * view)
        # Dim everything outside the crop so the framing reads at a glance.
        shade = QColor(0, 0, 0, 110)
        big = 20 * max(w, h)
        painter.fillRect(QRectF(-big, -big, 2 * big + w, big), shade)
        painter.fillRect(QRectF(-big, h, 2 * big + w, big), shade)
        painter.fillRect(QRectF(-big, 0, big, h), shade)
        painter.fillRect(QRectF(w, 0, big, h), shade)
        pen = QPen(QColor("#ffd400"), 0)
        pen.setCosmetic(True)
        pen.setWidthF(2)
        painter.setPen(pen)
        painter.drawRect(QRectF(0, 0, w, h))
        g = self.guides
        if not g:
            return
        line = QPen(QColor("#00e5ff"))
        line.setCosmetic(True)
        line.setWidthF(1.5)
        painter.setPen(line)
        for key in ("crown", "chin"):
            y = g[key] * h  # type: ignore[operator]
            painter.drawLine(QPointF(0, y), QPointF(w, y))
        for fx in g["band"]:  # type: ignore[union-attr]
            painter.drawLine(QPointF(fx * w, 0), QPointF(fx * w, h))
        dash = QPen(QColor("#00e5ff"))
        dash.setCosmetic(True)
        dash.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(dash)
        cx = g["center"] * w  # type: ignore[operator]
        painter.drawLine(QPointF(cx, 0), QPointF(cx, h))

    # -- mouse ---------------------------------------------------------------------------------------
    def _to_source(self, pos: QPointF) -> QPointF:
        inverted, ok = self._view_transform().inverted()
        return inverted.map(pos) if ok else pos

    def mousePressEvent(self, event) -> None:
        if self.rect is not None and event.button() == Qt.MouseButton.LeftButton:
            self._drag_from = self._to_source(event.position())
            self._drag_rect = self.rect
        self.setFocus()

    def mouseMoveEvent(self, event) -> None:
        if self._drag_from is None or self._drag_rect is None:
            return
        now = self._to_source(event.position())
        dx, dy = now.x() - self._drag_from.x(), now.y() - self._drag_from.y()
        left, top, w, h = self._drag_rect
        self.rect = (left + dx, top + dy, w, h)
        self.update()
        self.rectMoving.emit(self.rect, self.rotation)

    def mouseReleaseEvent(self, event) -> None:
        if self._drag_from is not None and self.rect != self._drag_rect:
            self.rectEdited.emit(self.rect, self.rotation)
        self._drag_from = None
        self._drag_rect = None

    def wheelEvent(self, event) -> None:
        if self.rect is None:
            return
        steps = event.angleDelta().y() / 120
        if steps:
            self.rect = scaled_rect(self.rect, 0.97**steps)
            self.update()
            self.rectEdited.emit(self.rect, self.rotation)


def scaled_rect(rect: Rect, factor: float) -> Rect:
    """Scale about the centre, keeping the aspect ratio."""
    left, top, w, h = rect
    cx, cy = left + w / 2, top + h / 2
    nw, nh = w * factor, h * factor
    return (cx - nw / 2, cy - nh / 2, nw, nh)
