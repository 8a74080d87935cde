"""Merging a station bundle into this store: new students added, known ones merged field by field, conflicts
left for a person to decide; everything in one transaction, after a backup, and nothing at all when nothing changed.

The merge is three-way per field. The base is what this store last received from the same source store for that
student (table exchange_base). A field changed only in the bundle is taken; changed only here is kept; changed on
both sides to different values is a conflict. With no base yet (the first exchange) any difference is a conflict.
After a merge the base becomes the bundle's values, so a decision to keep the local value sticks.
"""

from __future__ import annotations

import base64
import logging
import random
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, or_, select, text, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.models import (
    AuditEvent,
    BundleExchange,
    EnrolmentPhoto,
    ExchangeBase,
    Photo,
    ProofRecord,
    Station,
    Student,
    utcnow,
)
from app.services.capture.photo_store import ENROLMENT_FOLDER, PhotoStore
from app.services.common import audit
from app.services.exchange.bundle import (
    FIELD_LABELS,
    MERGE_FIELDS,
    ROSTER_KEYS,
    SINCE_3,
    SINCE_4,
    Bundle,
    BundleError,
    parse_date,
    parse_datetime,
    station_snapshots,
    store_id,
)
from app.services.proofing.states import result_text
from app.services.roster.importer import WRITE_ATTEMPTS, another_writer
from app.services.roster.names import pinyin_initials
from app.services.standards.idcard import mask_id

log = logging.getLogger(__name__)

LOCAL, BUNDLE = "local", "bundle"
_MISSING = object()


class UnresolvedConflicts(BundleError):
    """The bundle has conflicts without a decision; nothing was written."""

    def __init__(self, conflicts: list[Conflict]) -> None:
        super().__init__(
            f"有 {len(conflicts)} 名学生的数据两边都改过且不一致，需要逐一决定保留本地还是采用数据包；"
            "未写入任何数据"
        )
        self.conflicts = conflicts


@dataclass
class FieldConflict:
    key: str
    base: Any
    local: Any
    bundle: Any

    @property
    def label(self) -> str:
        return FIELD_LABELS.get(self.key, self.key)


@dataclass
class Conflict:
    """One student changed differently on both sides since the last exchange."""

    student_no: str
    name: str
    fields: list[FieldConflict]

    def describe(self) -> str:
        parts = [
            f"{f.label}：本地 {show(f.key, f.local)} / 数据包 {show(f.key, f.bundle)}" for f in self.fields
        ]
        return f"{self.student_no} {self.name}：" + "；".join(parts)


def show(key: str, value: Any) -> str:
    """A merge value as a clerk reads it (ID numbers masked)."""
    if value in (None, ""):
        return "（空）"
    if key == "id_number":
        return mask_id(str(value))
    if key == "enrolment":
        return f"录取照片 {str(value)[:8]}"
    if key == "photo":
        crop = value.get("crop") or []
        return f"照片 {value['sha256'][:8]}（{value.get('review', '')}，裁剪 {', '.join(str(v) for v in crop[:4])}）"
    if key == "proof":
        try:
            return result_text(value.get("state", ""), value.get("errors")) + (
                f"（{value['note']}）" if value.get("note") else ""
            )
        except KeyError:
            return str(value.get("state"))
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


@dataclass
class MergePlan:
    bundle_id: str
    station_name: str
    source_store: str
    new: list[dict[str, Any]] = field(default_factory=list)
    updates: dict[str, dict[str, Any]] = field(default_factory=dict)  # 学号 → {field: bundle value}
    kept_local: int = 0
    unchanged: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # 学号, reason
    new_photos: list[dict[str, Any]] = field(default_factory=list)
    new_proof_records: list[dict[str, Any]] = field(default_factory=list)
    new_audit: list[dict[str, Any]] = field(default_factory=list)
    bases: dict[str, dict[str, Any]] = field(default_factory=dict)  # 学号 → snapshot to record
    already_imported: bool = False
    station_missing: bool = False
    # 学号 → the enrolment record taken from the bundle (None: the student's enrolment photo is deleted)
    enrolment: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    identity_off: bool = False  # the station switched the identity pre-check off: so is it here

    @property
    def has_changes(self) -> bool:
        return bool(
            self.new
            or self.updates
            or self.new_photos
            or self.new_proof_records
            or self.new_audit
            or self.bases
            or self.station_missing
            or self.enrolment
            or self.identity_off
        )

    def summary(self) -> str:
        text = (
            f"新增 {len(self.new)} 人，合并更新 {len(self.updates)} 人，保留本地 {self.kept_local} 人，"
            f"未变 {self.unchanged} 人，冲突 {len(self.conflicts)} 人，无法合并 {len(self.rejected)} 人；"
            f"新照片 {len(self.new_photos)} 张，校对记录 {len(self.new_proof_records)} 条，"
            f"操作日志 {len(self.new_audit)} 条"
        )
        if self.enrolment:
            text += f"，录取照片 {len(self.enrolment)} 名学生"
        if self.identity_off:
            text += "；学习中心已关闭人脸比对提示，本库随之关闭"
        if self.already_imported and not self.has_changes:
            text += "（此数据包已导入过，没有变化）"
        return text


@dataclass
class MergeReport:
    plan: MergePlan
    committed: bool
    backup: Path | None = None


class BundleMerger:
    """Plans and applies the merge of one verified bundle into this store."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        store: PhotoStore,
        operator: str = "",
        before_write: Callable[[str], Any] | None = None,
    ) -> None:
        self.sessions = sessions
        self.store = store
        self.operator = operator or audit.default_operator()
        self.before_write = before_write

    def plan(self, bundle: Bundle, decisions: dict[str, str] | None = None) -> MergePlan:
        """What a merge would do with these decisions (学号 → "local" | "bundle"), without writing."""
        with self.sessions() as s:
            return self._plan(s, bundle, decisions or {})

    def apply(
        self, bundle: Bundle, decisions: dict[str, str] | None = None, prefer: str | None = None
    ) -> MergeReport:
        """Merge in one transaction. Conflicts need a decision each (or `prefer`); otherwise nothing is written."""
        if bundle.source_store == store_id(self.sessions):
            raise BundleError("这个数据包是本库自己导出的，无需导入")
        decisions = dict(decisions or {})
        backup_path = None
        backed_up = False
        stored: list[str] = []  # originals this merge put into the photo store (enrolment/… for enrolment)
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                with self.sessions.begin() as s:
                    plan = self._plan(s, bundle, decisions, prefer)
                    if plan.conflicts:
                        raise UnresolvedConflicts(plan.conflicts)
                    if not plan.has_changes:
                        return MergeReport(plan, committed=False)
                    if self.before_write is not None and not backed_up:
                        info = self.before_write("before-bundle")
                        backup_path = getattr(info, "path", None)
                        backed_up = True
                    self._store_photos(bundle, plan, stored)
                    self._store_enrolment(bundle, plan, stored)
                    replaced = self._write(s, bundle, plan)
                break
            except (IntegrityError, OperationalError) as exc:
                # Another process merging or importing into this store at the same moment (creating the
                # same station, taking the same 拍摄序号): plan again from what it committed.
                if not another_writer(exc) or attempt == WRITE_ATTEMPTS:
                    self._forget_photos(stored)
                    if another_writer(exc):
                        raise BundleError(
                            "另一位同事正在写入同一个数据库，多次重试仍未成功；没有写入任何数据，请稍后再导入"
                        ) from None
                    raise
                time.sleep(random.uniform(0.05, 0.3) * attempt)
            except BaseException:
                self._forget_photos(stored)
                raise
        self._remove_unreferenced(replaced)
        log.info("已合并数据包（学习中心 %s）：%s", plan.station_name, plan.summary())
        self._refresh_statistics(plan)
        return MergeReport(plan, committed=True, backup=backup_path)

    def _forget_photos(self, stored: list[str]) -> None:
        """A merge that wrote nothing leaves no original behind that no record names (a full disk, a refusal)."""
        if not stored:
            return
        self._remove_unreferenced(stored)
        stored.clear()

    def _remove_unreferenced(self, names: list[str]) -> None:
        """Unlink those of these stored files that no photo and no enrolment photo names (face data goes at
        once, not at the next import)."""
        if not names:
            return
        try:
            with self.sessions() as s:
                named = set(s.scalars(select(Photo.stored_name).where(Photo.stored_name.in_(names))))
                named |= set(
                    s.scalars(select(EnrolmentPhoto.stored_name).where(EnrolmentPhoto.stored_name.in_(names)))
                )
        except Exception:  # the store itself failed: keep the files rather than guess
            return
        for name in set(names) - named:
            self.store.path(name).unlink(missing_ok=True)

    def _refresh_statistics(self, plan: MergePlan) -> None:
        """PostgreSQL plans from table statistics: after a big merge, refresh them rather than wait a minute for
        autovacuum (a store filled by a few merges otherwise keeps 'empty table' plans: seconds per bundle)."""
        added = len(plan.new) + len(plan.new_audit)
        with self.sessions() as s:
            if s.get_bind().dialect.name != "postgresql" or added < 200:
                return
            total = s.scalar(select(func.count()).select_from(Student)) or 0
            if added * 5 < total:  # the table grew by less than a fifth: the statistics still fit
                return
            s.execute(text("ANALYZE student, photo, proof_record, audit_event, exchange_base"))
            s.commit()

    # -- planning ---------------------------------------------------------------------------------------------
    def _plan(
        self, s: Session, bundle: Bundle, decisions: dict[str, str], prefer: str | None = None
    ) -> MergePlan:
        if bundle.plain_path is None and (
            bundle.enrolment or any(rec["fields"].get("enrolment") for rec in bundle.students)
        ):  # face data travels sealed only: an open bundle carrying it (made elsewhere) is not taken from
            raise BundleError(
                f"数据包 {bundle.path.name} 没有加密，却带有录取照片（人脸信息只随加密的数据包交换），"
                "未导入任何数据；请对方设置口令后重新导出"
            )
        plan = MergePlan(bundle.bundle_id, bundle.station_name, bundle.source_store)
        plan.already_imported = (
            s.scalars(
                select(BundleExchange.id).where(
                    BundleExchange.bundle_id == bundle.bundle_id, BundleExchange.direction == "import"
                )
            ).first()
            is not None
        )
        station = s.scalars(select(Station).where(Station.name == bundle.station_name)).first()
        plan.station_missing = station is None
        local = station_snapshots(s, station.id) if station is not None else {}
        nos = [rec["student_no"] for rec in bundle.students]
        id_numbers = [rec["fields"]["id_number"] for rec in bundle.students]
        others: dict[str, tuple[int, str]] = {}
        for chunk in range(
            0, max(len(nos), 1), 500
        ):  # only the rows this bundle can touch, in bounded IN lists
            for no, sid, idn in s.execute(
                select(Student.student_no, Student.station_id, Student.id_number).where(
                    or_(
                        Student.student_no.in_(nos[chunk : chunk + 500]),
                        Student.id_number.in_(id_numbers[chunk : chunk + 500]),
                    )
                )
            ):
                others[no] = (sid, idn)
        id_owner = {idn: no for no, (_, idn) in others.items()}
        bases = {
            b.student_no: b.snapshot
            for b in s.scalars(select(ExchangeBase).where(ExchangeBase.peer_store == bundle.source_store))
        }
        enrolments = {e["student_no"]: e for e in bundle.enrolment}
        plan.identity_off = (
            station is not None and station.identity_check and bundle.station.get("identity_check") is False
        )
        for rec in bundle.students:
            no = rec["student_no"]
            theirs = rec["fields"]
            mine = local.get(no)
            if mine is None:
                if no in others:
                    plan.rejected.append((no, "该学号在本库中属于另一个学习中心的学生，未合并"))
                    continue
                owner = id_owner.get(theirs["id_number"])
                if owner is not None:
                    plan.rejected.append((no, f"身份证号码已属于本库中学号为 {owner} 的学生，未合并"))
                    continue
                plan.new.append(rec)
                id_owner[theirs["id_number"]] = no
                plan.bases[no] = theirs
                if theirs.get("enrolment") is not None:
                    plan.enrolment[no] = enrolments[no]
                continue
            base = bases.get(no)
            take: dict[str, Any] = {}
            clashes: list[FieldConflict] = []
            carried = [k for k in MERGE_FIELDS if k in theirs]  # an older or plain bundle lacks some
            for key in carried:
                mine_v, theirs_v = mine["fields"][key], theirs[key]
                if mine_v == theirs_v:
                    continue
                base_v = base.get(key, _MISSING) if base is not None else _MISSING
                if base_v is _MISSING and key in (*SINCE_3, *SINCE_4) and mine_v in (None, ""):
                    # A field this store never received before (its bases predate format 3 or 4) and has no value
                    # for here: taking the bundle's overwrites nothing.
                    take[key] = theirs_v
                elif base_v is not _MISSING and mine_v == base_v:
                    take[key] = theirs_v
                elif base_v is not _MISSING and theirs_v == base_v:
                    continue  # changed here only: keep ours
                else:
                    clashes.append(
                        FieldConflict(key, None if base_v is _MISSING else base_v, mine_v, theirs_v)
                    )
            kept = len(clashes) == 0 and any(mine["fields"][k] != theirs[k] for k in carried if k not in take)
            if clashes:
                choice = decisions.get(no) or prefer
                if choice == BUNDLE:
                    take.update({c.key: c.bundle for c in clashes})
                elif choice == LOCAL:
                    kept = True
                else:
                    plan.conflicts.append(Conflict(no, mine["fields"]["name"], clashes))
                    continue
            if "id_number" in take:
                owner = id_owner.get(take["id_number"])
                if owner is not None and owner != no:
                    plan.rejected.append(
                        (no, f"数据包中的身份证号码已属于本库中学号为 {owner} 的学生，未合并")
                    )
                    continue
            if take:
                plan.updates[no] = take
                if "enrolment" in take:
                    plan.enrolment[no] = enrolments.get(no) if take["enrolment"] is not None else None
            elif kept:
                plan.kept_local += 1
            else:
                plan.unchanged += 1
            # What was received: a field the bundle does not carry keeps what was received before.
            received = {**(base or {}), **theirs}
            if base != received:
                plan.bases[no] = received
        self._plan_history(s, bundle, plan, local)
        return plan

    def _plan_history(
        self, s: Session, bundle: Bundle, plan: MergePlan, local: dict[str, dict[str, Any]]
    ) -> None:
        rejected = {no for no, _ in plan.rejected}
        ids = {no: snap["id"] for no, snap in local.items()}
        known_photos: set[tuple[str, str]] = set()
        known_proofs: set[tuple] = set()
        known_audit: set[tuple] = set()
        station = s.scalars(select(Station).where(Station.name == bundle.station_name)).first()
        if station is not None:
            # Subqueries, not IN lists: a station may hold more students than a statement may have parameters.
            members = select(Student.id).where(Student.station_id == station.id).scalar_subquery()
            by_id = {v: k for k, v in ids.items()}
            for sid, sha in s.execute(
                select(Photo.student_id, Photo.sha256).where(Photo.student_id.in_(members))
            ):
                known_photos.add((by_id[sid], sha))
            for r in s.execute(
                select(ProofRecord.student_id, ProofRecord.state, ProofRecord.at, ProofRecord.source).where(
                    ProofRecord.student_id.in_(members)
                )
            ):
                known_proofs.add((by_id[r[0]], r[1], r[2].isoformat(), r[3]))
            for e in s.execute(
                select(
                    AuditEvent.entity_id,
                    AuditEvent.at,
                    AuditEvent.operator,
                    AuditEvent.action,
                    AuditEvent.summary,
                ).where(AuditEvent.entity == "student", AuditEvent.entity_id.in_(members))
            ):
                known_audit.add((by_id.get(e[0]), e[1].isoformat(), e[2], e[3], e[4]))
            for e in s.execute(
                select(AuditEvent.at, AuditEvent.operator, AuditEvent.action, AuditEvent.summary).where(
                    AuditEvent.entity == "station", AuditEvent.entity_id == station.id
                )
            ):
                known_audit.add((None, e[0].isoformat(), e[1], e[2], e[3]))
        seen: set[tuple[str, str]] = set()
        for p in bundle.photos:
            key = (p["student_no"], p["sha256"])
            if p["student_no"] in rejected or key in known_photos or key in seen:
                continue
            seen.add(key)
            if p["file"] is None and not self.store.path(p["stored_name"]).is_file():
                continue  # the station no longer had the original: nothing to show
            plan.new_photos.append(p)
        for r in bundle.proof_records:
            key = (r["student_no"], r["state"], _norm_time(r["at"]), r["source"])
            if r["student_no"] not in rejected and key not in known_proofs:
                known_proofs.add(key)
                plan.new_proof_records.append(r)
        for e in bundle.audit:
            key = (e.get("student_no"), _norm_time(e["at"]), e["operator"], e["action"], e["summary"])
            if e.get("student_no") not in rejected and key not in known_audit:
                known_audit.add(key)
                plan.new_audit.append(e)

    # -- writing ----------------------------------------------------------------------------------------------
    def _store_photos(self, bundle: Bundle, plan: MergePlan, added: list[str]) -> None:
        """Originals go into the photo store before the transaction commits (content-addressed, so harmless
        alone); the ones this merge added are listed in `added`, to be taken out again if it fails."""
        with tempfile.TemporaryDirectory(prefix="gradphoto-bundle-") as tmp:
            for p in plan.new_photos:
                if p["file"] is None or self.store.path(p["stored_name"]).is_file():
                    continue
                target = Path(tmp) / Path(p["file"]).name
                bundle.extract_photo(p["file"], target)
                stored = self.store.add(target)
                added.append(stored.stored_name)
                if stored.sha256 != p["sha256"]:
                    raise BundleError(f"数据包中的照片 {p['file']} 与记录的校验和不符")
                p["stored_name"] = stored.stored_name
                target.unlink()

    def _store_enrolment(self, bundle: Bundle, plan: MergePlan, added: list[str]) -> None:
        """Enrolment originals into the store's enrolment folder, byte for byte, checked against their hash on
        the way out of the bundle and again as stored; listed in `added` like the photos."""
        enrolment_store = PhotoStore(self.store.root / ENROLMENT_FOLDER)
        with tempfile.TemporaryDirectory(prefix="gradphoto-bundle-") as tmp:
            for e in plan.enrolment.values():
                if e is None:
                    continue
                target = Path(tmp) / Path(e["file"]).name
                bundle.extract_photo(e["file"], target)
                stored = enrolment_store.add(target)
                e["local_name"] = f"{ENROLMENT_FOLDER}/{stored.stored_name}"
                added.append(e["local_name"])
                if stored.sha256 != e["sha256"]:
                    raise BundleError(f"数据包中的录取照片 {e['file']} 与记录的校验和不符")
                target.unlink()

    def _write(self, s: Session, bundle: Bundle, plan: MergePlan) -> list[str]:
        """Write the plan; returns the enrolment files it replaced or deleted (removed after the commit unless
        another student's record still names them)."""
        now = utcnow()
        station = s.scalars(select(Station).where(Station.name == bundle.station_name)).first()
        if station is None:
            station = self._create_station(s, bundle)
        elif plan.identity_off:
            self._switch_identity_off(s, bundle, station)
        station.next_shot_no = max(station.next_shot_no, bundle.station.get("next_shot_no") or 1)
        used = set(s.scalars(select(Student.shot_no).where(Student.station_id == station.id)))
        by_no = {rec["student_no"]: rec for rec in bundle.students}
        if plan.new:
            rows = []
            for rec in plan.new:
                shot = rec["shot_no"]
                if shot in used:
                    shot = station.next_shot_no
                    station.next_shot_no += 1
                used.add(shot)
                station.next_shot_no = max(station.next_shot_no, shot + 1)
                rows.append(
                    self._student_row(rec["fields"], station.id, shot, rec.get("proof_updated_at"), now)
                )
            s.execute(insert(Student), rows)
        ids = dict(
            s.execute(select(Student.student_no, Student.id).where(Student.station_id == station.id)).all()
        )
        current_photo: dict[str, dict[str, Any]] = {}
        for no, take in plan.updates.items():
            values: dict[str, Any] = {}
            for key, value in take.items():
                if key == "photo":
                    current_photo[no] = value
                elif key == "enrolment":
                    continue  # a row of its own (_write_enrolment)
                elif key == "proof":
                    values.update(
                        proof_state=value["state"],
                        proof_errors=value.get("errors"),
                        proof_note=value.get("note", ""),
                        proof_updated_at=parse_datetime(by_no[no].get("proof_updated_at")),
                    )
                elif key in _DATE_FIELDS:
                    values[key] = parse_date(value)
                else:
                    values[key] = value
            if "name" in values:
                values["name_initials"] = pinyin_initials(values["name"])
            if values:
                values["updated_at"] = now
                s.execute(update(Student).where(Student.id == ids[no]).values(values))
            audit.record(
                s,
                self.operator,
                "bundle-merge",
                "student",
                ids[no],
                f"合并数据包（{bundle.station_name}）时更新 {no}："
                + "、".join(FIELD_LABELS.get(k, k) for k in take),
                None,
                {"bundle_id": bundle.bundle_id, "fields": sorted(take)},
            )
        for rec in plan.new:
            if rec["fields"]["photo"] is not None:
                current_photo[rec["student_no"]] = rec["fields"]["photo"]
        self._write_photos(s, plan, ids, current_photo)
        replaced = self._write_enrolment(s, bundle, plan, ids)
        if plan.new_proof_records:
            s.execute(
                insert(ProofRecord),
                [
                    {
                        "student_id": ids[r["student_no"]],
                        "state": r["state"],
                        "errors": r.get("errors"),
                        "note": r["note"],
                        "source": r["source"],
                        "operator": r["operator"],
                        "at": parse_datetime(r["at"]),
                    }
                    for r in plan.new_proof_records
                ],
            )
        if plan.new_audit:
            s.execute(
                insert(AuditEvent),
                [
                    {
                        "at": parse_datetime(e["at"]),
                        "operator": e["operator"],
                        "action": e["action"],
                        "entity": e["entity"],
                        "entity_id": ids[e["student_no"]] if e["entity"] == "student" else station.id,
                        "summary": e["summary"],
                        "old": e.get("old"),
                        "new": e.get("new"),
                    }
                    for e in plan.new_audit
                ],
            )
        self._write_bases(s, bundle, plan, now)
        s.add(
            BundleExchange(
                bundle_id=bundle.bundle_id,
                direction="import",
                peer_store=bundle.source_store,
                station_name=bundle.station_name,
                file_sha256=bundle.file_sha256,
                students=len(bundle.students),
                summary=plan.summary(),
                operator=self.operator,
                at=now,
            )
        )
        audit.record(
            s,
            self.operator,
            "bundle-import",
            "station",
            station.id,
            f"导入学习中心数据包 {bundle.path.name}：{plan.summary()}",
            None,
            {
                "bundle_id": bundle.bundle_id,
                "source_store": bundle.source_store,
                "new": len(plan.new),
                "updated": len(plan.updates),
                "rejected": len(plan.rejected),
            },
        )
        return replaced

    def _write_enrolment(self, s: Session, bundle: Bundle, plan: MergePlan, ids: dict[str, int]) -> list[str]:
        """The bundle's enrolment photo replaces the student's (or, None, deletes it); the descriptor is
        computed here again from the original when it is first needed. Each change is audited."""
        replaced: list[str] = []
        for no, e in plan.enrolment.items():
            sid = ids[no]
            row = s.scalar(select(EnrolmentPhoto).where(EnrolmentPhoto.student_id == sid))
            old = None if row is None else {"sha256": row.sha256}
            if row is not None:
                replaced.append(row.stored_name)
                s.delete(row)
                s.flush()
            if e is not None:
                s.add(
                    EnrolmentPhoto(
                        student_id=sid,
                        sha256=e["sha256"],
                        stored_name=e["local_name"],
                        original_name=e["original_name"],
                        size_bytes=e["size_bytes"],
                        imported_at=parse_datetime(e["imported_at"]),
                        descriptor=None,
                        descriptor_model="",
                        descriptor_note="",
                    )
                )
            # A verdict made against the old enrolment photo says nothing about the new one.
            s.execute(
                update(Photo)
                .where(Photo.student_id == sid)
                .values(identity_verdict="", identity_distance=None, identity_note="")
            )
            audit.record(
                s,
                self.operator,
                "enrolment-merge" if e is not None else "enrolment-delete",
                "student",
                sid,
                f"合并数据包（{bundle.station_name}）时"
                + ("采用录取照片 " if e is not None else "删除录取照片 ")
                + no,
                old,
                None if e is None else {"sha256": e["sha256"]},
            )
        return replaced

    def _switch_identity_off(self, s: Session, bundle: Bundle, station: Station) -> None:
        """A station that switched the identity pre-check off is not compared here either (the more protective
        setting travels; a station's "on" never overrides this store's "off"); stored verdicts are cleared."""
        station.identity_check = False
        members = select(Student.id).where(Student.station_id == station.id).scalar_subquery()
        s.execute(
            update(Photo)
            .where(Photo.student_id.in_(members))
            .values(identity_verdict="", identity_distance=None, identity_note="")
        )
        audit.record(
            s,
            self.operator,
            "identity-check-off",
            "station",
            station.id,
            f"{station.name}：合并数据包时随学习中心关闭人脸比对提示",
            {"identity_check": True},
            {"identity_check": False, "bundle_id": bundle.bundle_id},
        )

    def _create_station(self, s: Session, bundle: Bundle) -> Station:
        data = dict(bundle.station)
        values = {
            k: data[k]
            for k in (
                "name",
                "school_name",
                "school_code",
                "default_school_type",
                "dept_codes",
                "payee_name",
                "payee_address",
                "payee_postcode",
                "payee_contact",
                "payee_phone",
                "default_preset",
            )
            if isinstance(data.get(k), (str, list))
        }
        for key in ("capture_deadline", "delivery_deadline", "proofing_deadline"):
            if isinstance(data.get(key), str):
                values[key] = parse_date(data[key])
        if isinstance(data.get("fee_per_student"), str):
            try:
                values["fee_per_student"] = Decimal(data["fee_per_student"])
            except InvalidOperation:
                pass
        if isinstance(data.get("identity_check"), bool):
            values["identity_check"] = data["identity_check"]
        station = Station(**values, next_shot_no=1)
        s.add(station)
        s.flush()
        audit.record(
            s,
            self.operator,
            "create",
            "station",
            station.id,
            f"由数据包新建学习中心 {station.name}",
            None,
            {"bundle_id": bundle.bundle_id},
        )
        return station

    @staticmethod
    def _student_row(
        fields: dict[str, Any], station_id: int, shot: int, proof_at: str | None, now
    ) -> dict[str, Any]:
        row = {
            k: (parse_date(fields[k]) if k in _DATE_FIELDS else fields[k]) for k in ROSTER_KEYS if k in fields
        }
        row.setdefault("exam_no", "")  # a bundle older than format 3
        row.setdefault("enrolment_file", "")  # a bundle older than format 4
        proof = fields["proof"]
        row.update(
            station_id=station_id,
            shot_no=shot,
            withdrawn=fields["withdrawn"],
            withdrawn_reason=fields["withdrawn_reason"],
            withdrawn_date=parse_date(fields["withdrawn_date"]),
            photo_state=fields["photo_state"],
            proof_state=proof["state"],
            proof_errors=proof.get("errors"),
            proof_note=proof.get("note", ""),
            proof_updated_at=parse_datetime(proof_at),
            name_initials=pinyin_initials(fields["name"]),
            created_at=now,
            updated_at=now,
        )
        return row

    def _write_photos(
        self, s: Session, plan: MergePlan, ids: dict[str, int], current_photo: dict[str, dict[str, Any]]
    ) -> None:
        if plan.new_photos:
            rows = []
            for p in plan.new_photos:
                row = {
                    k: p[k]
                    for k in (
                        "sha256",
                        "original_name",
                        "source_kind",
                        "size_bytes",
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
                        "reviewed_by",
                        "override_reason",
                        "qc_version",
                    )
                }
                row.update(
                    # Checks from another store are not trusted: measured here before accept or delivery.
                    qc_version=0,
                    student_id=ids[p["student_no"]],
                    is_current=False,
                    stored_name=p["stored_name"],
                    source_path="",
                    taken_at=parse_datetime(p["taken_at"]),
                    created_at=parse_datetime(p["created_at"]) or utcnow(),
                    reviewed_at=parse_datetime(p["reviewed_at"]),
                    thumbnail=base64.b64decode(p["thumbnail"]) if p.get("thumbnail") else None,
                )
                rows.append(row)
            s.execute(insert(Photo), rows)
        for no, value in current_photo.items():
            sid = ids[no]
            photos = list(s.scalars(select(Photo).where(Photo.student_id == sid).order_by(Photo.id)))
            if value is None:
                for p in photos:
                    p.is_current = False
                continue
            chosen = [p for p in photos if p.sha256 == value["sha256"]]
            if not chosen:
                continue  # the original never reached this store; the record stays as it was
            target = chosen[-1]
            for p in photos:
                p.is_current = p is target
            left, top, width, height, rotation = value["crop"]
            if (target.crop_left, target.crop_top, target.crop_width, target.crop_height) != (
                left,
                top,
                width,
                height,
            ) or float(target.crop_rotation or 0.0) != float(rotation or 0.0):
                # Another crop: its checks are measured here before anyone relies on them.
                target.qc_version, target.qc_rules = 0, ""
            target.crop_left, target.crop_top, target.crop_width, target.crop_height = (
                left,
                top,
                width,
                height,
            )
            target.crop_rotation = rotation or 0.0
            target.review = value["review"]

    def _write_bases(self, s: Session, bundle: Bundle, plan: MergePlan, now) -> None:
        if not plan.bases:
            return
        existing = {
            b.student_no: b
            for b in s.scalars(select(ExchangeBase).where(ExchangeBase.peer_store == bundle.source_store))
            if b.student_no in plan.bases
        }
        fresh = []
        for no, snap in plan.bases.items():
            if no in existing:
                existing[no].snapshot, existing[no].bundle_id, existing[no].at = snap, bundle.bundle_id, now
            else:
                fresh.append(
                    {
                        "peer_store": bundle.source_store,
                        "student_no": no,
                        "snapshot": snap,
                        "bundle_id": bundle.bundle_id,
                        "at": now,
                    }
                )
        if fresh:
            s.execute(insert(ExchangeBase), fresh)


_DATE_FIELDS = {k for k in ROSTER_KEYS if k.endswith("_date")} | {"withdrawn_date"}


def _norm_time(value: str) -> str:
    parsed = parse_datetime(value)
    return parsed.isoformat() if parsed else ""


__all__ = [
    "BUNDLE",
    "LOCAL",
    "BundleMerger",
    "Conflict",
    "FieldConflict",
    "MergePlan",
    "MergeReport",
    "UnresolvedConflicts",
    "show",
]
