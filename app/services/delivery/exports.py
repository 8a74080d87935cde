"""Delivery exports in one place for the Export tab and the `export` command: each writes its file
atomically and records in the audit trail when full 身份证号 leave the program.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.services.capture.photo_store import PhotoStore
from app.services.common import audit
from app.services.delivery.cards import save_cards
from app.services.delivery.fees import save_fees
from app.services.delivery.package import PackageBuilder, PackageResult, Progress
from app.services.delivery.preflight import PreflightReport
from app.services.delivery.proof_sheet import proof_classes
from app.services.delivery.records import (
    LATEST,
    DeliveredSet,
    RecordInfo,
    Which,
    list_records,
    load_delivered,
)
from app.services.delivery.source import Delivery, load_delivery
from app.services.delivery.summary import save_summary
from app.services.photo import load_preset

WORKBOOKS = {
    "summary": ("采集汇总表", True),  # (what, holds full 身份证号)
    "fees": ("费用汇总表", False),
    "cards": ("采集卡填涂数据", True),
}


@dataclass(frozen=True)
class ExportResult:
    path: Path
    count: int
    what: str
    record: RecordInfo | None = None  # the delivery it follows; None: the station's current students
    missing: int = 0  # students of that delivery deleted from the roster since: not in the workbook

    @property
    def basis(self) -> str:
        """'按报送记录 #3（…）' or '当前学生'."""
        return f"按报送记录 #{self.record.id}" if self.record is not None else "当前学生"

    def summary(self) -> str:
        gone = f"；该记录中另有 {self.missing} 名学生已从花名册删除，未列入" if self.missing else ""
        return f"已导出{self.what}（{self.count} 人，{self.basis}{gone}）→ {self.path}"


class ExportService:
    def __init__(self, sessions, store: PhotoStore, operator: str = "") -> None:
        self.sessions = sessions
        self.store = store
        self.operator = operator or audit.default_operator()

    def delivery(self, station_id: int) -> Delivery:
        return load_delivery(self.sessions, station_id)

    def delivered(self, station_id: int, which: Which = LATEST) -> DeliveredSet:
        """The students of delivery record `which` (an id, LATEST or CURRENT); see records.load_delivered."""
        return load_delivered(self.sessions, station_id, which)

    def records(self, station_id: int) -> list[RecordInfo]:
        """The station's delivery records, newest first."""
        return list_records(self.sessions, station_id)

    def workbook(self, kind: str, station_id: int, path: Path | str, which: Which = LATEST) -> ExportResult:
        """Write the 'summary', 'fees' or 'cards' workbook of delivery `which` (by default the latest disc,
        or the current students before any disc was built), so it counts who is on that disc."""

        what, full_ids = WORKBOOKS[kind]
        chosen = self.delivered(station_id, which)
        delivery = chosen.delivery
        {"summary": save_summary, "fees": save_fees, "cards": save_cards}[kind](delivery, path)
        self._record(delivery, what, Path(path), full_ids, chosen.record)
        return ExportResult(Path(path), len(delivery.students), what, chosen.record, chosen.missing)

    def proof_data(self, station_id: int, progress: Progress | None = None) -> tuple[Delivery, list, float]:
        """(delivery, classes with rendered photos, photo aspect) for the proof sheets; Qt lays them out."""

        progress = progress or Progress()
        delivery = self.delivery(station_id)
        preset = load_preset(delivery.station.default_preset)
        groups = proof_classes(delivery, self.store, preset, progress.progress, progress.cancelled)
        return delivery, groups, preset.aspect

    def record_proof_sheets(self, delivery: Delivery, classes: int, where: Path | str) -> None:
        with self.sessions.begin() as s:
            audit.record(
                s,
                self.operator,
                "export-proofsheet",
                "station",
                delivery.station.id,
                f"导出校对表 PDF（{classes} 个班，{len(delivery.students)} 人）到 {Path(where).name}",
            )

    def preflight(
        self,
        station_id: int,
        preset: str | None = None,
        naming: str | None = None,
        render: bool = False,
        progress: Progress | None = None,
    ) -> PreflightReport:
        return PackageBuilder(self.sessions, self.store, self.operator).check(
            station_id, preset, naming, render, progress
        )

    def package(
        self,
        station_id: int,
        out_dir: Path | str,
        fmt: str = "folder",
        preset: str | None = None,
        naming: str | None = None,
        exclude_blocked: bool = False,
        progress: Progress | None = None,
    ) -> PackageResult:
        return PackageBuilder(self.sessions, self.store, self.operator).build(
            station_id, out_dir, fmt, preset, naming, exclude_blocked, progress
        )

    def _record(
        self, delivery: Delivery, what: str, path: Path, full_ids: bool, record: RecordInfo | None = None
    ) -> None:
        basis = f"，按报送记录 #{record.id}" if record is not None else ""
        with self.sessions.begin() as s:
            audit.record(
                s,
                self.operator,
                "export-full-id" if full_ids else "export",
                "station",
                delivery.station.id,
                f"导出{what}（{len(delivery.students)} 人{basis}{'，含完整身份证号' if full_ids else ''}）到 {path.name}",
            )
