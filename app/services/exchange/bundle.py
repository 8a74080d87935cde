"""Station bundles: one .zip per station with roster, photo originals and crop parameters, proofing history,
audit trail and a manifest of SHA-256 checksums; written atomically, read back only when every check passes.

Layout (format version 4; FORMAT_VERSION below lists what each version added):
  manifest.json        format, version, bundle id, source store id, station, counts, {member: sha256, size}
  station.json         the station's settings (with its identity pre-check switch)
  students.json        one record per student: 学号, 拍摄序号 and the merge fields (see MERGE_FIELDS)
  photos.json          every photo record (current and history) with its crop parameters and thumbnail
  proof_records.json   proofing history
  audit.json           the audit trail of the station and its students (entity ids replaced by 学号)
  enrolment.json       the students' enrolment (admission) photo records; empty in a bundle not encrypted
  photos/<sha256><ext> the stored originals, byte for byte
  enrolment/<sha256><ext>  the enrolment originals, byte for byte (face data: only in an encrypted bundle)

Face descriptors are never shipped: the receiving store computes them again from the original (by its hash).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import logging
import math
import re
import shutil
import stat
import tempfile
import uuid
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import String, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from app.models import (
    PHOTO_STATES,
    AuditEvent,
    BundleExchange,
    EnrolmentPhoto,
    Photo,
    ProofRecord,
    Station,
    StoreInfo,
    Student,
    utcnow,
)
from app.services.capture.photo_store import ENROLMENT_FOLDER, PhotoStore
from app.services.common import audit
from app.services.common.fieldrules import check_text, has_control
from app.services.common.files import LinkRefused, atomic_open, open_no_follow, os_reason, refuse_link
from app.services.common.values import ValueProblem, strip_invisible
from app.services.exchange.crypto import MIN_PASSPHRASE, CryptoError, decrypted, encrypt_file, is_encrypted
from app.services.proofing.states import STATE_BY_KEY
from app.services.roster.fields import FIELD_BY_KEY
from app.services.standards.idcard import IdNumberError, parse_id_number

log = logging.getLogger(__name__)

FORMAT = "gradphoto-station-bundle"
# Version history (a reader accepts every version up to its own and refuses a newer one):
#   1  the first format: station, students, photos, proof records, audit.
#   2  photos carry override_reason (仍接受 with its reason) and qc_version; photo_state may be "override".
#   3  students carry 考生号 (exam_no) and, in an encrypted bundle, their enrolment photo (enrolment.json and
#      enrolment/<sha256><ext>); the station carries its identity_check switch.
#   4  students carry 录取照片文件名 (enrolment_file), the roster's name for their enrolment photo file.
FORMAT_VERSION = 4
SUFFIX = ".gpbundle.zip"
_JSON_MEMBERS = (
    "station.json",
    "students.json",
    "photos.json",
    "proof_records.json",
    "audit.json",
    "enrolment.json",
)
_JSON_MEMBERS_BEFORE_3 = _JSON_MEMBERS[:5]
_MAX_JSON_BYTES = 512 * 1024 * 1024
_MAX_PHOTO_BYTES = 100 << 20  # a camera JPEG is 5-30 MB
_MAX_TOTAL_BYTES = 64 << 30
# Unpacked/packed size of a part over 1 MB: a real roster's JSON packs under 20 times, photos not at all.
_MAX_RATIO = 100
_CHUNK = 1 << 20

ROSTER_KEYS = tuple(FIELD_BY_KEY)
# What a three-way merge compares field by field. "photo" and "proof" are composites: the current photo with its
# crop, and the proofing state with its errors and note; "enrolment" is the SHA-256 of the student's enrolment
# photo (None: none).
MERGE_FIELDS = ROSTER_KEYS + (
    "withdrawn",
    "withdrawn_reason",
    "withdrawn_date",
    "photo_state",
    "photo",
    "proof",
    "enrolment",
)
# Fields format 3 added. A bundle of an older format does not carry them: the merge leaves them as they are
# here. "enrolment" is carried only by an encrypted bundle (face data); a plain one leaves it out likewise.
SINCE_3 = ("exam_no", "enrolment")
SINCE_4 = ("enrolment_file",)
NOT_IN_PLAIN = ("enrolment",)
FIELD_LABELS = {
    **{k: f.label for k, f in FIELD_BY_KEY.items() if k in ROSTER_KEYS},
    "withdrawn": "学籍异动",
    "withdrawn_reason": "异动原因",
    "withdrawn_date": "异动日期",
    "photo_state": "照片状态",
    "photo": "照片及裁剪",
    "proof": "校对状态",
    "enrolment": "录取照片",
}
_DATE_KEYS = {k for k, f in FIELD_BY_KEY.items() if f.kind == "date" and k in ROSTER_KEYS} | {
    "withdrawn_date"
}
_STATION_KEYS = (
    "name",
    "school_name",
    "school_code",
    "default_school_type",
    "dept_codes",
    "fee_per_student",
    "payee_name",
    "payee_address",
    "payee_postcode",
    "payee_contact",
    "payee_phone",
    "default_preset",
    "capture_deadline",
    "delivery_deadline",
    "proofing_deadline",
    "next_shot_no",
    "identity_check",
)
_PHOTO_KEYS = (
    "sha256",
    "original_name",
    "source_kind",
    "size_bytes",
    "taken_at",
    "created_at",
    "preset",
    "source_width",
    "source_height",
    "auto_left",
    "auto_top",
    "auto_width",
    "auto_height",
    "auto_rotation",
    "crop_left",
    "crop_top",
    "crop_width",
    "crop_height",
    "crop_rotation",
    "adjusted",
    "qc_status",
    "qc",
    "faces",
    "error",
    "review",
    "reviewed_at",
    "reviewed_by",
)


# Photo fields added in format 2: a version-1 bundle lacks them and reads as these values (no 仍接受
# reason; checks measured by an engine older than any versioned one). From version 2 on they are required.
PHOTO_OPTIONAL: dict[str, object] = {"override_reason": "", "qc_version": 0}
PHOTO_OPTIONAL_SINCE = 2


# Crop parameters beyond these are not a crop of any camera's photo (source px, degrees).
_CROP_LIMIT = 1_000_000
_ROTATION_LIMIT = 45


def crop_is_sane(crop: list) -> bool:
    """left, top, width, height, rotation: all None (no crop) or finite numbers, positive size, small turn."""
    if all(v is None for v in crop):
        return True
    if any(
        v is None or isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v)
        for v in crop
    ):
        return False
    left, top, width, height, rotation = crop
    return (
        0 < width < _CROP_LIMIT
        and 0 < height < _CROP_LIMIT
        and abs(left) < _CROP_LIMIT
        and abs(top) < _CROP_LIMIT
        and abs(rotation) <= _ROTATION_LIMIT
    )


class BundleError(ValueError):
    """A bundle that cannot be written or read; the message says why in Chinese (never an ID number)."""


# -- snapshots: the same view of a student on both sides of an exchange ----------------------------------------


def _iso(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 3)


def photo_value(photo: Photo | None) -> dict[str, Any] | None:
    """The merge value of a student's current photo: which original, and how it is cropped and judged."""
    if photo is None:
        return None
    return {
        "sha256": photo.sha256,
        "crop": [
            _round(photo.crop_left),
            _round(photo.crop_top),
            _round(photo.crop_width),
            _round(photo.crop_height),
            _round(photo.crop_rotation),
        ],
        "review": photo.review,
    }


def student_fields(student: Student, current: Photo | None, enrolment: str | None = None) -> dict[str, Any]:
    values = {k: _iso(getattr(student, k)) for k in ROSTER_KEYS}
    values.update(
        withdrawn=bool(student.withdrawn),
        withdrawn_reason=student.withdrawn_reason or "",
        withdrawn_date=_iso(student.withdrawn_date),
        photo_state=student.photo_state,
        photo=photo_value(current),
        proof={
            "state": student.proof_state,
            "errors": student.proof_errors or None,
            "note": student.proof_note or "",
        },
        enrolment=enrolment,
    )
    return values


def station_snapshots(session: Session, station_id: int) -> dict[str, dict[str, Any]]:
    """学号 → {"id", "shot_no", "fields", "proof_updated_at"} for every student of a station."""
    students = list(
        session.scalars(select(Student).where(Student.station_id == station_id).order_by(Student.shot_no))
    )
    currents: dict[int, Photo] = {}
    if students:
        for photo in session.scalars(
            select(Photo)
            .join(Student)
            .where(Student.station_id == station_id, Photo.is_current)
            .order_by(Photo.id)
        ):
            currents[photo.student_id] = photo
    enrolments: dict[int, str] = {}
    if students:
        members = select(Student.id).where(Student.station_id == station_id).scalar_subquery()
        enrolments = dict(
            session.execute(
                select(EnrolmentPhoto.student_id, EnrolmentPhoto.sha256).where(
                    EnrolmentPhoto.student_id.in_(members)
                )
            ).all()
        )
    return {
        s.student_no: {
            "id": s.id,
            "shot_no": s.shot_no,
            "fields": student_fields(s, currents.get(s.id), enrolments.get(s.id)),
            "proof_updated_at": _iso(s.proof_updated_at),
        }
        for s in students
    }


def store_id(sessions: sessionmaker[Session]) -> str:
    """This store's stable id, made on first use (by whichever of two programs gets there first)."""
    try:
        with sessions.begin() as s:
            info = s.get(StoreInfo, "store_id")
            if info is None:
                info = StoreInfo(key="store_id", value=str(uuid.uuid4()))
                s.add(info)
            return info.value
    except IntegrityError:  # another process made it in the same moment: that one is the store's id
        with sessions() as s:
            return s.get(StoreInfo, "store_id").value


# -- export --------------------------------------------------------------------------------------------------


@dataclass
class ExportResult:
    path: Path
    bundle_id: str
    students: int
    photos: int
    missing_photos: list[str] = field(default_factory=list)
    enrolment: int = 0  # enrolment photos carried (an encrypted bundle only)
    enrolment_left_out: int = 0  # enrolment photos not carried: the bundle is not encrypted (face data)


def enrolment_photos(sessions: sessionmaker[Session], station_name: str) -> int:
    """How many of the station's students have an enrolment photo: what a bundle not encrypted leaves out
    (asked before exporting, so the clerk can still choose a passphrase)."""
    with sessions() as s:
        return (
            s.scalar(
                select(func.count(EnrolmentPhoto.id))
                .join(Student, Student.id == EnrolmentPhoto.student_id)
                .join(Station, Station.id == Student.station_id)
                .where(Station.name == station_name.strip())
            )
            or 0
        )


def _dump(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=_iso).encode("utf-8")


def export_station(
    sessions: sessionmaker[Session],
    store: PhotoStore,
    station_name: str,
    out: Path | str,
    operator: str = "",
    passphrase: str | None = None,
) -> ExportResult:
    """Write the station's bundle to `out` (temp file, then rename) and record the export in the audit trail.

    With `passphrase` the bundle is sealed (exchange.crypto): only someone with the passphrase can read it."""
    final = Path(out)
    if passphrase is not None and len(passphrase) < MIN_PASSPHRASE:
        raise BundleError(f"口令至少 {MIN_PASSPHRASE} 个字符")
    plain_dir = Path(tempfile.mkdtemp(prefix="gradphoto-export-")) if passphrase is not None else None
    out = plain_dir / "bundle.zip" if plain_dir is not None else final
    try:
        return _export(sessions, store, station_name, out, final, operator, passphrase)
    finally:
        if plain_dir is not None:
            shutil.rmtree(plain_dir, ignore_errors=True)


def _export(
    sessions, store, station_name: str, out: Path, final: Path, operator: str, passphrase
) -> ExportResult:
    operator = operator or audit.default_operator()
    operator = operator or audit.default_operator()
    source = store_id(sessions)
    with sessions() as s:
        station = s.scalars(select(Station).where(Station.name == station_name.strip())).first()
        if station is None:
            raise BundleError(f"没有名为“{station_name}”的学习中心")
        payload = _collect(s, station)
    bundle_id = str(uuid.uuid4())
    members: dict[str, dict[str, Any]] = {}
    missing: list[str] = []
    for photo in payload["photos.json"]:  # an original missing from the store travels as a record only
        if not store.path(photo["stored_name"]).is_file():
            missing.append(photo["original_name"] or photo["sha256"][:12])
            photo["file"] = None
    left_out = _carry_enrolment(payload, store, sealed=passphrase is not None, missing=missing)
    with (
        atomic_open(out, "wb") as handle,
        zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf,
    ):
        for name in _JSON_MEMBERS:
            data = _dump(payload[name])
            zf.writestr(name, data)
            members[name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        for photo in payload["photos.json"] + payload["enrolment.json"]:
            member = photo["file"]
            if member is not None and member not in members:
                members[member] = _write_file(zf, member, store.path(photo["stored_name"]))
        manifest = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "bundle_id": bundle_id,
            "source_store": source,
            "station": station_name.strip(),
            "created_at": utcnow().isoformat(),
            "counts": {
                "students": len(payload["students.json"]),
                "photos": len(payload["photos.json"]),
                "proof_records": len(payload["proof_records.json"]),
                "audit": len(payload["audit.json"]),
                "enrolment": len(payload["enrolment.json"]),
            },
            # Enrolment photos are face data: carried only when the bundle is encrypted.
            "enrolment_photos": passphrase is not None,
            "members": members,
        }
        zf.writestr("manifest.json", _dump(manifest))
    if passphrase is not None:
        try:
            encrypt_file(out, final, passphrase)
        except CryptoError as exc:
            raise BundleError(str(exc)) from None
        out = final
    with open(out, "rb") as fh:
        file_sha = _sha_of(fh)
    students = len(payload["students.json"])
    with sessions.begin() as s:
        s.add(
            BundleExchange(
                bundle_id=bundle_id,
                direction="export",
                peer_store="",
                station_name=station_name,
                file_sha256=file_sha,
                students=students,
                summary=f"导出 {students} 名学生",
                operator=operator,
            )
        )
        audit.record(
            s,
            operator,
            "bundle-export",
            "station",
            payload["station_id"],
            f"导出学习中心数据包 {out.name}：{students} 名学生（含完整身份证号"
            + ("，已用口令加密）" if passphrase is not None else "，未加密）"),
            None,
            {
                "file": out.name,
                "bundle_id": bundle_id,
                "students": students,
                "photos": len(payload["photos.json"]),
                "full_id_numbers": True,
                "encrypted": passphrase is not None,
                "enrolment_photos": len(payload["enrolment.json"]),
                "enrolment_left_out": left_out,
            },
        )
    log.info("已导出学习中心数据包 %s（%d 名学生）", out.name, students)
    return ExportResult(
        out,
        bundle_id,
        students,
        len(payload["photos.json"]),
        missing,
        len(payload["enrolment.json"]),
        left_out,
    )


def _carry_enrolment(payload: dict[str, Any], store: PhotoStore, sealed: bool, missing: list[str]) -> int:
    """Keep the enrolment records whose originals travel; a student whose enrolment photo does not travel (a
    plain bundle, or the original missing here) does not carry the field at all, so a merge leaves it alone.
    Returns how many were left out because the bundle is not encrypted."""
    by_no = {rec["student_no"]: rec for rec in payload["students.json"]}
    kept, left_out = [], 0
    for rec in payload["enrolment.json"]:
        fields = by_no[rec["student_no"]]["fields"]
        if not sealed:
            left_out += 1
        elif not store.path(rec["stored_name"]).is_file():
            missing.append(f"录取照片 {rec['sha256'][:12]}")
        else:
            kept.append(rec)
            continue
        fields.pop("enrolment", None)
    if not sealed:  # none at all: not even whether a student has one
        for rec in payload["students.json"]:
            rec["fields"].pop("enrolment", None)
    payload["enrolment.json"] = kept
    return left_out


def _sha_of(handle) -> str:
    digest = hashlib.sha256()
    while chunk := handle.read(_CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def _write_file(zf: zipfile.ZipFile, member: str, path: Path) -> dict[str, Any]:
    digest = hashlib.sha256()
    size = 0
    with (
        open(path, "rb") as src,
        zf.open(zipfile.ZipInfo(member, date_time=(2020, 1, 1, 0, 0, 0)), "w") as dst,
    ):
        while chunk := src.read(_CHUNK):
            digest.update(chunk)
            dst.write(chunk)
            size += len(chunk)
    return {"sha256": digest.hexdigest(), "size": size}


def _collect(s: Session, station: Station) -> dict[str, Any]:
    snaps = station_snapshots(s, station.id)
    by_id = {snap["id"]: no for no, snap in snaps.items()}
    students = [
        {
            "student_no": no,
            "shot_no": snap["shot_no"],
            "fields": snap["fields"],
            "proof_updated_at": snap["proof_updated_at"],
        }
        for no, snap in snaps.items()
    ]
    ids = list(by_id)
    photos = []
    records = []
    events = []
    if ids:
        for p in s.scalars(
            select(Photo).join(Student).where(Student.station_id == station.id).order_by(Photo.id)
        ):
            suffix = Path(p.stored_name).suffix.lower()[:8]
            entry = {k: _iso(getattr(p, k)) for k in _PHOTO_KEYS + tuple(PHOTO_OPTIONAL)}
            entry.update(
                student_no=by_id[p.student_id],
                is_current=bool(p.is_current),
                stored_name=p.stored_name,
                file=f"photos/{p.sha256}{suffix}",
                thumbnail=base64.b64encode(p.thumbnail).decode("ascii") if p.thumbnail else None,
            )
            photos.append(entry)
        for r in s.scalars(
            select(ProofRecord).join(Student).where(Student.station_id == station.id).order_by(ProofRecord.id)
        ):
            records.append(
                {
                    "student_no": by_id[r.student_id],
                    "state": r.state,
                    "errors": r.errors,
                    "note": r.note or "",
                    "source": r.source,
                    "operator": r.operator,
                    "at": _iso(r.at),
                }
            )
    cond = (AuditEvent.entity == "station") & (AuditEvent.entity_id == station.id)
    members = select(Student.id).where(Student.station_id == station.id).scalar_subquery()
    stmt = (
        select(AuditEvent)
        .where(or_(cond, (AuditEvent.entity == "student") & AuditEvent.entity_id.in_(members)))
        .order_by(AuditEvent.id)
    )
    for e in s.scalars(stmt):
        events.append(
            {
                "at": _iso(e.at),
                "operator": e.operator,
                "action": e.action,
                "entity": e.entity,
                "student_no": by_id.get(e.entity_id) if e.entity == "student" else None,
                "summary": e.summary,
                "old": e.old,
                "new": e.new,
            }
        )
    enrolment = []
    if ids:
        for e in s.scalars(
            select(EnrolmentPhoto)
            .join(Student)
            .where(Student.station_id == station.id)
            .order_by(EnrolmentPhoto.id)
        ):
            suffix = Path(e.stored_name).suffix.lower()[:8]
            enrolment.append(
                {
                    "student_no": by_id[e.student_id],
                    "sha256": e.sha256,
                    "stored_name": e.stored_name,
                    "original_name": e.original_name,
                    "size_bytes": e.size_bytes,
                    "imported_at": _iso(e.imported_at),
                    "file": f"{ENROLMENT_FOLDER}/{e.sha256}{suffix}",
                }
            )
    station_data = {k: _iso(getattr(station, k)) for k in _STATION_KEYS}
    return {
        "station_id": station.id,
        "station.json": station_data,
        "students.json": students,
        "photos.json": photos,
        "proof_records.json": records,
        "audit.json": events,
        "enrolment.json": enrolment,
    }


# -- reading and verifying ------------------------------------------------------------------------------------


@dataclass
class Bundle:
    """A verified bundle: every checksum matched and every record passed the checks."""

    path: Path
    file_sha256: str
    manifest: dict[str, Any]
    station: dict[str, Any]
    students: list[dict[str, Any]]
    photos: list[dict[str, Any]]
    proof_records: list[dict[str, Any]]
    audit: list[dict[str, Any]]
    plain_path: Path | None = None  # the decrypted zip of an encrypted bundle (open_bundle), else None
    enrolment: list[dict[str, Any]] = field(default_factory=list)  # enrolment photo records (format 3)

    @property
    def bundle_id(self) -> str:
        return self.manifest["bundle_id"]

    @property
    def source_store(self) -> str:
        return self.manifest["source_store"]

    @property
    def station_name(self) -> str:
        return self.station["name"]

    def extract_photo(self, member: str, target: Path) -> None:
        """Copy one original out of the bundle, checking its checksum again on the way."""
        expected = self.manifest["members"][member]["sha256"]
        digest = hashlib.sha256()
        try:
            with (
                zipfile.ZipFile(self.plain_path or self.path) as zf,
                zf.open(member) as src,
                open(target, "wb") as dst,
            ):
                while chunk := src.read(_CHUNK):
                    digest.update(chunk)
                    dst.write(chunk)
        except OSError as exc:  # most often a full temp folder: where, and that nothing was written
            raise BundleError(
                f"数据包 {self.path.name} 的照片无法取出到临时文件夹 {target.parent}：{os_reason(exc)}"
                "（未写入任何数据）"
            ) from exc
        except (zipfile.BadZipFile, KeyError, EOFError, zlib.error) as exc:
            raise BundleError(f"数据包 {self.path.name} 在读取照片时出错：{exc}（未写入任何数据）") from exc
        if digest.hexdigest() != expected:
            raise BundleError(f"数据包 {self.path.name} 中的照片 {member} 校验和不符（文件在读取期间被改动）")


def _not_a_link(path: Path | str) -> Path:
    try:  # a bundle arrives from outside: a link is never followed to whatever it points at
        return refuse_link(path)
    except LinkRefused as exc:
        raise BundleError(str(exc)) from None


def read_bundle(path: Path | str) -> Bundle:
    """Open and verify a bundle; raises BundleError (Chinese reason) for anything damaged, altered or foreign.

    An encrypted bundle is opened with `open_bundle(path, passphrase)` instead."""
    path = _not_a_link(path)
    name = path.name
    if is_encrypted(path):
        raise BundleError(f"数据包 {name} 已用口令加密，请输入口令后再导入")
    try:
        with open_no_follow(path) as fh:  # one open, no link followed even if one is swapped in meanwhile
            file_sha = _sha_of(fh)
            fh.seek(0)
            with zipfile.ZipFile(fh) as zf:
                return _read(zf, path, file_sha)
    except BundleError:
        raise
    except LinkRefused as exc:
        raise BundleError(str(exc)) from None
    except FileNotFoundError:
        raise BundleError(f"找不到数据包文件 {name}") from None
    except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile, NotImplementedError, zlib.error) as exc:
        raise BundleError(f"数据包 {name} 已损坏或不完整（不是完整的 zip 文件：{exc}）") from None
    except OSError as exc:
        raise BundleError(f"数据包 {name} 无法读取：{os_reason(exc)}") from None
    except (RuntimeError, ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
        raise BundleError(
            f"数据包 {name} 内容无效，无法读取（{type(exc).__name__}，可能被改动或损坏）"
        ) from None


def _read(zf: zipfile.ZipFile, path: Path, file_sha: str) -> Bundle:
    name = path.name
    infos = {i.filename: i for i in zf.infolist()}
    if "manifest.json" not in infos:
        raise BundleError(f"{name} 不是学历图像工作台的站点数据包（缺少清单 manifest.json）")
    manifest = _load_json(zf, "manifest.json", name)
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BundleError(f"{name} 不是学历图像工作台的站点数据包（清单格式不符）")
    version = manifest.get("version")
    if not isinstance(version, int) or version < 1:
        raise BundleError(f"数据包 {name} 的格式版本无效")
    if version > FORMAT_VERSION:
        raise BundleError(
            f"数据包版本较新，请先升级程序（{name} 的格式版本为 {version}，本程序最高支持 {FORMAT_VERSION}）"
        )
    for key in ("bundle_id", "source_store", "station"):
        if not isinstance(manifest.get(key), str) or not manifest[key] or len(manifest[key]) > 200:
            raise BundleError(f"数据包 {name} 的清单缺少 {key}")
    members = manifest.get("members")
    if not isinstance(members, dict):
        raise BundleError(f"数据包 {name} 的清单缺少文件列表")
    json_members = _JSON_MEMBERS if version >= 3 else _JSON_MEMBERS_BEFORE_3
    extra = set(infos) - set(members) - {"manifest.json"}
    if extra:
        raise BundleError(f"数据包 {name} 含有清单之外的文件（{min(extra)}），可能被改动过")
    caps = _part_caps(manifest, name)
    total = 0
    for member, info in infos.items():
        # Only the names GradPhoto writes: its JSON parts, photos/<sha256>.<ext> and (format 3)
        # enrolment/<sha256>.<ext>; never a path, a link or a part larger than any photo or roster.
        is_file = _MEMBER.fullmatch(member) is not None or (
            version >= 3 and _ENROLMENT_MEMBER.fullmatch(member) is not None
        )
        plain = member in json_members or member == "manifest.json" or is_file
        if not plain or "\\" in member or info.is_dir():
            raise BundleError(f"数据包 {name} 含有不允许的文件名（{member[:80]}），拒绝导入")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise BundleError(f"数据包 {name} 含有链接（{member[:80]}），拒绝导入")
        limit = caps.get(member, _MAX_JSON_BYTES) if not is_file else _MAX_PHOTO_BYTES
        if info.file_size > limit:
            raise BundleError(f"数据包 {name} 中的 {member[:80]} 过大（{info.file_size >> 20} MB），拒绝导入")
        photo_bomb = (  # a JPEG or PNG barely packs; 1 MB of zeros packs 1000:1 (5,000 of them took 21 s)
            is_file
            and info.file_size > (64 << 10)
            and info.file_size > _MAX_PHOTO_RATIO * max(1, info.compress_size)
        )
        if photo_bomb or (
            info.file_size > (1 << 20) and info.file_size > _MAX_RATIO * max(1, info.compress_size)
        ):
            raise BundleError(  # 500 MB of "0," packed into 0.5 MB took 30 s and 2.7 GB to parse
                f"数据包 {name} 中的 {member[:80]} 压缩比异常"
                f"（{info.file_size // max(1, info.compress_size)} 倍），拒绝导入"
            )
        total += info.file_size
    if total > _MAX_TOTAL_BYTES:
        raise BundleError(f"数据包 {name} 解压后超过 {_MAX_TOTAL_BYTES >> 30} GB，拒绝导入")
    if len(infos) > caps["members"]:
        raise BundleError(f"数据包 {name} 含有 {len(infos)} 个文件，多于清单所列照片数，拒绝导入")
    for member, meta in members.items():
        info = infos.get(member)
        if info is None:
            raise BundleError(f"数据包 {name} 缺少文件 {member}（不完整）")
        if (
            not isinstance(meta, dict)
            or not isinstance(meta.get("sha256"), str)
            or meta.get("size") != info.file_size
        ):
            raise BundleError(f"数据包 {name} 中的文件 {member} 大小与清单不符（被改动或不完整）")
        with zf.open(info) as fh:
            if _sha_of(fh) != meta["sha256"]:
                raise BundleError(f"数据包 {name} 中的文件 {member} 校验和不符（被改动或损坏）")
    for required in json_members:
        if required not in members:
            raise BundleError(f"数据包 {name} 缺少 {required}（不完整）")
    bundle = Bundle(
        path,
        file_sha,
        manifest,
        _load_json(zf, "station.json", name),
        _load_json(zf, "students.json", name),
        _load_json(zf, "photos.json", name),
        _load_json(zf, "proof_records.json", name),
        _load_json(zf, "audit.json", name),
        enrolment=_load_json(zf, "enrolment.json", name) if version >= 3 else [],
    )
    counts = manifest.get("counts")
    if counts is not None:  # written by every version that has it; older bundles go without
        if (
            not isinstance(counts, dict)
            or counts.get("students") != (len(bundle.students) if isinstance(bundle.students, list) else None)
            or counts.get("photos") != (len(bundle.photos) if isinstance(bundle.photos, list) else None)
            or any(
                key in counts and counts[key] != (len(part) if isinstance(part, list) else None)
                for key, part in (
                    ("proof_records", bundle.proof_records),
                    ("audit", bundle.audit),
                    ("enrolment", bundle.enrolment),
                )
            )
        ):
            raise BundleError(f"数据包 {name} 的清单记录数与内容不符（被改动或不完整），拒绝导入")
    _validate(bundle, members)
    return bundle


# How large each JSON part can be for the records the manifest declares (a record is far smaller; a photo
# record carries its thumbnail), and how many records a station can hold. Checked before anything is parsed:
# 480 MB of JSON packed just under the ratio limit took 29 s and 2.6 GB to parse before the counts told.
_PER_RECORD = {
    "students.json": ("students", 16 << 10),
    "photos.json": ("photos", 96 << 10),
    "proof_records.json": ("proof_records", 16 << 10),
    "audit.json": ("audit", 32 << 10),
    "enrolment.json": ("enrolment", 4 << 10),
}
_MAX_RECORDS = {
    "students": 200_000,
    "photos": 1_000_000,
    "proof_records": 2_000_000,
    "audit": 10_000_000,
    "enrolment": 200_000,
}
_MAX_PHOTO_RATIO = 100  # a BMP or TIFF original of a flat backdrop packs well; zeros pack 1000:1
_NO_COUNTS_CAP = 256 << 20  # a version-1 bundle from before the counts


def _part_caps(manifest: dict, name: str) -> dict[str, int]:
    counts = manifest.get("counts")
    if counts is None:
        if manifest["version"] >= 2:
            raise BundleError(f"数据包 {name} 的清单缺少记录数（被改动或不完整）")
        return {"members": 6 + 2_000_000, **{m: _NO_COUNTS_CAP for m in _PER_RECORD}, "station.json": 1 << 20}
    version = manifest["version"]
    if not isinstance(counts, dict):
        raise BundleError(f"数据包 {name} 的清单记录数无效")
    caps: dict[str, int] = {"station.json": 1 << 20}
    for member, (key, per) in _PER_RECORD.items():
        if key == "enrolment" and version < 3:
            continue
        n = counts.get(key, 0 if key in ("proof_records", "audit") else None)
        if not isinstance(n, int) or isinstance(n, bool) or not 0 <= n <= _MAX_RECORDS[key]:
            raise BundleError(f"数据包 {name} 的清单记录数无效（{key}）")
        caps[member] = (64 << 10) + n * per
    # The JSON parts and the manifest, one file per photo record and (format 3) one per enrolment record.
    if version < 3:
        caps["members"] = 6 + counts["photos"]
    else:
        caps["members"] = 7 + counts["photos"] + counts["enrolment"]
    return caps


def _load_json(zf: zipfile.ZipFile, member: str, name: str) -> Any:
    info = zf.getinfo(member)
    if info.file_size > _MAX_JSON_BYTES:
        raise BundleError(f"数据包 {name} 中的 {member} 过大")  # (each part was also held to its count)
    try:
        return json.loads(zf.read(member).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise BundleError(f"数据包 {name} 中的 {member} 不是有效的 JSON（被改动或损坏）") from None


_SHA = re.compile(r"[0-9a-f]{64}")
_STATION_TEXT_KEYS = (
    "name",
    "school_name",
    "school_code",
    "default_school_type",
    "payee_name",
    "payee_address",
    "payee_postcode",
    "payee_contact",
    "payee_phone",
    "default_preset",
)
_STATION_LENGTHS = {
    c.key: c.type.length for c in Station.__table__.columns if isinstance(c.type, String) and c.type.length
}
_PRESET_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
_SUFFIX = r"(\.[^/\\:\x00-\x1f]{1,7})?"  # what PhotoStore keeps of a file's suffix; never a separator
_STORED = re.compile(r"[0-9a-f]{2}/[0-9a-f]{64}" + _SUFFIX)
_MEMBER = re.compile(r"photos/[0-9a-f]{64}" + _SUFFIX)
_ENROLMENT_MEMBER = re.compile(ENROLMENT_FOLDER + r"/[0-9a-f]{64}" + _SUFFIX)
_ENROLMENT_STORED = re.compile(ENROLMENT_FOLDER + r"/[0-9a-f]{2}/[0-9a-f]{64}" + _SUFFIX)
_STUDENT_LENGTHS = {
    c.key: c.type.length for c in Student.__table__.columns if isinstance(c.type, String) and c.type.length
}


def _shown(text: str) -> str:
    """A value from a bundle, safe to print: no control characters reach a terminal or a dialog."""
    return "".join("?" if has_control(ch) else ch for ch in text[:40])


def _check(ok: bool, name: str, what: str) -> None:
    if not ok:
        raise BundleError(f"数据包 {name} 内容无效：{what}")


def _knows_override(bundle: Bundle) -> bool:
    """仍接受 came with format 2. The builds between the state and the version bump (2026-11-30/12-01) wrote it
    into bundles still marked 1, but always with its photo fields: such a bundle is read as it was meant."""
    if bundle.manifest["version"] >= PHOTO_OPTIONAL_SINCE:
        return True
    photos = bundle.photos if isinstance(bundle.photos, list) else []
    return bool(photos) and all(isinstance(p, dict) and "override_reason" in p for p in photos)


def _validate(bundle: Bundle, members: dict[str, Any]) -> None:
    name = bundle.path.name
    station = bundle.station
    _check(
        isinstance(station, dict)
        and isinstance(station.get("name"), str)
        and 0 < len(station["name"]) <= 200,
        name,
        "学习中心名称缺失",
    )
    _check(station["name"] == bundle.manifest["station"], name, "清单与学习中心名称不一致")
    _check(isinstance(station.get("next_shot_no"), int), name, "学习中心的拍摄序号计数无效")
    version = bundle.manifest["version"]
    _check(
        isinstance(station.get("identity_check"), bool) or (version < 3 and "identity_check" not in station),
        name,
        "学习中心的人脸比对开关无效",
    )
    for key in _STATION_TEXT_KEYS:  # settings a new station is created with, printed on forms and the disc
        value = station.get(key)
        if value is None:
            continue
        limit = _STATION_LENGTHS.get(key)
        _check(
            isinstance(value, str) and not has_control(value) and (limit is None or len(value) <= limit),
            name,
            f"学习中心设置 {key} 无效（过长或含有控制字符）",
        )
        station[key] = strip_invisible(value)
    _check(
        not isinstance(station.get("default_preset"), str)
        or _PRESET_NAME.fullmatch(station["default_preset"]) is not None,
        name,
        "学习中心的默认规格名称无效",
    )
    codes = station.get("dept_codes")
    _check(
        codes is None
        or (
            isinstance(codes, list)
            and len(codes) <= 1000
            and all(
                isinstance(c, dict) and all(isinstance(v, str) and not has_control(v) for v in c.values())
                for c in codes
            )
        ),
        name,
        "学习中心的院系代码表无效",
    )
    _check(isinstance(bundle.students, list), name, "学生列表无效")
    seen_no: set[str] = set()
    seen_id: set[str] = set()
    for i, rec in enumerate(bundle.students, 1):
        where = f"第 {i} 名学生"
        _check(isinstance(rec, dict) and isinstance(rec.get("fields"), dict), name, f"{where}的记录无效")
        _check(
            isinstance(rec.get("shot_no"), int) and 0 < rec["shot_no"] < 2**31, name, f"{where}的拍摄序号无效"
        )
        fields = rec["fields"]
        carried = (
            set(MERGE_FIELDS)
            - (set(SINCE_3) if version < 3 else set())
            - (set(SINCE_4) if version < 4 else set())
        )
        # A student whose enrolment photo does not travel (a plain bundle) carries no such field at all.
        _check(
            set(fields) == carried or (version >= 3 and set(fields) == carried - set(NOT_IN_PLAIN)),
            name,
            f"{where}的字段不完整",
        )
        no = rec.get("student_no")
        _check(isinstance(no, str) and no != "" and no == fields["student_no"], name, f"{where}缺少学号")
        _check(no not in seen_no, name, f"学号 {no} 重复")
        seen_no.add(no)
        for key in ROSTER_KEYS + ("withdrawn_reason", "withdrawn_date", "photo_state"):
            if key not in fields:  # 考生号 in a bundle older than format 3
                continue
            value = fields[key]
            if key in _DATE_KEYS:
                _check(
                    value is None or (isinstance(value, str) and _is_date(value)),
                    name,
                    f"{where}（{no}）的{FIELD_LABELS[key]}不是日期",
                )
                continue
            _check(isinstance(value, str), name, f"{where}（{no}）的{FIELD_LABELS[key]}无效")
            limit = _STUDENT_LENGTHS.get(key)
            _check(limit is None or len(value) <= limit, name, f"{where}（{no}）的{FIELD_LABELS[key]}过长")
            if key not in (
                "student_no",
                "id_number",
            ):  # keys that name the student stay as sent (and checked)
                value = fields[key] = strip_invisible(value)  # as an import drops them
            try:  # the rules an import or an edit applies: a bundle cannot bring what a clerk could not type
                check_text(key, value)
            except ValueProblem as exc:
                raise BundleError(
                    f"数据包 {name} 内容无效：{where}（{_shown(no)}）的{FIELD_LABELS[key]}{exc}。"
                    "请在发出数据包的学习中心改正该学生的记录后重新导出"
                ) from None
        _check(fields["name"] != "", name, f"{where}（{no}）缺少姓名")
        _check(fields["sex"] in ("男", "女"), name, f"{where}（{no}）的性别无效")
        try:
            parsed = parse_id_number(fields["id_number"])
        except IdNumberError as exc:
            raise BundleError(f"数据包 {name} 内容无效：{where}（{no}）的身份证号码：{exc}") from None
        _check(parsed.number == fields["id_number"], name, f"{where}（{no}）的身份证号码格式不规范")
        _check(parsed.number not in seen_id, name, f"{where}（{no}）的身份证号码与另一名学生重复")
        seen_id.add(parsed.number)
        _check(isinstance(fields["withdrawn"], bool), name, f"{where}（{no}）的学籍异动标记无效")
        _check(
            fields["photo_state"] in PHOTO_STATES
            and (fields["photo_state"] != "override" or _knows_override(bundle)),
            name,
            f"{where}（{no}）的照片状态无效",
        )
        proof = fields["proof"]
        _check(
            isinstance(proof, dict)
            and proof.get("state") in STATE_BY_KEY
            and isinstance(proof.get("note"), str)
            and (proof.get("errors") is None or isinstance(proof["errors"], list)),
            name,
            f"{where}（{no}）的校对状态无效",
        )
        photo = fields["photo"]
        _check(
            photo is None
            or (
                isinstance(photo, dict)
                and isinstance(photo.get("sha256"), str)
                and _SHA.fullmatch(photo["sha256"]) is not None
                and isinstance(photo.get("crop"), list)
                and len(photo["crop"]) == 5
                and crop_is_sane(photo["crop"])
                and isinstance(photo.get("review"), str)
            ),
            name,
            f"{where}（{no}）的照片记录无效",
        )
        _check(
            rec.get("proof_updated_at") is None or _is_datetime(rec["proof_updated_at"]),
            name,
            f"{where}（{no}）的校对时间无效",
        )
        enrolment = fields.get("enrolment")
        _check(
            enrolment is None or (isinstance(enrolment, str) and _SHA.fullmatch(enrolment) is not None),
            name,
            f"{where}（{no}）的录取照片记录无效",
        )
    _check(isinstance(bundle.photos, list), name, "照片列表无效")
    for p in bundle.photos:
        _check(isinstance(p, dict) and p.get("student_no") in seen_no, name, "照片记录指向不存在的学生")
        _check(
            isinstance(p.get("sha256"), str) and _SHA.fullmatch(p["sha256"]) is not None,
            name,
            "照片记录的校验和无效",
        )
        # Names from a bundle never become paths as they are: only the store's own sha-based form is accepted.
        _check(
            isinstance(p.get("stored_name"), str)
            and _STORED.fullmatch(p["stored_name"]) is not None
            and p["stored_name"][3:67] == p["sha256"],
            name,
            "照片记录的存储名无效",
        )
        _check(
            p.get("file") is None
            or (
                isinstance(p["file"], str)
                and _MEMBER.fullmatch(p["file"]) is not None
                and p["file"] in members
                and members[p["file"]]["sha256"] == p["sha256"]
            ),
            name,
            "照片记录与照片文件不一致",
        )
        _check(
            all(k in p for k in _PHOTO_KEYS) and isinstance(p.get("is_current"), bool), name, "照片记录不完整"
        )
        if bundle.manifest["version"] < PHOTO_OPTIONAL_SINCE:
            for key, default in PHOTO_OPTIONAL.items():
                p.setdefault(key, default)
        _check(all(k in p for k in PHOTO_OPTIONAL), name, "照片记录不完整")
        _check(
            isinstance(p["override_reason"], str)
            and len(p["override_reason"]) <= 300
            and isinstance(p["qc_version"], int)
            and not isinstance(p["qc_version"], bool)
            and 0 <= p["qc_version"] <= 1_000_000,
            name,
            "照片记录字段无效",
        )
        for key in (
            "crop_left",
            "crop_top",
            "crop_width",
            "crop_height",
            "crop_rotation",
            "auto_left",
            "auto_top",
            "auto_width",
            "auto_height",
            "auto_rotation",
        ):
            _check(
                p[key] is None
                or (
                    isinstance(p[key], (int, float))
                    and not isinstance(p[key], bool)
                    and math.isfinite(p[key])
                ),
                name,
                "照片裁剪参数无效",
            )
        for prefix in ("crop", "auto"):
            rect = [p[f"{prefix}_{k}"] for k in ("left", "top", "width", "height")]
            turn = p[f"{prefix}_rotation"] or 0.0
            _check(
                crop_is_sane(rect + [turn] if any(v is not None for v in rect) else [None] * 5),
                name,
                "照片裁剪参数无效",
            )
        _check(
            isinstance(p["preset"], str)
            and len(p["preset"]) <= 100
            and isinstance(p["review"], str)
            and len(p["review"]) <= 20
            and isinstance(p["qc_status"], str)
            and len(p["qc_status"]) <= 10
            and isinstance(p["original_name"], str)
            and len(p["original_name"]) <= 300
            and isinstance(p["source_kind"], str)
            and len(p["source_kind"]) <= 20
            and isinstance(p["reviewed_by"], str)
            and len(p["reviewed_by"]) <= 100
            and isinstance(p["size_bytes"], int)
            and isinstance(p["faces"], int)
            and isinstance(p["source_width"], int)
            and isinstance(p["source_height"], int)
            and isinstance(p["error"], str)
            and isinstance(p["adjusted"], bool)
            and all(p[k] is None or _is_datetime(p[k]) for k in ("taken_at", "created_at", "reviewed_at")),
            name,
            "照片记录字段无效",
        )
        _check(p.get("thumbnail") is None or isinstance(p["thumbnail"], str), name, "照片缩略图无效")
    _validate_enrolment(bundle, members, seen_no)
    _check(isinstance(bundle.proof_records, list), name, "校对记录无效")
    for r in bundle.proof_records:
        _check(
            isinstance(r, dict)
            and r.get("student_no") in seen_no
            and isinstance(r.get("state"), str)
            and len(r["state"]) <= 30
            and isinstance(r.get("note"), str)
            and isinstance(r.get("source"), str)
            and len(r["source"]) <= 20
            and isinstance(r.get("operator"), str)
            and len(r["operator"]) <= 100
            and (r.get("errors") is None or isinstance(r["errors"], list))
            and _is_datetime(r.get("at")),
            name,
            "校对记录无效",
        )
    _check(isinstance(bundle.audit, list), name, "操作日志无效")
    for e in bundle.audit:
        _check(
            isinstance(e, dict)
            and _is_datetime(e.get("at"))
            and isinstance(e.get("operator"), str)
            and len(e["operator"]) <= 100
            and isinstance(e.get("action"), str)
            and len(e["action"]) <= 50
            and e.get("entity") in ("station", "student")
            and isinstance(e.get("summary"), str)
            and (e["entity"] == "station" or e.get("student_no") in seen_no)
            and (e.get("old") is None or isinstance(e["old"], dict))
            and (e.get("new") is None or isinstance(e["new"], dict)),
            name,
            "操作日志记录无效",
        )


def _validate_enrolment(bundle: Bundle, members: dict[str, Any], seen_no: set[str]) -> None:
    """Each enrolment record names a student of the bundle, once, with its original inside the bundle under
    the record's own checksum; a student's "enrolment" field names exactly that record."""
    name = bundle.path.name
    _check(isinstance(bundle.enrolment, list), name, "录取照片列表无效")
    by_no: dict[str, str] = {}
    for e in bundle.enrolment:
        _check(isinstance(e, dict) and e.get("student_no") in seen_no, name, "录取照片记录指向不存在的学生")
        no = e["student_no"]
        _check(no not in by_no, name, f"学生（{_shown(no)}）有多条录取照片记录")
        sha = e.get("sha256")
        _check(isinstance(sha, str) and _SHA.fullmatch(sha) is not None, name, "录取照片记录的校验和无效")
        # Names from a bundle never become paths: the store names the file itself; these are checked only.
        _check(
            isinstance(e.get("stored_name"), str)
            and _ENROLMENT_STORED.fullmatch(e["stored_name"]) is not None
            and e["stored_name"].split("/")[2][:64] == sha,
            name,
            "录取照片记录的存储名无效",
        )
        _check(
            isinstance(e.get("file"), str)
            and _ENROLMENT_MEMBER.fullmatch(e["file"]) is not None
            and e["file"] in members
            and members[e["file"]]["sha256"] == sha,
            name,
            f"录取照片记录与录取照片文件不一致（{_shown(no)}）",
        )
        _check(
            isinstance(e.get("original_name"), str)
            and len(e["original_name"]) <= 300
            and not has_control(e["original_name"])
            and isinstance(e.get("size_bytes"), int)
            and not isinstance(e["size_bytes"], bool)
            and e["size_bytes"] == members[e["file"]]["size"]
            and _is_datetime(e.get("imported_at")),
            name,
            f"录取照片记录字段无效（{_shown(no)}）",
        )
        by_no[no] = sha
    for rec in bundle.students:
        no, fields = rec["student_no"], rec["fields"]
        if "enrolment" in fields:
            _check(fields["enrolment"] == by_no.get(no), name, f"学生（{_shown(no)}）的录取照片与记录不一致")
        else:
            _check(no not in by_no, name, f"学生（{_shown(no)}）的录取照片与记录不一致")


def _is_date(value: Any) -> bool:
    try:
        dt.date.fromisoformat(value)
        return True
    except (TypeError, ValueError):
        return False


def _is_datetime(value: Any) -> bool:
    try:
        dt.datetime.fromisoformat(value)
        return True
    except (TypeError, ValueError):
        return False


def parse_date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def parse_datetime(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


__all__ = [
    "FIELD_LABELS",
    "MERGE_FIELDS",
    "Bundle",
    "BundleError",
    "ExportResult",
    "export_station",
    "read_bundle",
    "station_snapshots",
    "store_id",
]


@contextmanager
def open_bundle(path: Path | str, passphrase: str | None = None) -> Iterator[Bundle]:
    """A verified bundle, plain or encrypted; an encrypted one is opened into a private temporary folder
    that is removed when the block ends (merge inside the block: it reads the photos from there)."""
    path = _not_a_link(path)
    if not is_encrypted(path):
        yield read_bundle(path)
        return
    if not passphrase:
        raise BundleError(f"数据包 {path.name} 已用口令加密，请输入口令后再导入")
    try:
        with decrypted(path, passphrase) as plain:
            bundle = read_bundle(plain)
            yield replace(bundle, path=path.with_name(path.name), plain_path=plain)
    except CryptoError as exc:
        raise BundleError(str(exc)) from None
