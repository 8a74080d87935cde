"""Import a folder of existing photos: match files to students by name, then take in and crop each."""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.models import Student
from app.services.capture.hotfolder import PHOTO_EXTENSIONS
from app.services.capture.photo_store import StoreUnwritable
from app.services.capture.service import CaptureService
from app.services.common.files import NOT_REGULAR_REASON
from app.services.standards.idcard import IdNumberError, parse_id_number

MATCH_KEYS = {"student_no": "学号", "id_number": "身份证号", "shot_no": "拍摄序号"}


class PhotoImportCancelled(Exception):
    def __init__(self) -> None:
        super().__init__("照片导入已取消")


@dataclass
class MatchResult:
    matched: list[tuple[Path, int]] = field(default_factory=list)  # file, student id
    unmatched: list[Path] = field(default_factory=list)
    ambiguous: list[tuple[Path, str]] = field(default_factory=list)  # file, why

    def summary(self) -> str:
        return f"匹配 {len(self.matched)} 个，未匹配 {len(self.unmatched)} 个，需人工确认 {len(self.ambiguous)} 个"


@dataclass(frozen=True)
class ImportedFile:
    """A file taken in: the photo it became, its check verdict (ok/warn/fail, error if unreadable) and the
    labels of the checks it failed."""

    path: Path
    student_id: int
    photo_id: int
    status: str
    failed_checks: tuple[str, ...] = ()


@dataclass
class PhotoImportReport:
    imported: int = 0
    failed: list[tuple[Path, str]] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    files: list[ImportedFile] = field(default_factory=list)  # in the order taken in


def _key_from_stem(stem: str, key: str) -> str | None:
    # full-width digits and letters (typed in Chinese input mode) are the plain ones: ２０２３ is 2023
    text = re.sub(r"[\s_\-]+", "", unicodedata.normalize("NFKC", stem)).upper()
    text = re.sub(r"\(\d+\)$", "", text)  # "2024001 (1).jpg" from a copy tool
    if key == "shot_no":
        return str(int(text)) if text.isdigit() else None
    if key == "id_number":
        try:
            return parse_id_number(text).number
        except IdNumberError:
            return None
    return text or None


# Image files folder import does not take, listed so the clerk knows why they were left out.
SKIPPED_IMAGE_EXTENSIONS = frozenset({".gif", ".svg", ".psd", ".raw", ".cr2", ".cr3", ".nef", ".arw", ".dng"})


def photo_files(folder: Path | str, skipped: list[tuple[Path, str]] | None = None) -> list[Path]:
    """Photo files under `folder` (links never followed, not even to folders); every file left out for a
    reason other than not being a photo is added to `skipped` with the reason."""
    folder = Path(folder)
    found: list[Path] = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        base = Path(root)
        for d in [d for d in dirs if (base / d).is_symlink()]:
            if skipped is not None:
                skipped.append((base / d, "是一个链接（符号链接），不会进入它"))
        for name in files:
            p = base / name
            if name.startswith(".") or p.suffix.lower() not in PHOTO_EXTENSIONS:
                if skipped is not None and p.suffix.lower() in SKIPPED_IMAGE_EXTENSIONS:
                    skipped.append((p, f"{p.suffix} 格式不用于证件照，请转存为 JPEG"))
                continue
            if p.is_symlink():
                if skipped is not None:
                    skipped.append((p, "是一个链接（符号链接），不是照片文件本身；为安全起见不读取它"))
                continue
            try:
                regular = stat.S_ISREG(p.lstat().st_mode)
            except OSError:
                regular = True  # gone or unreadable: the import names its own reason for it
            if not regular:  # a named pipe or a device: reading it would hang or never end
                if skipped is not None:
                    skipped.append((p, NOT_REGULAR_REASON))
                continue
            found.append(p)
    return sorted(found)


def match_files(sessions: sessionmaker[Session], station_id: int, files: list[Path], key: str) -> MatchResult:
    """Files named by 学号, 身份证号 or 拍摄序号 → students of this station; the rest for review."""
    if key not in MATCH_KEYS:
        raise ValueError(key)
    column = getattr(Student, key)
    with sessions() as s:
        lookup = {
            str(v).upper(): sid
            for sid, v in s.execute(select(Student.id, column).where(Student.station_id == station_id))
        }
    result = MatchResult()
    by_student: dict[int, list[Path]] = {}
    for path in files:
        value = _key_from_stem(path.stem, key)
        student_id = lookup.get(value) if value else None
        if student_id is None:
            result.unmatched.append(path)
        else:
            by_student.setdefault(student_id, []).append(path)
    for student_id, paths in by_student.items():
        if len(paths) == 1:
            result.matched.append((paths[0], student_id))
        else:  # the clerk decides which file is the student's photo
            names = "、".join(p.name for p in paths)
            result.ambiguous.extend((p, f"{len(paths)} 个文件对应同一名学生：{names}") for p in paths)
    return result


def import_matched(
    capture: CaptureService,
    pairs: list[tuple[Path, int]],
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    preset: str | None = None,
) -> PhotoImportReport:
    """Take each file in and crop it (for `preset`, else the station's); a bad file is reported and never
    stops the rest."""
    report = PhotoImportReport()
    for index, (path, student_id) in enumerate(pairs):
        if cancelled and cancelled():
            raise PhotoImportCancelled()
        try:
            photo_id = capture.take_in(student_id, path, kind="import", preset=preset)
            result = capture.crop(photo_id)
        except StoreUnwritable:  # every other file would fail the same way
            raise
        except OSError as exc:
            report.failed.append((path, str(exc)))
        except (ValueError, ArithmeticError) as exc:  # an image the engine cannot handle: report, go on
            report.failed.append((path, f"无法处理这张照片（{type(exc).__name__}）"))
        else:
            status = "error" if result is None else result.status
            report.statuses[status] = report.statuses.get(status, 0) + 1
            if result is None:
                report.failed.append((path, capture.photo(photo_id).error))
            report.imported += 1
            failed = (
                ()
                if result is None
                else tuple(c.label or c.name for c in result.checks if c.verdict == "fail")
            )
            report.files.append(ImportedFile(path, student_id, photo_id, status, failed))
        if progress:
            progress(index + 1, len(pairs))
    return report
