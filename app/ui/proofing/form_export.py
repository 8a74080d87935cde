"""The 校对反馈表 of a station written class by class, workbook and PDF, with progress and Cancel between
classes: the work the proofing tab hands to the background runner (no widget is touched here)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from app.printing.proof_forms_print import feedback_forms
from app.printing.table_form import write_pdf
from app.services.proofing.forms import (
    FormsCancelled,
    feedback_classes,
    feedback_file_stems,
    write_feedback_class,
)
from app.services.proofing.service import ProofRow


def write_feedback_forms(
    rows: list[ProofRow],
    folder: Path | str,
    station_name: str = "",
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[Path]:
    """Per class: 校对反馈表_<class>.xlsx and .pdf; returns the files written, in class order."""
    folder = Path(folder)
    groups = feedback_classes(rows)
    stems = feedback_file_stems(groups)
    forms = dict(zip(groups, feedback_forms(rows, station_name)))
    written: list[Path] = []
    for done, (name, members) in enumerate(groups.items()):
        if cancelled is not None and cancelled():
            raise FormsCancelled(written)
        written.append(write_feedback_class(name, members, folder / f"{stems[name]}.xlsx", station_name))
        written.append(write_pdf([forms[name]], folder / f"{stems[name]}.pdf"))
        if progress is not None:
            progress(done + 1, len(groups))
    return written
