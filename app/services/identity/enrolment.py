"""Enrolment (admission) photos: a folder named by 身份证号, 学号 or 考生号 taken into the photo store beside
each student, their descriptors computed once, and the verdict of a student's photo against them.

Face data is sensitive personal information: the originals stay in the user-only photo store (byte for byte,
content-addressed like every photo), the descriptors in the store's database; both go when the student goes
(the row by ON DELETE CASCADE, the file by `prune_files`), and a station can switch the check off.
"""

from __future__ import annotations

import hashlib
import re
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from app.models import EnrolmentPhoto, Photo, Station, Student
from app.services.capture.photo_import import photo_files
from app.services.capture.photo_store import ENROLMENT_FOLDER, PhotoStore
from app.services.common import audit
from app.services.common.files import open_no_follow, os_reason
from app.services.common.masking import mask_id_numbers
from app.services.photo.crop import cached_detection
from app.services.photo.loading import PhotoLoadError, load_photo
from app.services.standards.idcard import IdNumberError, parse_id_number

from . import compare as cmp
from .model import MODEL_VERSION

MATCH_KEYS = {
    "id_number": "身份证号",
    "student_no": "学号",
    "exam_no": "考生号",
    "enrolment_file": "录取照片文件名",
}
# A roster's 录取照片文件名 that two students share: a file of that name belongs to neither for certain.
_SHARED = -1


class EnrolmentCancelled(Exception):
    def __init__(self) -> None:
        super().__init__("录取照片导入已取消")


@dataclass
class EnrolmentMatch:
    """A folder's files sorted: one student each, none, several, or not a readable image."""

    matched: list[tuple[Path, int]] = field(default_factory=list)  # file, student id
    unmatched: list[Path] = field(default_factory=list)
    ambiguous: list[tuple[Path, str]] = field(default_factory=list)  # file, why
    damaged: list[tuple[Path, str]] = field(default_factory=list)  # file, why (Chinese, names the file)
    # The SHA-256 of each matched file as it was checked: the import refuses a file changed since.
    digests: dict[Path, str] = field(default_factory=dict)

    def summary(self) -> str:
        return (
            f"匹配 {len(self.matched)} 个，未匹配 {len(self.unmatched)} 个，"
            f"需人工确认 {len(self.ambiguous)} 个，无法读取 {len(self.damaged)} 个"
        )


@dataclass
class EnrolmentReport:
    imported: int = 0
    replaced: int = 0
    unchanged: int = 0  # the same picture as the student already has: nothing done
    no_face: list[tuple[Path, str]] = field(default_factory=list)  # imported, but 无法比对 (why)
    failed: list[tuple[Path, str]] = field(default_factory=list)


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open_no_follow(path) as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _keys_of(stem: str) -> dict[str, str]:
    # full-width digits and letters (typed in Chinese input mode) are the plain ones: ２０２３ is 2023
    text = re.sub(r"[\s_\-]+", "", unicodedata.normalize("NFKC", stem)).upper()
    text = re.sub(r"\(\d+\)$", "", text)  # "2024001 (1).jpg" from a copy tool
    keys = {"student_no": text, "exam_no": text}
    try:
        keys["id_number"] = parse_id_number(text).number
    except IdNumberError:
        pass
    return keys


def _file_key(name: str) -> str:
    """A file name as the roster's 录取照片文件名 column is compared with it: full-width folded, any case."""
    return unicodedata.normalize("NFKC", name).strip().upper()


# Text naming enrolment files, every 身份证号 in it masked (also one broken up by separators): the one masker.
mask_names = mask_id_numbers


def shown_name(path: Path | str) -> str:
    """A file's name as it may be shown or printed: any 身份证号 in it masked."""
    return mask_names(Path(path).name)


def _shown(path: Path) -> str:
    return shown_name(path)


# A student without an enrolment photo (statuses()); the verdict codes are compare.CODES' values.
NO_ENROLMENT = "none"

# A stored enrolment file no record names is removed by the next import only after this long (prune_files).
STRAY_FILE_GRACE_SECONDS = 3600

# Enrolment originals live in their own folder of the photo store, so pruning them can never touch a photo.
SUBFOLDER = ENROLMENT_FOLDER


class EnrolmentService:
    """Enrolment photos of a store; `photos_root` is the photo store's folder (the shell hands the path)."""

    def __init__(self, sessions: sessionmaker[Session], photos_root: Path | str, operator: str = "") -> None:
        self.sessions, self.operator = sessions, operator
        self.root = Path(photos_root)
        self.store = PhotoStore(self.root / SUBFOLDER)

    def path(self, stored_name: str) -> Path:
        """The file of a stored name (enrolment/ab/ab12….jpg) or of a photo (ab/ab12….jpg)."""
        return self.root / stored_name

    # -- import ----------------------------------------------------------------------------------------------
    def match(
        self, station_id: int, folder: Path | str, cancelled: Callable[[], bool] | None = None
    ) -> EnrolmentMatch:
        """Files under `folder` named by a student's 身份证号, 学号 or 考生号 (whichever it is), or as the
        roster's 录取照片文件名 says. Every matched file is read (EnrolmentCancelled when `cancelled`)."""
        skipped: list[tuple[Path, str]] = []
        files = photo_files(folder, skipped)
        with self.sessions() as s:
            rows = s.execute(
                select(
                    Student.id, Student.id_number, Student.student_no, Student.exam_no, Student.enrolment_file
                ).where(Student.station_id == station_id)
            ).all()
        lookup: dict[str, dict[str, int]] = {k: {} for k in MATCH_KEYS}
        for sid, id_number, student_no, exam_no, enrolment_file in rows:
            for key, value in (("id_number", id_number), ("student_no", student_no), ("exam_no", exam_no)):
                if value:
                    lookup[key][str(value).upper()] = sid
            if enrolment_file:
                named = lookup["enrolment_file"]
                key = _file_key(enrolment_file)
                named[key] = sid if named.get(key, sid) == sid else _SHARED
        result = EnrolmentMatch(damaged=[(p, f"{_shown(p)} {why}") for p, why in skipped])
        by_student: dict[int, list[Path]] = {}
        for path in files:
            hits = {
                lookup[key][value]: MATCH_KEYS[key]
                for key, value in _keys_of(path.stem).items()
                if value in lookup[key]
            }
            # the roster's 录取照片文件名, written with or without the extension
            for name in (_file_key(path.name), _file_key(path.stem)):
                if name in lookup["enrolment_file"]:
                    hits.setdefault(lookup["enrolment_file"][name], MATCH_KEYS["enrolment_file"])
            if _SHARED in hits:
                result.ambiguous.append((path, "花名册中不止一名学生的录取照片文件名是这个文件"))
                continue
            if not hits:
                result.unmatched.append(path)
            elif len(hits) > 1:
                result.ambiguous.append(
                    (path, f"文件名同时对应 {len(hits)} 名学生（{'、'.join(sorted(set(hits.values())))}）")
                )
            else:
                by_student.setdefault(next(iter(hits)), []).append(path)
        for student_id, paths in by_student.items():
            if cancelled and cancelled():
                raise EnrolmentCancelled()
            if len(paths) > 1:
                names = "、".join(_shown(p) for p in paths)
                result.ambiguous.extend((p, f"{len(paths)} 个文件对应同一名学生：{names}") for p in paths)
                continue
            if why := cmp.not_a_file(paths[0]):  # a named pipe would block the reader: listed, never opened
                result.damaged.append((paths[0], why))
                continue
            try:
                load_photo(paths[0], 256)  # a damaged or non-image file is listed, not stored
            except PhotoLoadError as exc:
                result.damaged.append((paths[0], str(exc)))
                continue
            result.matched.append((paths[0], student_id))
        self._hold_same_pictures(result, station_id, cancelled)
        return result

    def _hold_same_pictures(
        self, result: EnrolmentMatch, station_id: int, cancelled: Callable[[], bool] | None = None
    ) -> None:
        """One picture filed for two students means one of them has someone else's face as reference, and a
        stand-in would then pass: such files go to 需人工确认, naming the other student, never imported."""
        digests: dict[Path, str] = {}
        for path, _ in result.matched:
            if cancelled and cancelled():
                raise EnrolmentCancelled()
            try:
                digests[path] = _sha256_of(path)
            except OSError:
                pass  # unreadable after all: the import says why
        with self.sessions() as s:
            stored = {
                sha: (sid, f"{no} {name}")
                for sha, sid, no, name in s.execute(
                    select(EnrolmentPhoto.sha256, Student.id, Student.student_no, Student.name)
                    .join(Student, Student.id == EnrolmentPhoto.student_id)
                    .where(Student.station_id == station_id, EnrolmentPhoto.sha256.in_(set(digests.values())))
                )
            }
        by_sha: dict[str, list[Path]] = {}
        for path, sha in digests.items():
            by_sha.setdefault(sha, []).append(path)
        student_of = dict(result.matched)
        held: dict[Path, str] = {}
        for sha, paths in by_sha.items():
            students = {student_of[p] for p in paths}
            if len(students) > 1:
                names = "、".join(_shown(p) for p in paths)
                for p in paths:
                    held[p] = f"{len(paths)} 个文件内容完全相同，却对应不同学生：{names}；请确认每张照片是谁"
            elif sha in stored and stored[sha][0] not in students:
                for p in paths:
                    held[p] = f"与已导入的学生 {stored[sha][1]} 的录取照片完全相同；请确认这张照片是谁"
        if held:
            result.matched = [(p, sid) for p, sid in result.matched if p not in held]
            result.ambiguous.extend(held.items())
        result.digests = {p: digests[p] for p, _ in result.matched if p in digests}

    def import_matched(
        self,
        pairs: list[tuple[Path, int]],
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        digests: dict[Path, str] | None = None,
    ) -> EnrolmentReport:
        """Store each original byte for byte and compute its descriptor; a bad file never stops the rest.

        `digests` (EnrolmentMatch.digests): a file whose content differs from what the match checked (swapped
        or edited since) is refused, so what the clerk saw listed is what is imported."""
        report = EnrolmentReport()
        # What an import killed before (power cut, task manager) stored and never recorded. An hour's grace:
        # another import may be running now (it refreshes a file's time when it stores it again).
        self.prune_files(min_age_seconds=STRAY_FILE_GRACE_SECONDS)
        # Stored names this import lets go: replaced, its student deleted meanwhile, or stored when an error
        # (the model missing, a full disk) stopped the import before the record was written.
        dropped: list[str] = []
        pending = ""
        try:
            for index, (path, student_id) in enumerate(pairs):
                if cancelled and cancelled():
                    raise EnrolmentCancelled()
                try:
                    if pending:
                        dropped.append(pending)
                        pending = ""
                    try:
                        stored = self.store.add(path)
                    except OSError as exc:  # said in Chinese, never the error's text (it holds the full path)
                        report.failed.append((path, f"{_shown(path)} 无法存入照片库：{os_reason(exc)}"))
                        continue
                    pending = f"{SUBFOLDER}/{stored.stored_name}"  # stored, not yet recorded
                    if digests and path in digests and digests[path] != stored.sha256:
                        report.failed.append(
                            (path, f"{_shown(path)} 在查找核对之后被改动过，未导入；请重新查找后再导入")
                        )
                        continue  # (still pending: let go below, or at the end)
                    with self.sessions() as s:
                        same = s.scalar(
                            select(EnrolmentPhoto.id).where(
                                EnrolmentPhoto.student_id == student_id,
                                EnrolmentPhoto.sha256 == stored.sha256,
                            )
                        )
                    if same is not None:  # already this student's picture: its file, verdicts and log stay
                        pending = ""
                        report.unchanged += 1
                        continue
                    if self._check_on_for(student_id):
                        blob, note = self._descriptor_for(stored.sha256, stored.path)
                        note = note.replace(stored.path.name, path.name)  # the clerk's file, not the store's
                        model = MODEL_VERSION
                        if blob is None:
                            report.no_face.append((path, note))
                    else:  # the check is off (perhaps switched off meanwhile): nothing described; done when on again
                        blob, note, model = None, "", ""
                    with self.sessions.begin() as s:
                        student = s.get(Student, student_id)
                        if student is None:
                            report.failed.append((path, f"{_shown(path)} 对应的学生已被删除"))
                            continue  # (still pending: let go below, or at the end)
                        row = s.scalar(select(EnrolmentPhoto).where(EnrolmentPhoto.student_id == student_id))
                        old = None if row is None else {"sha256": row.sha256}
                        if row is None:
                            row = EnrolmentPhoto(student_id=student_id)
                            s.add(row)
                        else:
                            report.replaced += 1
                            dropped.append(row.stored_name)
                        row.sha256, row.size_bytes = stored.sha256, stored.size
                        row.stored_name = f"{SUBFOLDER}/{stored.stored_name}"
                        row.original_name = path.name[:300]
                        row.descriptor, row.descriptor_model, row.descriptor_note = blob, model, note
                        for photo in s.scalars(select(Photo).where(Photo.student_id == student_id)):
                            photo.identity_verdict, photo.identity_distance, photo.identity_note = (
                                "",
                                None,
                                "",
                            )
                        audit.record(
                            s,
                            self.operator,
                            "enrolment-import",
                            "student",
                            student_id,
                            f"导入录取照片 {student.student_no} {student.name}",
                            old,
                            {"sha256": stored.sha256},
                        )
                    pending = ""
                    report.imported += 1
                finally:  # a failed file counts too: the bar reaches the end
                    if progress:
                        progress(index + 1, len(pairs))
        finally:
            self._remove_unreferenced([*dropped, pending] if pending else dropped)
        return report

    def _check_on_for(self, student_id: int) -> bool:
        with self.sessions() as s:
            return bool(
                s.scalar(
                    select(Station.identity_check)
                    .join(Student, Student.station_id == Station.id)
                    .where(Student.id == student_id)
                )
            )

    def _descriptor_for(self, sha256: str, path: Path) -> tuple[bytes | None, str]:
        """The descriptor of this content: reused from any row with the same hash and model, else computed."""
        with self.sessions() as s:
            known = s.execute(  # one row: a placeholder picture filed for thousands must not load them all
                select(EnrolmentPhoto.descriptor, EnrolmentPhoto.descriptor_note)
                .where(EnrolmentPhoto.sha256 == sha256, EnrolmentPhoto.descriptor_model == MODEL_VERSION)
                .limit(1)
            ).first()
            if known is not None:
                return known.descriptor, known.descriptor_note
        described = cmp.describe(path)
        if not described.usable:
            return None, described.reason
        return cmp.to_bytes(described.descriptor), ""

    # -- reading ---------------------------------------------------------------------------------------------
    def enrolment(self, student_id: int) -> EnrolmentPhoto | None:
        with self.sessions() as s:
            row = s.scalar(select(EnrolmentPhoto).where(EnrolmentPhoto.student_id == student_id))
            if row is not None:
                s.expunge(row)
            return row

    def enrolment_path(self, student_id: int) -> Path | None:
        row = self.enrolment(student_id)
        return None if row is None else self.path(row.stored_name)

    def has_any(self, station_id: int) -> bool:
        """Whether any student of the station has an enrolment photo (else the capture tab shows no box)."""
        with self.sessions() as s:
            return (
                s.scalar(
                    select(EnrolmentPhoto.id)
                    .join(Student, Student.id == EnrolmentPhoto.student_id)
                    .where(Student.station_id == station_id)
                    .limit(1)
                )
                is not None
            )

    def enabled(self, station_id: int) -> bool:
        with self.sessions() as s:
            station = s.get(Station, station_id)
            return bool(station and station.identity_check)

    def set_enabled(self, station_id: int, on: bool) -> None:
        """Switch the check on or off for a station (audited). Off stops computing and hides the scores: the
        verdicts stored on the station's photos are cleared (made again from the photos when switched on)."""
        with self.sessions.begin() as s:
            station = s.get(Station, station_id)
            if station is None or bool(station.identity_check) == on:
                return
            station.identity_check = on
            if not on:
                members = select(Student.id).where(Student.station_id == station_id).scalar_subquery()
                s.execute(
                    update(Photo)
                    .where(Photo.student_id.in_(members))
                    .values(identity_verdict="", identity_distance=None, identity_note="")
                )
            audit.record(
                s,
                self.operator,
                "identity-check-on" if on else "identity-check-off",
                "station",
                station_id,
                f"{station.name}：{'开启' if on else '关闭'}人脸比对提示",
                {"identity_check": not on},
                {"identity_check": on},
            )

    # -- checking --------------------------------------------------------------------------------------------
    def check_photo(self, photo_id: int, force: bool = False) -> cmp.Comparison | None:
        """Compare a photo with its student's enrolment photo and keep the verdict on the photo.

        None when the station has the check off or the student has no enrolment photo (nothing is stored).
        A verdict already stored is returned as it is unless `force`.
        """
        with self.sessions() as s:
            photo = s.get(Photo, photo_id)
            if photo is None:
                return None
            student = photo.student
            if not student.station.identity_check:
                return None
            row = s.scalar(select(EnrolmentPhoto).where(EnrolmentPhoto.student_id == student.id))
            if row is None:
                return None
            if photo.identity_verdict and not force:
                verdict = {v: k for k, v in cmp.CODES.items()}[photo.identity_verdict]
                return cmp.Comparison(verdict, photo.identity_distance, photo.identity_note)
            stored_name, sha, blob, model, note = (
                photo.stored_name,
                row.sha256,
                row.descriptor,
                row.descriptor_model,
                row.descriptor_note,
            )
            enrol_path = self.path(row.stored_name)
            original_name = row.original_name or "录取照片"
        if model != MODEL_VERSION:  # made by another model: computed again, and kept
            blob, note = self._descriptor_for(sha, enrol_path)
            note = note.replace(enrol_path.name, original_name)
            with self.sessions.begin() as s:
                for r in s.scalars(select(EnrolmentPhoto).where(EnrolmentPhoto.sha256 == sha)):
                    r.descriptor, r.descriptor_model, r.descriptor_note = blob, MODEL_VERSION, note
        enrol = cmp.Described(cmp.from_bytes(blob) if blob else None, f"录取照片：{note}" if note else "")
        new_path = self.path(stored_name)
        # the crop of this photo a moment ago: its decode and faces, no second decode and detection
        hit = cached_detection(new_path)
        described = cmp.describe_loaded(*hit) if hit is not None else cmp.describe(new_path)
        if not described.usable:  # named by the clerk's words, not the store's content-hash file name
            described = cmp.Described(None, described.reason.replace(new_path.name, "新照片"))
        result = cmp.compare_described(described, enrol)
        with self.sessions.begin() as s:
            photo = s.get(Photo, photo_id)
            if photo is not None and not photo.student.station.identity_check:
                return None  # switched off while this was computed: nothing is kept or shown
            if photo is not None:
                photo.identity_verdict = result.code
                photo.identity_distance = result.distance
                photo.identity_note = result.reason[:1000]
        return result

    def check_station(self, station_id: int) -> list[tuple[Student, cmp.Comparison | None]]:
        """Every student of the station with an accepted photo and an enrolment photo, with the verdict."""
        with self.sessions() as s:
            rows = s.execute(
                select(Student, Photo.id)
                .join(Photo, (Photo.student_id == Student.id) & Photo.is_current)
                .join(EnrolmentPhoto, EnrolmentPhoto.student_id == Student.id)
                .where(Student.station_id == station_id, Student.photo_state.in_(("accepted", "override")))
                .order_by(Student.shot_no)
            ).all()
            for student, _ in rows:
                s.expunge(student)
        return [(student, self.check_photo(photo_id)) for student, photo_id in rows]

    def statuses(self, station_id: int, student_ids: list[int] | None = None) -> dict[int, str]:
        """Each student's identity state for the roster: NO_ENROLMENT (no enrolment photo), "" (an enrolment
        photo, nothing compared yet: no photo, or not checked) or the current photo's verdict code."""
        stmt = (
            select(Student.id, EnrolmentPhoto.id, Photo.identity_verdict)
            .outerjoin(EnrolmentPhoto, EnrolmentPhoto.student_id == Student.id)
            .outerjoin(Photo, (Photo.student_id == Student.id) & Photo.is_current)
            .where(Student.station_id == station_id)
        )
        if student_ids is not None:
            stmt = stmt.where(Student.id.in_(student_ids))
        with self.sessions() as s:
            return {
                sid: NO_ENROLMENT if enrol_id is None else (verdict or "")
                for sid, enrol_id, verdict in s.execute(stmt)
            }

    # -- deleting --------------------------------------------------------------------------------------------
    def prune_files(self, min_age_seconds: float = 0) -> int:
        """Remove enrolment originals no student has any more (replaced, the student deleted, or left behind by
        an import that was killed between storing a file and recording it).

        With `min_age_seconds`, a file stored (or stored again) more recently is kept: another import running
        now may have stored it and not yet written its record."""
        folder = self.root / SUBFOLDER
        if not folder.is_dir():
            return 0
        with self.sessions() as s:
            wanted = set(s.scalars(select(EnrolmentPhoto.stored_name)))
        newest = time.time() - min_age_seconds
        removed = 0
        for file in folder.glob("*/*"):
            if file.name.startswith("."):
                continue  # another import's file still being written
            if f"{SUBFOLDER}/{file.parent.name}/{file.name}" in wanted:
                continue
            try:
                if min_age_seconds and file.lstat().st_mtime > newest:
                    continue
                file.unlink()
            except OSError:
                continue  # gone meanwhile, or not ours to remove: the next sweep tries again
            removed += 1
        return removed

    def delete_for_student(self, student_id: int) -> bool:
        """Delete a student's enrolment photo and descriptor (audited); False when there was none."""
        with self.sessions.begin() as s:
            row = s.scalar(select(EnrolmentPhoto).where(EnrolmentPhoto.student_id == student_id))
            if row is None:
                return False
            student = s.get(Student, student_id)
            audit.record(
                s,
                self.operator,
                "enrolment-delete",
                "student",
                student_id,
                f"删除录取照片 {student.student_no if student else ''}",
                {"sha256": row.sha256},
                None,
            )
            stored_name = row.stored_name
            s.delete(row)
            # a verdict against the deleted picture is face data about it too, and would mean nothing now
            for photo in s.scalars(select(Photo).where(Photo.student_id == student_id)):
                photo.identity_verdict, photo.identity_distance, photo.identity_note = "", None, ""
        self._remove_unreferenced([stored_name])
        return True

    def _remove_unreferenced(self, names: list[str]) -> None:
        """Unlink these enrolment originals unless a record still names them. Only these: a sweep of the whole
        folder (prune_files) would take the file another import has stored but not yet recorded."""
        if not names:
            return
        names = sorted(set(names))
        kept: set[str] = set()
        with self.sessions() as s:  # in slices: re-importing a whole station lets go of thousands of names
            for i in range(0, len(names), 500):
                where = EnrolmentPhoto.stored_name.in_(names[i : i + 500])
                kept.update(s.scalars(select(EnrolmentPhoto.stored_name).where(where)))
        for name in set(names) - kept:
            if name.startswith(f"{SUBFOLDER}/"):
                self.path(name).unlink(missing_ok=True)
