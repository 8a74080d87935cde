"""Capture day: take photos in for students, crop them to the preset, adjust, accept or mark a retake."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import asdict
from pathlib import Path

from PIL import Image
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, sessionmaker

from app.models import ACCEPTED_STATES, PendingShot, Photo, PhotoQC, Student, utcnow
from app.services.capture.codecard import read_codes
from app.services.capture.overrides import check_reason
from app.services.capture.photo_store import PhotoStore
from app.services.common import audit
from app.services.photo import (
    CropAdjust,
    CropResult,
    PhotoLoadError,
    PresetError,
    adjust_crop,
    crop_photo,
    load_photo,
    load_preset,
)
from app.services.photo.qc import QC_VERSION, hard_failures, rules_key, soft_failures

STATE_LABELS = {
    "none": "未拍摄",
    "pending": "待复核",
    "accepted": "合格",
    "override": "仍接受",
    "retake": "需重拍",
}
THUMB_SIZE = (36, 48)


class CaptureError(ValueError):
    """A capture action that cannot be done; the message is Chinese."""


class NeedsConfirmation(CaptureError):
    """Soft checks failed: accepting needs a reason from the list (capture.overrides)."""

    def __init__(self, message: str, failed: list[str]) -> None:
        super().__init__(message)
        self.failed = failed


class HardFailure(CaptureError):
    """A hard check failed: the photo can never be accepted, only retaken."""


# How the identity pre-check's "可能不是本人" (Photo.identity_verdict == "unlike") joins the soft checks.
IDENTITY_CHECK = {
    "name": "identity",
    "label": "可能不是本人",
    "message": "与录取照片的人脸比对提示，请核对本人",
}


def _describe(checks: list[dict]) -> str:
    return "；".join(
        str(c.get("label") or c.get("name")) + (f"（{c['message']}）" if c.get("message") else "")
        for c in checks
    )


def _rect_dict(rect) -> dict[str, float] | None:
    if rect is None:
        return None
    return {k: round(float(v), 2) for k, v in zip(("left", "top", "width", "height"), rect)}


def make_thumbnail(result: CropResult) -> bytes | None:
    if result.image is None:
        return None
    thumb = result.image.copy()
    thumb.thumbnail(THUMB_SIZE)
    buffer = io.BytesIO()
    thumb.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


class CaptureService:
    def __init__(self, sessions: sessionmaker[Session], store: PhotoStore, operator: str = "") -> None:
        self.sessions = sessions
        self.store = store
        self.operator = operator or audit.default_operator()

    # -- looking up ------------------------------------------------------------------------------
    def preset_for(self, student_id: int) -> str:
        with self.sessions() as s:
            student = s.get(Student, student_id)
            if student is None:
                raise CaptureError("找不到该学生")
            return student.station.default_preset

    def current_photo(self, student_id: int) -> Photo | None:
        with self.sessions() as s:
            return s.scalars(
                select(Photo)
                .where(Photo.student_id == student_id, Photo.is_current)
                .order_by(Photo.id.desc())
            ).first()

    def photo(self, photo_id: int) -> Photo:
        with self.sessions() as s:
            photo = s.get(Photo, photo_id, options=[joinedload(Photo.student)])
            if photo is None:
                raise CaptureError("找不到该照片")
            return photo

    def history(self, student_id: int) -> list[Photo]:
        with self.sessions() as s:
            return list(s.scalars(select(Photo).where(Photo.student_id == student_id).order_by(Photo.id)))

    def thumbnails(self, student_ids: list[int]) -> dict[int, bytes]:
        """Current thumbnails for a batch of students (the visible rows of a table)."""
        if not student_ids:
            return {}
        stmt = select(Photo.student_id, Photo.thumbnail).where(
            Photo.student_id.in_(student_ids), Photo.is_current, Photo.thumbnail.is_not(None)
        )
        with self.sessions() as s:
            return {sid: thumb for sid, thumb in s.execute(stmt)}

    def next_student(self, station_id: int, after_shot_no: int | None) -> int | None:
        """The next student in roster order without an accepted photo (wrapping round), or None."""
        stmt = (
            select(Student.id, Student.shot_no)
            .where(
                Student.station_id == station_id,
                Student.withdrawn.is_(False),
                Student.photo_state.not_in(ACCEPTED_STATES),
            )
            .order_by(Student.shot_no)
        )
        with self.sessions() as s:
            rows = s.execute(stmt).all()
        if not rows:
            return None
        after = after_shot_no if after_shot_no is not None else 0
        later = [r for r in rows if r.shot_no > after]
        return (later or rows)[0].id

    # -- taking photos in --------------------------------------------------------------------------
    def take_in(
        self,
        student_id: int,
        source: Path | str,
        kind: str = "hotfolder",
        preset: str | None = None,
        original_name: str | None = None,
    ) -> int:
        """Copy a photo into the store and make it the student's current photo; returns the Photo id.

        `preset`: the preset its crop will be (or was) made for; the station's default when None."""
        source = Path(source)
        stored = self.store.add(source)
        try:
            taken = dt.datetime.fromtimestamp(source.stat().st_mtime)
        except OSError:
            taken = None
        with self.sessions.begin() as s:
            student = s.get(Student, student_id)
            if student is None:
                raise CaptureError("找不到该学生")
            previous = s.scalars(select(Photo).where(Photo.student_id == student_id, Photo.is_current)).all()
            for old in previous:
                old.is_current = False
            photo = Photo(
                student_id=student_id,
                is_current=True,
                sha256=stored.sha256,
                stored_name=stored.stored_name,
                original_name=original_name or source.name,
                source_path=str(source),
                source_kind=kind,
                size_bytes=stored.size,
                taken_at=taken,
                preset=preset or student.station.default_preset,
                review="pending",
            )
            s.add(photo)
            old_state = student.photo_state
            student.photo_state = "pending"
            s.flush()
            action = "photo-retake" if previous else "photo-take"
            verb = "重拍，替换原照片" if previous else "拍摄"
            audit.record(
                s,
                self.operator,
                action,
                "student",
                student_id,
                f"{verb}：{student.student_no} {student.name}（{source.name}）",
                {"photo_state": old_state, "photo_ids": [p.id for p in previous]},
                {"photo_state": "pending", "photo_id": photo.id, "sha256": stored.sha256},
            )
            return photo.id

    # -- the 待分配 tray -------------------------------------------------------------------------------
    def hold(self, station_id: int, source: Path | str, note: str = "未选择学生") -> int:
        """A photo with no student to bind it to: its original goes into the store, the tray lists it."""
        source = Path(source)
        stored = self.store.add(source)
        with self.sessions.begin() as s:
            shot = PendingShot(
                station_id=station_id,
                sha256=stored.sha256,
                stored_name=stored.stored_name,
                original_name=source.name,
                source_path=str(source),
                note=note[:300],
            )
            s.add(shot)
            s.flush()
            audit.record(
                s, self.operator, "photo-hold", "station", station_id, f"待分配照片：{source.name}（{note}）"
            )
            return shot.id

    def pending(self, station_id: int) -> list[PendingShot]:
        with self.sessions() as s:
            return list(
                s.scalars(
                    select(PendingShot).where(PendingShot.station_id == station_id).order_by(PendingShot.id)
                )
            )

    def assign_pending(self, pending_id: int, student_id: int) -> int:
        """Bind a waiting photo to a student (it becomes the student's current photo, 待复核); returns its id."""
        with self.sessions() as s:
            shot = s.get(PendingShot, pending_id)
            if shot is None:
                raise CaptureError("这张待分配照片已被分配或删除")
            stored_name, original = shot.stored_name, shot.original_name
            student = s.get(Student, student_id)
            if student is None:
                raise CaptureError("找不到该学生")
            if student.withdrawn:
                raise CaptureError(f"{student.student_no} {student.name} 已学籍异动，不能分配照片")
        photo_id = self.take_in(student_id, self.store.path(stored_name), "tray", original_name=original)
        with self.sessions.begin() as s:
            shot = s.get(PendingShot, pending_id)
            if shot is not None:
                s.delete(shot)
        return photo_id

    def unassign(self, photo_id: int, state_before: str) -> int:
        """Undo of a tray assignment: the photo goes back to the tray, the student's earlier photo (if any) and
        state come back. Refused when the student has had another photo since. Returns the new tray entry."""
        with self.sessions.begin() as s:
            photo = s.get(Photo, photo_id)
            if photo is None or photo.source_kind != "tray":
                raise CaptureError("这张照片已不是从待分配分来的，无法撤销")
            student = photo.student
            newer = s.scalars(
                select(Photo.id).where(Photo.student_id == student.id, Photo.id > photo_id)
            ).first()
            if newer is not None or not photo.is_current:
                raise CaptureError(f"{student.student_no} {student.name} 之后又有了新照片，无法撤销这次分配")
            earlier = s.scalars(
                select(Photo)
                .where(Photo.student_id == student.id, Photo.id < photo_id)
                .order_by(Photo.id.desc())
            ).first()
            if earlier is not None:
                earlier.is_current = True
            student.photo_state = state_before
            shot = PendingShot(
                station_id=student.station_id,
                sha256=photo.sha256,
                stored_name=photo.stored_name,
                original_name=photo.original_name,
                source_path=photo.source_path or "",
                note="撤销分配",
            )
            s.add(shot)
            s.delete(photo)
            s.flush()
            audit.record(
                s,
                self.operator,
                "photo-unassign",
                "student",
                student.id,
                f"撤销分配：{photo.original_name} 退回待分配（{student.student_no} {student.name}）",
            )
            return shot.id

    def discard_pending(self, pending_id: int) -> None:
        """Take a waiting photo off the tray (its original stays in the store, as every original does)."""
        with self.sessions.begin() as s:
            shot = s.get(PendingShot, pending_id)
            if shot is not None:
                audit.record(
                    s,
                    self.operator,
                    "photo-discard",
                    "station",
                    shot.station_id,
                    f"删除待分配照片：{shot.original_name}",
                )
                s.delete(shot)

    def pending_thumbnail(self, pending_id: int, side: int = 96) -> bytes | None:
        with self.sessions() as s:
            shot = s.get(PendingShot, pending_id)
            name = shot.stored_name if shot is not None else None
        if name is None:
            return None
        try:
            photo = load_photo(self.store.path(name), min_long_side=side)
        except PhotoLoadError:
            return None
        image = Image.fromarray(photo.image)
        image.thumbnail((side, side))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=80)
        return buffer.getvalue()

    # -- cropping -----------------------------------------------------------------------------------
    def crop(self, photo_id: int) -> CropResult | None:
        """Run the automatic crop on the stored original and record it; None if the file is unreadable."""
        photo = self.photo(photo_id)
        path = self.store.path(photo.stored_name)
        try:
            result = crop_photo(path, photo.preset)
        except PhotoLoadError as exc:
            # The message names the store's copy (its SHA-256 name); the photographer knows the camera's name.
            message = str(exc).replace(path.name, photo.original_name or path.name)
            with self.sessions.begin() as s:
                p = s.get(Photo, photo_id)
                p.qc_status, p.error, p.qc = "error", message, None
            return None
        self._record(photo_id, result, auto=True)
        return result

    def take_shot(self, student_id: int, path: Path | str, preset, find_student=None) -> tuple:
        """A new camera file: crop it, and bind it to the student unless it is a code card.

        Returns ("photo", student_id, photo_id, result), ("switch", other_student_id, None, code) when
        a QR/barcode naming a student was photographed, or ("error", student_id, photo_id, None) when
        the file cannot be read (the original is still kept in the store).
        """

        try:
            result = crop_photo(path, preset)
        except PhotoLoadError:
            photo_id = self.take_in(student_id, path, "hotfolder")
            self.crop(photo_id)  # records the error message with the photo
            return ("error", student_id, photo_id, None)
        if result.faces == 0 and result.photo is not None and find_student is not None:
            codes = read_codes(result.photo.image)
            for code in codes:
                other = find_student(code)
                if other is not None:
                    return ("switch", other, None, code)
            if codes:  # a code card naming nobody: never bound to whoever happens to be selected
                with self.sessions() as s:
                    station_id = s.get(Student, student_id).station_id
                pending_id = self.hold(station_id, path, f"学生码 {codes[0][:40]} 未找到")
                return ("hold", None, pending_id, codes[0])
        photo_id = self.take_in(student_id, path, "hotfolder", preset=result.preset.name)
        self.record_auto(photo_id, result)
        return ("photo", student_id, photo_id, result)

    def record_auto(self, photo_id: int, result: CropResult) -> None:
        """Record an automatic crop computed elsewhere (the capture worker crops before binding)."""
        self._record(photo_id, result, auto=True)

    def render(self, photo_id: int) -> CropResult | None:
        """Render the photo from its original and stored parameters (nothing rendered is ever stored)."""
        photo = self.photo(photo_id)
        if photo.crop_rect is None:
            return self.crop(photo_id)
        adjust = CropAdjust(rect=photo.crop_rect, rotation_deg=photo.crop_rotation)
        return crop_photo(self.store.path(photo.stored_name), photo.preset, adjust)

    def remeasure(self, photo_id: int) -> CropResult | None:
        """Check the crop in force again with today's engine and record only the results (no audit: the
        crop itself does not change). None when the photo has no crop or cannot be read."""
        photo = self.photo(photo_id)
        if photo.crop_rect is None:
            return None
        adjust = CropAdjust(rect=photo.crop_rect, rotation_deg=photo.crop_rotation)
        try:
            result = crop_photo(self.store.path(photo.stored_name), photo.preset, adjust)
        except PhotoLoadError:
            return None
        with self.sessions.begin() as s:
            p = s.get(Photo, photo_id)
            p.qc_status, p.qc, p.qc_version = result.status, [asdict(c) for c in result.checks], QC_VERSION
            p.qc_rules = rules_key(result.preset)
        return result

    def measure_preset(self, photo_id: int, preset: str) -> str:
        """Check a photo under `preset` and keep the result: its own preset re-measures the crop in force
        (remeasure); another preset measures that preset's automatic crop, stored in PhotoQC.
        Returns the status (ok/warn/fail); CaptureError when the original cannot be read (nothing is kept)."""
        photo = self.photo(photo_id)
        if preset == photo.preset:
            result = self.remeasure(photo_id)
            if result is None:
                raise CaptureError(f"原始照片无法读取：{photo.original_name or photo.stored_name}")
            return result.status
        path = self.store.path(photo.stored_name)
        try:
            result = crop_photo(path, preset)
        except PhotoLoadError as exc:
            # Nothing is kept: once the original is back, the photo is measured as if for the first time.
            raise CaptureError(
                f"原始照片无法读取：{str(exc).replace(path.name, photo.original_name or path.name)}"
            ) from None
        else:
            checks, status = [asdict(c) for c in result.checks], result.status
            rect = None
            if result.rect is not None:
                rect = {**(_rect_dict(result.rect) or {}), "rotation": round(result.rotation_deg, 4)}
            if result.image is None:
                checks.append(
                    {
                        "name": "render",
                        "label": "裁剪",
                        "verdict": "fail",
                        "hard": True,
                        "message": "按该规格未能裁剪（未找到人脸）",
                    }
                )
        values = {
            "qc_version": QC_VERSION,
            "qc_rules": rules_key(result.preset),
            "status": status,
            "checks": checks,
            "rect": rect,
            "at": utcnow(),
        }
        for attempt in (1, 2):
            try:
                with self.sessions.begin() as s:
                    row = s.scalars(
                        select(PhotoQC).where(PhotoQC.photo_id == photo_id, PhotoQC.preset == preset)
                    ).first()
                    if row is None:
                        row = PhotoQC(photo_id=photo_id, preset=preset)
                        s.add(row)
                    for key, value in values.items():
                        setattr(row, key, value)
                break
            except IntegrityError:
                # Another writer measured the same photo and preset at the same moment: update its row.
                if attempt == 2:
                    raise CaptureError("另一台电脑正在检查同一张照片，请稍后重试") from None
        return status

    def adjust(self, photo_id: int, rect, rotation_deg: float, base: CropResult | None = None) -> CropResult:
        """A person's nudge: re-render from the original (reusing `base`'s detection) and record it."""
        adjust = CropAdjust(rect=tuple(float(v) for v in rect), rotation_deg=float(rotation_deg))
        if base is not None and base.analysis is not None:
            result = adjust_crop(base, adjust)
        else:
            photo = self.photo(photo_id)
            result = crop_photo(self.store.path(photo.stored_name), photo.preset, adjust)
        self._record(photo_id, result, auto=False)
        return result

    def reset(self, photo_id: int, base: CropResult | None = None) -> CropResult | None:
        """Back to the automatic crop."""
        photo = self.photo(photo_id)
        if photo.auto_rect is None:
            return self.crop(photo_id)
        result = self.adjust(photo_id, photo.auto_rect, photo.auto_rotation, base)
        with self.sessions.begin() as s:
            s.get(Photo, photo_id).adjusted = False
        return result

    def _record(self, photo_id: int, result: CropResult, auto: bool) -> None:
        with self.sessions.begin() as s:
            photo = s.get(Photo, photo_id)
            old = {
                "rect": _rect_dict(photo.crop_rect),
                "rotation": photo.crop_rotation,
                "qc": photo.qc_status,
            }
            rect = result.rect
            if auto:
                photo.auto_left, photo.auto_top, photo.auto_width, photo.auto_height = rect or (None,) * 4
                photo.auto_rotation = result.rotation_deg
            photo.crop_left, photo.crop_top, photo.crop_width, photo.crop_height = rect or (None,) * 4
            photo.crop_rotation = result.rotation_deg
            photo.adjusted = not auto
            photo.source_width, photo.source_height = result.source_size
            photo.qc_status = result.status
            photo.qc = [asdict(c) for c in result.checks]
            photo.qc_version = QC_VERSION
            photo.qc_rules = rules_key(result.preset)
            photo.faces = result.faces
            photo.error = ""
            photo.thumbnail = make_thumbnail(result)
            student = photo.student
            changed = (
                old["rect"] != _rect_dict(result.rect)
                or abs(float(old["rotation"] or 0.0) - float(result.rotation_deg)) > 1e-6
            )
            if photo.is_current and student.photo_state in ACCEPTED_STATES and changed:
                before = student.photo_state
                student.photo_state = "pending"  # a changed crop must be looked at again
                photo.review = "pending"
                photo.override_reason = ""
                if auto:  # a person's adjustment is audited below; an automatic re-crop says so here
                    audit.record(
                        s,
                        self.operator,
                        "photo-recrop",
                        "student",
                        photo.student_id,
                        f"自动重新裁剪，改变了已接受的照片，需重新复核：{student.student_no} {student.name}",
                        {**old, "photo_state": before},
                        {"rect": _rect_dict(rect), "photo_state": "pending"},
                    )
            if not auto:
                audit.record(
                    s,
                    self.operator,
                    "photo-adjust",
                    "student",
                    photo.student_id,
                    f"手动调整裁剪：{student.student_no} {student.name}",
                    old,
                    {"rect": _rect_dict(rect), "rotation": result.rotation_deg, "qc": result.status},
                )

    # -- verdicts ------------------------------------------------------------------------------------
    def accept(self, photo_id: int, reason: str | None = None, note: str = "") -> str:
        """Accept a photo; returns the state it is now in ("accepted" or "override").

        A hard failure (HardFailure) can never be accepted. Soft failures need `reason`, one of
        capture.overrides.override_reasons() (NeedsConfirmation says which checks failed); the photo is
        then 仍接受 ("override"), the reason is kept with it and in the operation log.
        """
        current = self.photo(photo_id)
        try:
            rules = load_preset(current.preset)
        except PresetError as exc:
            raise CaptureError(str(exc)) from None
        if current.crop_rect is not None and current.qc_rules != rules_key(rules):
            # Measured by an older engine, under the preset as it was, or in another store: measure again.
            if self.remeasure(photo_id) is None:
                raise CaptureError(f"原始照片无法读取：{current.original_name or current.stored_name}")
        with self.sessions.begin() as s:
            photo = s.get(Photo, photo_id)
            if photo is None:
                raise CaptureError("找不到该照片")
            if not photo.is_current:
                raise CaptureError("这张照片已被新拍的照片替换，不能再接受；请复核当前照片")
            if photo.crop_rect is None:
                raise CaptureError("这张照片没有可用的裁剪结果（未找到人脸或文件无法读取），不能接受")
            if photo.qc_rules != rules_key(rules):
                raise CaptureError("这张照片的质量检查不是按当前规格做的，请重新裁剪后再接受")
            checks = photo.qc or []
            hard = hard_failures(checks, rules)
            if hard:
                raise HardFailure(f"硬性检查未通过，不能接受，请重拍：{_describe(hard)}")
            soft = soft_failures(checks, rules)
            if photo.identity_verdict == "unlike":
                # The identity pre-check is one more soft check: advice to look, accepted with a reason.
                soft = [*soft, IDENTITY_CHECK]
            stored_reason = ""
            if soft:
                if reason is None:
                    names = [str(c.get("label") or c.get("name")) for c in soft]
                    raise NeedsConfirmation(
                        f"软性检查未通过：{_describe(soft)}。如确认可用，请选择仍接受的理由。", names
                    )
                try:
                    stored_reason = check_reason(reason, note)
                except ValueError as exc:
                    raise CaptureError(str(exc)) from None
            student = photo.student
            state = "override" if soft else "accepted"
            old = {"photo_state": student.photo_state, "review": photo.review}
            photo.review, photo.reviewed_at, photo.reviewed_by = "accepted", utcnow(), self.operator
            photo.override_reason = stored_reason
            student.photo_state = state
            summary = f"接受照片：{student.student_no} {student.name}"
            if soft:
                failed = "、".join(str(c.get("label") or c.get("name")) for c in soft)
                summary += f"（仍接受：{failed}未通过；理由：{stored_reason}）"
            audit.record(
                s,
                self.operator,
                "photo-accept-override" if soft else "photo-accept",
                "student",
                student.id,
                summary,
                old,
                {
                    "photo_state": state,
                    "review": "accepted",
                    "photo_id": photo_id,
                    "qc": photo.qc_status,
                    "reason": stored_reason,
                },
            )
            return state

    def mark_retake(self, student_id: int, reason: str = "") -> None:
        with self.sessions.begin() as s:
            student = s.get(Student, student_id)
            if student is None:
                raise CaptureError("找不到该学生")
            photo = s.scalars(select(Photo).where(Photo.student_id == student_id, Photo.is_current)).first()
            old = {"photo_state": student.photo_state}
            student.photo_state = "retake"
            if photo is not None:
                photo.review = "retake"
            audit.record(
                s,
                self.operator,
                "photo-mark-retake",
                "student",
                student_id,
                f"标记需重拍：{student.student_no} {student.name}" + (f"（{reason}）" if reason else ""),
                old,
                {"photo_state": "retake"},
            )

    def restore_state(
        self, student_id: int, state: str, review: str | None = None, photo_id: int | None = None
    ) -> None:
        """Undo of accept/retake: put the state back as it was (audited like any change).

        `photo_id` is the photo the undone action was about: if another photo has been taken since, the
        old verdict does not belong to it and nothing changes (CaptureError says why)."""
        with self.sessions.begin() as s:
            student = s.get(Student, student_id)
            photo = s.scalars(select(Photo).where(Photo.student_id == student_id, Photo.is_current)).first()
            if photo_id is not None and (photo is None or photo.id != photo_id):
                raise CaptureError("该学生已有新拍的照片，不能撤销对旧照片的操作")
            old = {"photo_state": student.photo_state}
            student.photo_state = state
            if photo is not None and review is not None:
                photo.review = review
            if photo is not None and state != "override":
                photo.override_reason = ""
            audit.record(
                s,
                self.operator,
                "photo-state-undo",
                "student",
                student_id,
                f"撤销照片状态：{student.student_no} {student.name}",
                old,
                {"photo_state": state},
            )


__all__ = ["CaptureService", "CaptureError", "HardFailure", "NeedsConfirmation", "STATE_LABELS"]
