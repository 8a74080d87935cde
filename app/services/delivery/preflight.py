"""Pre-flight check before packaging: every blocker, by student, so a disc is right the first time.

Data checks (photo accepted, quality check, 身份证号, required fields, file names) need no photo
decoding; the file-size check needs the rendered JPEG and is added by the package builder.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from app.models import ACCEPTED_STATES
from app.services.common.fieldrules import check_text
from app.services.common.glyphs import undrawable
from app.services.common.values import ValueProblem
from app.services.delivery.source import (
    LABELS,
    REQUIRED_KEYS,
    Delivery,
    DeliveryError,
    DeliveryStudent,
    StationInfo,
)
from app.services.photo.naming import NamingError, check_naming_template, file_name_for, file_name_problem
from app.services.photo.presets import Preset
from app.services.photo.qc import hard_failures, rules_key, soft_failures
from app.services.standards.idcard import IdNumberError, parse_id_number

KIND_LABELS = {
    "no_photo": "没有照片",
    "not_accepted": "照片未接受",
    "qc_hard": "硬性检查未通过",
    "qc_soft": "软性检查未通过且未确认",
    "qc_unknown": "尚未按该规格检查",
    "render": "照片无法生成",
    "id_number": "身份证号码无效",
    "missing": "缺少必填项",
    "invalid_field": "字段不符合规则",
    "file_name": "文件名不安全",
    "duplicate_name": "文件名重复",
    "file_size": "文件大小超出范围",
}
WARNING_LABELS = {
    "override": "仍接受（软性检查未通过，已说明理由）",
    "soft_other": "按本次规格软性检查未通过",
    "identity": "可能不是本人（人脸比对提示）",
}


@dataclass(frozen=True)
class Blocker:
    """One reason a student cannot go on the disc; the message never contains a 身份证号."""

    student_id: int
    shot_no: int
    label: str  # '12 张三（2023000012）'
    kind: str
    message: str
    name: str = ""
    student_no: str = ""

    @classmethod
    def of(cls, s: DeliveryStudent, kind: str, message: str) -> Blocker:
        return cls(s.id, s.shot_no, s.label, kind, message, s.name, s.student_no)

    def describe(self) -> str:
        return f"{self.label}：{self.message}"


@dataclass(frozen=True)
class StationProblem:
    """A station setting every delivery file needs, missing or invalid: no student can be excluded to fix it."""

    field: str  # school_name | school_code | fee_per_student | payee_name (StationData's names)
    label: str  # 所在院校名称 …
    message: str  # '院校代码未填写', '院校代码“1234”应为 5 位数字'


STATION_FIX = "请在“学习中心设置”中补全，或用命令 python main.py station set"


def station_problems(st: StationInfo) -> list[StationProblem]:
    """What the disc's 说明.txt, the 汇总表, the fee form and the 勘误表 need of the station: school name,
    5-digit 院校代码, a fee per student and the payee. Each missing or invalid one is named."""
    out = []
    if not st.school_name.strip():
        out.append(StationProblem("school_name", "所在院校名称", "所在院校名称未填写"))
    code = st.school_code.strip()
    if not code:
        out.append(StationProblem("school_code", "院校代码", "院校代码未填写"))
    elif not (code.isascii() and code.isdigit() and len(code) == 5):
        out.append(StationProblem("school_code", "院校代码", f"院校代码“{code}”应为 5 位数字"))
    if st.fee_per_student <= 0:
        out.append(StationProblem("fee_per_student", "每生费用", "每生费用未填写（为 0 元）"))
    if not st.payee_name.strip():
        out.append(StationProblem("payee_name", "收款单位", "收款单位未填写"))
    return out


@dataclass
class PreflightReport:
    total: int
    blockers: list[Blocker] = field(default_factory=list)
    # Not blocking, but listed so the clerk sees them: photos accepted as 仍接受, soft failures under
    # another preset than the one they were taken for.
    warnings: list[Blocker] = field(default_factory=list)
    # The station's own settings that block every disc, whatever students are excluded.
    station: list[StationProblem] = field(default_factory=list)
    station_name: str = ""

    def station_line(self) -> str:
        """'学习中心“X”的设置不完整：所在院校名称未填写；院校代码未填写（请在…补全…）', or ''."""
        if not self.station:
            return ""
        return (
            f"学习中心“{self.station_name}”的设置不完整：{'；'.join(p.message for p in self.station)}"
            f"（{STATION_FIX}）"
        )

    def warning_lines(self) -> list[str]:
        """One line per warned student that is not also blocked."""
        blocked = self.blocked_ids
        grouped: dict[int, list[Blocker]] = defaultdict(list)
        for w in sorted(self.warnings, key=lambda b: (b.shot_no, b.kind)):
            if w.student_id not in blocked:
                grouped[w.student_id].append(w)
        return [f"{items[0].label}：" + "；".join(b.message for b in items) for items in grouped.values()]

    @property
    def overrides(self) -> int:
        """Students going on the disc as 仍接受 (not blocked for another reason)."""
        blocked = self.blocked_ids
        return len(
            {w.student_id for w in self.warnings if w.kind == "override" and w.student_id not in blocked}
        )

    @property
    def ok(self) -> bool:
        return not self.blockers and not self.station

    @property
    def blocked_ids(self) -> set[int]:
        return {b.student_id for b in self.blockers}

    def by_student(self) -> dict[int, list[Blocker]]:
        grouped: dict[int, list[Blocker]] = defaultdict(list)
        for b in sorted(self.blockers, key=lambda b: (b.shot_no, b.kind)):
            grouped[b.student_id].append(b)
        return dict(grouped)

    def lines(self) -> list[str]:
        """One line per blocked student: '12 张三（2023000012）：没有照片；身份证号码无效（…）'."""
        return [
            f"{items[0].label}：" + "；".join(b.message for b in items)
            for items in self.by_student().values()
        ]

    def summary(self) -> str:
        n = len(self.blocked_ids)
        extra = f"；其中 {self.overrides} 张照片为“仍接受”（已列出）" if self.overrides else ""
        if self.station:
            students = f"；另有 {n} 名学生有问题（共 {self.total} 名）" if n else ""
            return f"不能打包：{self.station_line()}{students}{extra}"
        if not n:
            return f"预检通过：{self.total} 名学生均可报送{extra}"
        return f"预检发现 {n} 名学生有问题（共 {self.total} 名），需处理或排除后才能打包{extra}"

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for b in self.blockers:
            out[b.kind] += 1
        return dict(out)


def naming_template(preset: Preset, naming: str | None = None) -> str:
    """The file-name template: the one asked for, else the preset's first; DeliveryError if unusable."""
    try:
        return check_naming_template(naming or (preset.naming[0] if preset.naming else "{shot_no}.JPG"))
    except NamingError as exc:
        raise DeliveryError(str(exc)) from None


def _names(checks) -> str:
    return "、".join(
        str(c.get("label") or c.get("name")) + (f"（{c['message']}）" if c.get("message") else "")
        for c in checks
    )


def _photo_blockers(
    s: DeliveryStudent, preset: Preset
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(blockers, warnings) of a student's photo under `preset`."""
    p = s.photo
    if p is None:
        return [("no_photo", "没有照片")], []
    out: list[tuple[str, str]] = []
    warn: list[tuple[str, str]] = []
    if s.photo_state not in ACCEPTED_STATES or p.review != "accepted":
        state = {"retake": "标记为需重拍", "pending": "待复核（尚未接受）"}.get(s.photo_state, "尚未接受")
        out.append(("not_accepted", f"照片{state}"))
    if p.qc_status == "error" or p.crop_rect is None:
        out.append(("render", "照片没有可用的裁剪结果（未找到人脸或文件无法读取）"))
        return out, warn
    if out:
        return out, warn  # not accepted: its checks are judged when someone accepts it
    measured = p.qc_for(preset.name)
    if measured is None or measured[0] != rules_key(preset):
        out.append(("qc_unknown", f"尚未按规格 {preset.name} 检查照片（打包或完整预检时自动检查）"))
        return out, warn
    checks = measured[1]
    own = preset.name == p.preset
    where = "" if own else f"按规格 {preset.name}："
    hard = hard_failures(checks, preset)
    if hard:
        out.append(("qc_hard", f"{where}硬性检查未通过，须重拍：{_names(hard)}"))
    soft = soft_failures(checks, preset)
    if soft:
        if not own:
            warn.append(("soft_other", f"{where}软性检查未通过：{_names(soft)}"))
        elif s.photo_state == "override" and p.override_reason:
            warn.append(("override", f"仍接受（{_names(soft)}）；理由：{p.override_reason}"))
        else:
            out.append(("qc_soft", f"软性检查未通过，尚未确认仍接受：{_names(soft)}（请在拍摄页复核）"))
    if p.identity_verdict == "unlike":  # advice, never a blocker: the photographer confirmed it on accepting
        warn.append(("identity", "人脸比对：与录取照片可能不是本人，请核对" + _confirmed(s, p)))
    return out, warn


def _confirmed(s, p) -> str:
    return f"（接受时理由：{p.override_reason}）" if s.photo_state == "override" and p.override_reason else ""


def _data_blockers(s: DeliveryStudent) -> list[tuple[str, str]]:
    out = []
    for key in ("name", "student_no", "major", "class_name"):
        try:  # rows stored before today's field rules (or merged from an older station) are listed here
            check_text(key, s.value(key))
        except ValueProblem as exc:
            out.append(("invalid_field", f"{LABELS.get(key, key)}{exc}（请在花名册中修改）"))
    missing = [LABELS[k] for k in REQUIRED_KEYS if not str(s.value(k)).strip()]
    if missing:
        out.append(("missing", "缺少" + "、".join(missing)))
    if s.id_number:
        try:
            parse_id_number(s.id_number)
        except IdNumberError as exc:
            out.append(("id_number", f"身份证号码无效（{exc}）"))
    return out


GLYPH_WARNING = (
    "姓名中的“{chars}”本机没有字体能打印（打印的表格中会是方框）："
    "请安装含 CJK 扩展 B 的字体（如花园明朝 HanaMinB），或在打印件上手写"
)


def preflight(delivery: Delivery, preset: Preset, naming: str | None = None) -> PreflightReport:
    """Every data blocker of a delivery; the names each photo will get come from `naming`."""
    template = naming_template(preset, naming)
    report = PreflightReport(
        total=len(delivery.students),
        station=station_problems(delivery.station),
        station_name=delivery.station.name,
    )

    def add(s: DeliveryStudent, kind: str, message: str) -> None:
        report.blockers.append(Blocker.of(s, kind, message))

    seen: dict[str, DeliveryStudent] = {}
    for s in delivery.students:
        photo_out, photo_warn = _photo_blockers(s, preset)
        for kind, message in photo_out + _data_blockers(s):
            add(s, kind, message)
        report.warnings.extend(Blocker.of(s, kind, message) for kind, message in photo_warn)
        missing = undrawable(s.name)
        if missing:  # the disc is right (text), but a printed form would show a box
            report.warnings.append(Blocker.of(s, "glyph", GLYPH_WARNING.format(chars="".join(missing))))
        name = file_name_for(s, template)
        problem = file_name_problem(name)
        if problem:
            add(s, "file_name", problem)
            continue
        key = name.casefold()  # Windows and discs do not tell 1.JPG from 1.jpg
        first = seen.get(key)
        if first is not None:
            add(s, "duplicate_name", f"文件名与 {first.label} 相同")
            if not any(b.student_id == first.id and b.kind == "duplicate_name" for b in report.blockers):
                add(first, "duplicate_name", f"文件名与 {s.label} 相同")
        else:
            seen[key] = s
    return report


def size_blocker(s: DeliveryStudent, size: int, preset: Preset) -> Blocker | None:
    """A rendered JPEG outside the preset's size range."""
    kb = size / 1024
    if preset.min_kb <= kb <= preset.max_kb:
        return None
    return Blocker.of(
        s, "file_size", f"照片文件 {kb:.1f} KB，规格要求 {preset.min_kb:g}–{preset.max_kb:g} KB"
    )
