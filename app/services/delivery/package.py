"""The disc package: photos named by the preset's template, the 汇总表, a manifest and 说明.txt.

As a folder, a .zip (UTF-8 names) or an ISO 9660 image with Joliet names (pycdlib). Everything is
staged in a hidden folder beside the target and moved into place at the end, so an interrupted run
leaves the previous package untouched. Same data → same photo bytes, workbook and manifest.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import re
import shutil
import tempfile
import threading
import time
import zipfile
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from app.models import ACCEPTED_STATES
from app.services.capture.photo_store import PhotoStore
from app.services.capture.service import CaptureError, CaptureService
from app.services.common import audit
from app.services.common.files import WriteError, atomic_open, os_reason
from app.services.common.xlsx_out import ZIP_EPOCH
from app.services.delivery.photos import render_delivery_jpegs
from app.services.delivery.preflight import (
    KIND_LABELS,
    Blocker,
    PreflightReport,
    file_name_for,
    naming_template,
    preflight,
    size_blocker,
    station_problems,
)
from app.services.delivery.records import add_record
from app.services.delivery.source import Delivery, DeliveryError, find_station_id, load_delivery
from app.services.delivery.summary import FILE_NAME as SUMMARY_NAME
from app.services.delivery.summary import summary_bytes
from app.services.photo import Preset, PresetError, load_preset
from app.services.photo.naming import NAMING_FIELDS
from app.services.photo.qc import rules_key

FORMATS = ("folder", "zip", "iso")
PHOTO_DIR = "照片"
PHOTO_DIR_ISO = "PHOTOS"
MANIFEST_NAME = "manifest.csv"
README_NAME = "说明.txt"
ISO_FIXED = {SUMMARY_NAME: "SUMMARY.XLSX", MANIFEST_NAME: "MANIFEST.CSV", README_NAME: "README.TXT"}


STAGE_PREFIX = ".gradphoto-package-"
# A staging folder untouched this long belongs to a run that was killed (a live run writes into its own
# every few milliseconds); it may hold photos and a 汇总表 with full 身份证号, so it goes.
STALE_AFTER_S = 15 * 60


def remove_stale_stages(out_dir: Path, now: float | None = None) -> list[Path]:
    """Remove staging folders (and swapped-out old packages) that killed runs left in `out_dir`."""
    now = time.time() if now is None else now
    removed = []
    try:
        entries = list(out_dir.iterdir())
    except OSError:
        return removed
    for entry in entries:
        if not (entry.name.startswith(STAGE_PREFIX) or ".old-" in entry.name and entry.name.startswith(".")):
            continue
        try:
            if entry.is_symlink() or not entry.is_dir():
                continue
            newest = max([entry.stat().st_mtime] + [p.stat().st_mtime for p in entry.rglob("*")])
        except OSError:
            continue
        if now - newest > STALE_AFTER_S:
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


class PackageRefused(DeliveryError):
    """Blockers remain and the user did not exclude those students."""

    def __init__(self, report: PreflightReport) -> None:
        self.report = report
        super().__init__(report.summary())


class Cancelled(DeliveryError):
    def __init__(self) -> None:
        super().__init__("已取消，未写入任何文件")


class Progress:
    """What a long run reports to (the GUI's OpContext has the same two methods)."""

    def progress(self, done: int, total: int) -> None:
        pass

    def cancelled(self) -> bool:
        return False


@dataclass(frozen=True)
class ManifestEntry:
    path: str  # inside the package, '/'-separated
    size: int
    sha256: str


@dataclass
class PackageResult:
    path: Path
    format: str
    preset: str
    naming: str
    count: int
    excluded: list[Blocker] = field(default_factory=list)
    manifest: list[ManifestEntry] = field(default_factory=list)
    overrides: int = 0  # photos on the disc accepted as 仍接受 (a soft check failed, a reason recorded)
    warnings: list[Blocker] = field(default_factory=list)
    record_id: int | None = None  # the delivery record: the 汇总表, fees and card data follow it

    def summary(self) -> str:
        text = f"已生成报送包：{self.count} 张照片，规格 {self.preset}，命名 {self.naming} → {self.path}"
        if self.overrides:
            text += f"；其中 {self.overrides} 张为“仍接受”（软性检查未通过，已记录理由）"
        if self.excluded:
            text += f"；已排除 {len({b.student_id for b in self.excluded})} 名有问题的学生（已记入操作日志）"
        if self.record_id is not None:
            text += f"；报送记录 #{self.record_id}"
        return text


def safe_component(text: str) -> str:
    """A folder/file name that Windows and discs accept (for the package's own name)."""
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", text).strip(" .")
    return cleaned or "报送"


def package_name(delivery: Delivery) -> str:
    return safe_component(f"{delivery.station.name}_图像采集报送")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write(path: Path, data: bytes) -> ManifestEntry:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return ManifestEntry("", len(data), _sha256(data))


def manifest_bytes(entries: list[ManifestEntry]) -> bytes:
    """UTF-8 with BOM, CRLF: 文件, 大小（字节）, SHA-256, sorted by path."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["文件", "大小（字节）", "SHA-256"])
    for e in sorted(entries, key=lambda e: e.path):
        w.writerow([e.path, e.size, e.sha256])
    return buf.getvalue().encode("utf-8-sig")


def naming_words(template: str, example: str) -> str:
    """The naming template in words: '{shot_no}.JPG' → '照片按拍摄序号命名，如 1.JPG'."""
    fields = []
    for key in re.findall(r"\{(\w+)\}", template):
        label = NAMING_FIELDS.get(key, key)
        if label not in fields:
            fields.append(label)
    words = "、".join(fields[:-1]) + f"和{fields[-1]}" if len(fields) > 1 else "".join(fields)
    return f"照片按{words}命名，如 {example}" if example else f"照片按{words}命名"


def readme_text(
    delivery: Delivery, preset: Preset, template: str, count: int, excluded: int, overrides: int = 0
) -> str:
    st = delivery.station
    example = file_name_for(delivery.students[0], template) if delivery.students else ""
    school = f"{st.school_name}（院校代码 {st.school_code}）" if st.school_code else st.school_name
    lines = [
        "高等教育学历证书电子注册图像信息采集 报送光盘",
        "",
        f"校外学习中心（函授站）：{st.name}",
        f"所在院校：{school}",
        f"照片数量：{count} 张（与《采集汇总表》逐行对应，按拍摄序号排列）",
        f"照片规格：{preset.title}，{preset.width}×{preset.height} 像素，JPG，"
        f"{preset.min_kb:g}–{preset.max_kb:g} KB",
        f"文件命名：{naming_words(template, example)}（位于“{PHOTO_DIR}”文件夹）",
        f"汇总表：{SUMMARY_NAME}",
        f"文件清单：{MANIFEST_NAME}（每个文件的大小和 SHA-256 校验值）",
        f"数据日期：{delivery.data_stamp:%Y-%m-%d}",
    ]
    lines.append(
        "照片质量：每张照片均已按上述规格检查，硬性检查全部通过"
        + (f"；其中 {overrides} 张的软性检查未通过，经操作员核对后仍接受并记录了理由" if overrides else "")
        + "。"
    )
    if excluded:
        lines.append(f"另有 {excluded} 名学生因资料或照片问题未列入本次报送。")
    if st.payee_name:
        lines += [
            "",
            f"收件单位：{st.payee_name}",
            f"地址：{st.payee_address}　邮编：{st.payee_postcode}",
            f"联系人：{st.payee_contact}　电话：{st.payee_phone}",
        ]
    lines += ["", "本光盘由 学历图像工作台 GradPhoto 生成。"]
    return "\r\n".join(lines) + "\r\n"


class PackageBuilder:
    """Pre-flight, render, write and seal one station's delivery."""

    def __init__(self, sessions, store: PhotoStore, operator: str = "") -> None:
        self.sessions = sessions
        self.store = store
        self.operator = operator or audit.default_operator()

    # -- the checks ----------------------------------------------------------------------------------
    def check(
        self,
        station_id: int,
        preset: str | None = None,
        naming: str | None = None,
        render: bool = False,
        progress: Progress | None = None,
    ) -> PreflightReport:
        """The pre-flight: data checks in well under a second; with `render`, every photo is also
        checked under the preset where that was never done (or by an older engine) and rendered (and
        thrown away) to check its file size, as packaging will."""
        delivery = load_delivery(self.sessions, station_id)
        p = self._preset(delivery, preset)
        template = naming_template(p, naming)
        if render:
            delivery, report = self._judged(delivery, p, template, progress or Progress())
        else:
            report = preflight(delivery, p, template)
        if render:
            self._render_all(delivery, p, template, report, None, progress or Progress())
        return report

    def _judged(
        self, delivery: Delivery, p: Preset, template: str, progress: Progress
    ) -> tuple[Delivery, PreflightReport]:
        """Measure what was never measured under `p`, then the pre-flight; a photo that could not be
        measured (its original unreadable) is blocked for that reason, not as 'not yet checked'."""
        delivery, unreadable = self.measure(delivery, p, progress)
        report = preflight(delivery, p, template)
        for s in delivery.students:
            if s.photo is not None and s.photo.id in unreadable:
                report.blockers = [
                    b for b in report.blockers if not (b.student_id == s.id and b.kind == "qc_unknown")
                ]
                report.blockers.append(Blocker.of(s, "render", unreadable[s.photo.id]))
        return delivery, report

    def measure(self, delivery: Delivery, p: Preset, progress: Progress) -> tuple[Delivery, dict[int, str]]:
        """Check, under `p`, every accepted photo not yet checked there by today's engine and rules; the
        delivery again with the results, and the photos that could not be measured (id → why). A package
        under another preset than the photos were taken for is thus judged by that preset's checks, and
        blocked by its hard failures."""
        todo = [
            s.photo.id
            for s in delivery.students
            if s.photo is not None
            and s.photo_state in ACCEPTED_STATES
            and s.photo.crop_rect is not None
            and (s.photo.qc_for(p.name) or ("",))[0] != rules_key(p)
        ]
        unreadable: dict[int, str] = {}
        if not todo:
            return delivery, unreadable
        capture = CaptureService(self.sessions, self.store, self.operator)
        for i, photo_id in enumerate(todo):
            if progress.cancelled():
                raise Cancelled()
            progress.progress(i, len(todo))
            try:
                capture.measure_preset(photo_id, p.name)
            except CaptureError as exc:
                unreadable[photo_id] = str(exc)
        progress.progress(len(todo), len(todo))
        return load_delivery(self.sessions, delivery.station.id), unreadable

    @staticmethod
    def _preset(delivery: Delivery, name: str | None) -> Preset:
        try:
            return load_preset(name or delivery.station.default_preset)
        except PresetError as exc:
            raise DeliveryError(str(exc)) from None

    # -- the build -----------------------------------------------------------------------------------
    def build(
        self,
        station_id: int,
        out_dir: Path | str,
        fmt: str = "folder",
        preset: str | None = None,
        naming: str | None = None,
        exclude_blocked: bool = False,
        progress: Progress | None = None,
        waive: frozenset[str] = frozenset(),
    ) -> PackageResult:
        """Write the package into out_dir; raises PackageRefused listing every blocker unless excluded.

        `waive` names blocker kinds that do not block (the self-test's face-less image cannot pass the
        face check, yet must still travel through the whole packaging path)."""
        if fmt not in FORMATS:
            raise DeliveryError(f"未知的打包格式 {fmt}（可选：{'、'.join(FORMATS)}）")
        progress = progress or Progress()
        delivery = load_delivery(self.sessions, station_id)
        if not delivery.students:
            raise DeliveryError(f"学习中心“{delivery.station.name}”没有可报送的学生")
        p = self._preset(delivery, preset)
        template = naming_template(p, naming)
        if station_problems(delivery.station):
            # No student can be excluded to fix the station: refuse before measuring or writing anything,
            # listing the students' data problems too (no rendering), so one pass shows what to fix.
            raise PackageRefused(preflight(delivery, p, template))
        delivery, report = self._judged(delivery, p, template, progress)
        out_dir = Path(out_dir)
        created = not out_dir.exists()
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WriteError(exc.errno or 0, f"无法创建输出文件夹 {out_dir}：{os_reason(exc)}") from exc
        remove_stale_stages(out_dir)
        try:
            stage = Path(tempfile.mkdtemp(prefix=STAGE_PREFIX, dir=out_dir))
        except OSError as exc:
            raise _package_write_error(exc, out_dir, delivery) from exc
        try:
            photos = self._render_all(delivery, p, template, report, stage, progress)
            report.blockers = [b for b in report.blockers if b.kind not in waive]
            if report.blockers and not exclude_blocked:
                raise PackageRefused(report)
            excluded = list(report.blockers)
            kept = delivery.without(report.blocked_ids)
            if not kept.students:
                raise DeliveryError("排除有问题的学生后，没有可报送的学生")
            for sid in report.blocked_ids:
                entry = photos.pop(sid, None)
                if entry is not None:
                    (stage / entry.path).unlink(missing_ok=True)
            entries = list(photos.values())
            entries.append(self._put(stage, SUMMARY_NAME, summary_bytes(kept)))
            entries.append(
                self._put(
                    stage,
                    README_NAME,
                    b"\xef\xbb\xbf"
                    + readme_text(
                        kept, p, template, len(kept.students), len(report.blocked_ids), report.overrides
                    ).encode("utf-8"),
                )
            )
            manifest = sorted(entries, key=lambda e: e.path)
            (stage / MANIFEST_NAME).write_bytes(manifest_bytes(manifest))
            if progress.cancelled():
                raise Cancelled()
            target = self._seal(stage, out_dir, package_name(delivery), fmt, delivery.data_stamp)
        except BaseException as exc:
            shutil.rmtree(stage, ignore_errors=True)
            if created and not any(out_dir.iterdir()):
                out_dir.rmdir()  # a refused or failed run leaves no trace, not even the folder it made
            if isinstance(exc, OSError) and not type(exc).__module__.startswith("app."):
                raise _package_write_error(
                    exc, out_dir, delivery
                ) from exc  # GradPhoto's own keep their words
            raise
        finally:
            shutil.rmtree(stage, ignore_errors=True)
        record_id = self._audit(delivery, kept, excluded, target, p.name, report.overrides, fmt, template)
        warnings = [w for w in report.warnings if w.student_id not in report.blocked_ids]
        return PackageResult(
            target,
            fmt,
            p.name,
            template,
            len(kept.students),
            excluded,
            manifest,
            report.overrides,
            warnings,
            record_id,
        )

    @staticmethod
    def _put(stage: Path, rel: str, data: bytes) -> ManifestEntry:
        e = _write(stage / rel, data)
        return ManifestEntry(rel, e.size, e.sha256)

    def _render_all(
        self,
        delivery: Delivery,
        p: Preset,
        template: str,
        report: PreflightReport,
        stage: Path | None,
        progress: Progress,
    ) -> dict[int, ManifestEntry]:
        """Render every photo that has no data blocker into stage (None: only check); size problems and
        photos that cannot be made are added to the report."""

        blocked = report.blocked_ids
        todo = [s for s in delivery.students if s.id not in blocked]
        out: dict[int, ManifestEntry] = {}
        if stage is not None:
            (stage / PHOTO_DIR).mkdir()
        # Every core renders (photos.render_delivery_jpegs); the results come back in this order.
        rendered = render_delivery_jpegs(self.store, [s.photo for s in todo], p, progress.cancelled)  # type: ignore[misc]
        with closing(rendered):
            for i, s in enumerate(todo):
                progress.progress(i, len(todo))
                data = next(rendered, None)
                if data is None or progress.cancelled():
                    raise Cancelled()
                if isinstance(data, DeliveryError):
                    report.blockers.append(Blocker.of(s, "render", str(data)))
                    continue
                problem = size_blocker(s, len(data), p)
                if problem is not None:
                    report.blockers.append(problem)
                    continue
                if stage is not None:
                    out[s.id] = self._put(stage, f"{PHOTO_DIR}/{file_name_for(s, template)}", data)
        progress.progress(len(todo), len(todo))
        return out

    # -- sealing -------------------------------------------------------------------------------------
    def _seal(
        self, stage: Path, out_dir: Path, name: str, fmt: str, stamp: dt.datetime | None = None
    ) -> Path:
        if fmt == "folder":
            return _replace_folder(stage, out_dir / name)
        files = _package_files(stage)
        target = out_dir / f"{name}.{fmt}"
        with atomic_open(target, "wb") as handle:
            if fmt == "zip":
                write_zip(files, handle)
            else:
                write_iso(files, handle, stamp=stamp)
        return target

    def _audit(
        self,
        delivery: Delivery,
        kept: Delivery,
        excluded: list[Blocker],
        target: Path,
        preset: str,
        overrides: int = 0,
        fmt: str = "folder",
        template: str = "",
    ) -> int:
        """Audit the exclusions and the package, and record the delivery (who is on the disc); its id."""
        by_student: dict[int, list[Blocker]] = {}
        for b in excluded:
            by_student.setdefault(b.student_id, []).append(b)
        with self.sessions.begin() as s:
            for sid, items in sorted(by_student.items(), key=lambda kv: kv[1][0].shot_no):
                reasons = "；".join(b.message for b in items)
                audit.record(
                    s,
                    self.operator,
                    "delivery-exclude",
                    "student",
                    sid,
                    f"报送时排除：{items[0].label}（{reasons}）",
                    None,
                    {
                        "kinds": sorted({KIND_LABELS.get(b.kind, b.kind) for b in items}),
                        "package": target.name,
                    },
                )
            record = add_record(
                s,
                kept,
                preset=preset,
                naming=template,
                fmt=fmt,
                path=str(target),
                excluded_ids=frozenset(by_student),
                operator=self.operator,
            )
            audit.record(
                s,
                self.operator,
                "export-package",
                "station",
                delivery.station.id,
                f"生成报送包 {target.name}（报送记录 #{record.id}，{len(kept.students)} 人，规格 {preset}，"
                f"汇总表含完整身份证号；其中仍接受 {overrides} 人；排除 {len(by_student)} 人）",
            )
            return record.id


def _package_write_error(exc: OSError, out_dir: Path, delivery: Delivery) -> WriteError:
    """A disk that fills (or a stick pulled out) while the package is staged: the package named, in Chinese."""
    return WriteError(
        exc.errno or 0,
        f"无法写入报送包 {out_dir / package_name(delivery)}：{os_reason(exc)}（未留下不完整的文件）",
    )


def _package_files(stage: Path) -> list[tuple[str, Path]]:
    """(path inside the package, file on disk), in a fixed order: top-level files, then photos by name."""
    files = [(p.relative_to(stage).as_posix(), p) for p in stage.rglob("*") if p.is_file()]
    return sorted(files, key=lambda f: (f[0].count("/"), f[0]))


def _replace_folder(stage: Path, target: Path) -> Path:
    """Move the staged folder into place; an existing package is swapped out, then removed."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(target, old)
    try:
        os.replace(stage, target)
    except OSError:
        if old is not None:
            os.replace(old, target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    stage.mkdir()  # the caller removes the (now empty) stage
    return target


def write_zip(files: list[tuple[str, Path]], handle) -> None:
    """A zip with fixed times; every non-ASCII name is stored as UTF-8 with flag bit 11 (zipfile does this),
    so Windows Explorer shows 采集汇总表.xlsx rather than mojibake. ASCII names read the same either way."""
    with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as zf:
        for rel, path in files:
            info = zipfile.ZipInfo(rel, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_STORED if rel.lower().endswith(".jpg") else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, path.read_bytes())


def _iso_component(name: str, used: set[str], fallback: str, is_dir: bool = False) -> str:
    """An ISO 9660 level-3 identifier (A–Z 0–9 _, ≤ 30 chars) unique within its directory."""
    fixed = ISO_FIXED.get(name)
    if fixed:
        used.add(fixed)
        return fixed
    stem, dot, ext = name.rpartition(".") if "." in name and not is_dir else (name, "", "")
    clean = lambda t: re.sub(r"[^A-Z0-9_]", "_", t.upper())  # noqa: E731
    stem, ext = clean(stem)[:24], clean(ext)[: 3 if not is_dir else 0]
    if not stem.strip("_"):
        stem = fallback
    candidate = f"{stem}.{ext}" if ext else stem
    n = 1
    while candidate in used:
        n += 1
        suffix = f"_{n}"
        candidate = f"{stem[: 24 - len(suffix)]}{suffix}" + (f".{ext}" if ext else "")
    used.add(candidate)
    return candidate


class _FixedClock:
    """pycdlib stamps every record with the time of writing; for the same data, the same bytes: the data's own
    date instead, in UTC (a station's time zone must not change the image either)."""

    def __init__(self, seconds: float) -> None:
        self._seconds = seconds

    def time(self) -> float:
        return self._seconds

    def localtime(self, seconds: float | None = None) -> time.struct_time:
        return time.gmtime(self._seconds if seconds is None else seconds)

    def __getattr__(self, name: str):
        return getattr(time, name)


_ISO_CLOCK_LOCK = threading.Lock()


def write_iso(
    files: list[tuple[str, Path]], handle, volume: str = "GRADPHOTO", stamp: dt.datetime | None = None
) -> None:
    """An ISO 9660 image (interchange level 3) with Joliet names carrying the Chinese names; with `stamp`,
    every date in it is that moment, so two exports of the same data are byte-identical."""
    # deferred: only an ISO export needs pycdlib
    import pycdlib
    import pycdlib.dates
    import pycdlib.headervd
    import pycdlib.pycdlib

    if stamp is None:
        _write_iso(pycdlib, files, handle, volume)
        return
    seconds = (stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.timezone.utc)).timestamp()
    modules = (pycdlib.dates, pycdlib.headervd, pycdlib.pycdlib)
    with _ISO_CLOCK_LOCK:
        saved = [m.time for m in modules]
        try:
            for m in modules:
                m.time = _FixedClock(seconds)
            _write_iso(pycdlib, files, handle, volume)
        finally:
            for m, original in zip(modules, saved):
                m.time = original


def _write_iso(pycdlib, files: list[tuple[str, Path]], handle, volume: str) -> None:
    iso = pycdlib.PyCdlib()
    iso.new(interchange_level=3, joliet=3, vol_ident=volume, app_ident_str="GRADPHOTO")
    dirs: dict[str, str] = {"": ""}
    used: dict[str, set[str]] = {"": set()}
    try:
        for index, (rel, path) in enumerate(files, start=1):
            parent_rel, _, leaf = rel.rpartition("/")
            if parent_rel not in dirs:
                iso_dir = (
                    PHOTO_DIR_ISO
                    if parent_rel == PHOTO_DIR
                    else _iso_component(parent_rel, used[""], f"DIR{len(dirs)}", is_dir=True)
                )
                used[""].add(iso_dir)
                dirs[parent_rel] = "/" + iso_dir
                used[parent_rel] = set()
                iso.add_directory(dirs[parent_rel], joliet_path="/" + parent_rel)
            iso_name = _iso_component(leaf, used[parent_rel], f"F{index:05d}")
            iso.add_file(str(path), iso_path=f"{dirs[parent_rel]}/{iso_name};1", joliet_path="/" + rel)
        iso.write_fp(handle)
    finally:
        iso.close()


def package_station_id(sessions, name: str) -> int:
    sid = find_station_id(sessions, name)
    if sid is None:
        raise DeliveryError(f"没有名为“{name}”的学习中心")
    return sid


__all__ = [
    "FORMATS",
    "Cancelled",
    "ManifestEntry",
    "PackageBuilder",
    "PackageRefused",
    "PackageResult",
    "Progress",
    "write_iso",
    "write_zip",
]
