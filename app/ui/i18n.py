"""Interface language: pick it, load our translator (and Qt's own), and translate data shown on screen.

Simplified Chinese is the source language; `resources/translations/gradphoto_en.qm` holds the English.
Labels that live in data (roster fields, proofing states, QC checks, preset titles …) are translated at
display time by `tr_data()`; their source strings reach lupdate through the generated `app/ui/i18n_data.py`
(`make translations` runs `tools/i18n_data.py`, which imports the data modules).
Service results that are shown as sentences (import summaries …) are re-worded here from their numbers.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app.services.photo.presets import resources_dir
from app.services.proofing.states import ERROR_BY_KEY, STATE_BY_KEY

LANGUAGE_CODES = ("zh_CN", "en")
_installed: list[QTranslator] = []
_current = ["zh_CN"]  # the interface language now: the source language until a translator is installed


def translations_dir():
    return resources_dir() / "translations"


def resolve_language(setting: str | None, locale: QLocale | None = None) -> str:
    """zh_CN or en: the setting when it names one, else the system locale.

    Chinese is the interface's own language, so only a system that names another language (en_US,
    de_DE …) gets English; a bare C/POSIX locale, as on servers and minimal Linux machines, stays Chinese."""
    value = (setting or "").strip()
    if value.startswith("zh"):
        return "zh_CN"
    if value.startswith("en"):
        return "en"
    locale = locale or QLocale.system()
    if locale.language() in (QLocale.Language.Chinese, QLocale.Language.C, QLocale.Language.AnyLanguage):
        return "zh_CN"
    return "en"


def install_translators(app, language: str) -> list[QTranslator]:
    """Replace the installed translators: ours for English, Qt's own qtbase_zh_CN for Chinese."""
    uninstall_translators(app)
    _current[0] = "zh_CN" if language.startswith("zh") else language
    if language.startswith("zh"):
        qt = QTranslator(app)
        if qt.load("qtbase_zh_CN", str(translations_dir())) or qt.load(
            "qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        ):
            _installed.append(qt)
    else:
        ours = QTranslator(app)
        if ours.load(f"gradphoto_{language}", str(translations_dir())):
            _installed.append(ours)
    for translator in _installed:
        app.installTranslator(translator)
    return list(_installed)


def uninstall_translators(app) -> None:
    """Back to the source language (tests)."""
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    _current[0] = "zh_CN"


def current_language() -> str:
    """zh_CN or en: what the interface is shown in now."""
    return _current[0]


def tr_data(text: Any) -> Any:
    """A label that comes from data (field, state, check, preset title …) in the interface language."""
    if not isinstance(text, str) or not text:
        return text
    return QCoreApplication.translate("Data", text)


# -- proofing results, worded like app.services.proofing.states but in the interface language ---------------
def proof_result(state: str, errors: list[dict[str, Any]] | None) -> str:
    if state == "correct":
        return QCoreApplication.translate("Proofing", "无误")
    if state == "unchecked":
        return ""
    if state != "wrong":
        return tr_data(STATE_BY_KEY[state].label)
    parts = []
    for error in errors or []:
        kind = error["kind"]
        if kind == "record":
            field, correct = tr_data(error.get("field", "")), error.get("correct", "")
            if correct:
                parts.append(_fill(QCoreApplication.translate("Proofing", "%1应为%2"), field, correct))
            else:
                parts.append(_fill(QCoreApplication.translate("Proofing", "%1有误"), field))
        elif kind == "other":
            parts.append(error.get("text") or tr_data(ERROR_BY_KEY["other"].label))
        else:
            label = tr_data(ERROR_BY_KEY[kind].label)
            parts.append(
                QCoreApplication.translate("Proofing", "%1（%2）")
                .replace("%1", label)
                .replace("%2", error["text"])
                if error.get("text")
                else label
            )
    return _join(parts) or tr_data(STATE_BY_KEY["wrong"].label)


def proof_action(state: str, errors: list[dict[str, Any]] | None) -> str:
    if state == "wrong" and errors:
        return _join(list(dict.fromkeys(tr_data(ERROR_BY_KEY[e["kind"]].next_action) for e in errors)))
    return tr_data(STATE_BY_KEY[state].next_action)


def _join(parts: list[str]) -> str:
    return QCoreApplication.translate("Proofing", "；").join(parts)


# -- summaries of service reports ----------------------------------------------------------------------
def _fill(text: str, *values: object) -> str:
    for i, value in enumerate(values, 1):
        text = text.replace(f"%{i}", str(value))
    return text


def import_summary(report) -> str:
    """ImportReport.summary() in the interface language."""
    return _fill(
        QCoreApplication.translate("Summary", "新增 %1 人，更新 %2 人，未变 %3 人，拒绝 %4 行"),
        report.imported,
        report.updated,
        report.unchanged,
        len(report.rejected),
    )


def match_summary(match) -> str:
    """MatchResult.summary() (photo folder import)."""
    return _fill(
        QCoreApplication.translate("Summary", "匹配 %1 个，未匹配 %2 个，需人工确认 %3 个"),
        len(match.matched),
        len(match.unmatched),
        len(match.ambiguous),
    )


def proof_import_summary(report) -> str:
    """ProofImportReport.summary()."""
    return _fill(
        QCoreApplication.translate("Summary", "匹配 %1 行（改变 %2，未变 %3），未匹配 %4 行"),
        report.matched,
        report.changed,
        report.unchanged,
        len(report.unmatched),
    )


def preflight_summary(report) -> str:
    """PreflightReport.summary()."""
    n = len(report.blocked_ids)
    extra = ""
    if getattr(report, "overrides", 0):
        extra = _fill(
            QCoreApplication.translate("Summary", "；其中 %1 张照片为“仍接受”（已列出）"), report.overrides
        )
    if not n:
        return (
            _fill(QCoreApplication.translate("Summary", "预检通过：%1 名学生均可报送"), report.total) + extra
        )
    return (
        _fill(
            QCoreApplication.translate(
                "Summary", "预检发现 %1 名学生有问题（共 %2 名），需处理或排除后才能打包"
            ),
            n,
            report.total,
        )
        + extra
    )


def package_summary(result) -> str:
    """PackageResult.summary()."""
    text = _fill(
        QCoreApplication.translate("Summary", "已生成报送包：%1 张照片，规格 %2，命名 %3 → %4"),
        result.count,
        result.preset,
        result.naming,
        result.path,
    )
    if getattr(result, "overrides", 0):
        text += _fill(
            QCoreApplication.translate("Summary", "；其中 %1 张为“仍接受”（软性检查未通过，已记录理由）"),
            result.overrides,
        )
    if result.excluded:
        text += _fill(
            QCoreApplication.translate("Summary", "；已排除 %1 名有问题的学生（已记入操作日志）"),
            len({b.student_id for b in result.excluded}),
        )
    return text


def export_summary(result) -> str:
    """ExportResult.summary() (a workbook)."""
    return _fill(
        QCoreApplication.translate("Summary", "已导出%1（%2 人）→ %3"),
        tr_data(result.what),
        result.count,
        result.path,
    )


def merge_summary(plan) -> str:
    """MergePlan.summary() (station bundle import)."""
    text = _fill(
        QCoreApplication.translate(
            "Summary",
            "新增 %1 人，合并更新 %2 人，保留本地 %3 人，未变 %4 人，冲突 %5 人，无法合并 %6 人；"
            "新照片 %7 张，校对记录 %8 条，操作日志 %9 条",
        ),
        len(plan.new),
        len(plan.updates),
        plan.kept_local,
        plan.unchanged,
        len(plan.conflicts),
        len(plan.rejected),
        len(plan.new_photos),
        len(plan.new_proof_records),
        len(plan.new_audit),
    )
    if plan.already_imported and not plan.has_changes:
        text += QCoreApplication.translate("Summary", "（此数据包已导入过，没有变化）")
    return text


_QC_WORDS = re.compile(r"(通过|警告|（本规格不允许旋转照片）|校正后 |像素)")


def qc_threshold(text: str) -> str:
    """'|x|≤2 通过，≤4 警告' → the interface language (the numbers stay)."""
    if not text or not _QC_WORDS.search(text):
        return text
    words = {
        "通过": QCoreApplication.translate("QcModel", "通过"),
        "警告": QCoreApplication.translate("QcModel", "警告"),
        "（本规格不允许旋转照片）": QCoreApplication.translate("QcModel", "（本规格不允许旋转照片）"),
        "校正后 ": QCoreApplication.translate("QcModel", "校正后 "),
        "像素": QCoreApplication.translate("QcModel", "像素"),
    }
    text = _QC_WORDS.sub(lambda m: words[m.group(1)], text)
    return text.replace("，", QCoreApplication.translate("QcModel", "，"))
