"""Render page 1 of the 汇总表's printable form and of a proof sheet to PNG for the README.

    python docs/render_delivery_pages.py --photos ../shared/faces --out docs/screenshots

A throw-away store with the demo roster; the given photos are cropped and accepted for the first
students of the first class (the photos stay outside the repository). Needs pdftoppm (poppler-utils).
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--photos", type=Path, required=True)
    ap.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = ap.parse_args()

    from app.db import Database, sqlite_url
    from app.printing.delivery_table import form_doc, write_table_pdf
    from app.printing.gui_app import ensure_gui_app
    from app.printing.proof_sheet_pdf import write_proof_pdf
    from app.services.capture.photo_store import PhotoStore
    from app.services.capture.service import CaptureService
    from app.services.delivery.proof_sheet import proof_classes
    from app.services.delivery.source import load_delivery
    from app.services.photo import load_preset
    from app.services.roster.demo import make_students, write_roster_xlsx
    from app.services.roster.importer import RosterImporter
    from app.services.roster.service import RosterService
    from app.services.roster.stations import StationData, StationService

    ensure_gui_app()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = Database(sqlite_url(folder / "demo.db"))
        station = StationService(db.sessions).create(StationData(name="洛阳函授站", school_name="郑州大学",
                                                                 school_code="10459"))
        RosterImporter(db.sessions, "演示").import_file(write_roster_xlsx(folder / "r.xlsx", make_students(40)),
                                                       station.id)
        capture = CaptureService(db.sessions, PhotoStore(folder / "photos"), "演示")
        photos = sorted(p for p in args.photos.iterdir() if p.suffix.lower() in (".jpg", ".png"))
        for row, path in zip(RosterService(db.sessions).rows(station.id), photos):
            photo_id = capture.take_in(row.id, path, "import")
            result = capture.crop(photo_id)
            if result is not None and result.image is not None:
                capture.accept(photo_id, confirm_fail=True)
        delivery = load_delivery(db.sessions, station.id)
        args.out.mkdir(parents=True, exist_ok=True)
        summary_pdf, proof_pdf = folder / "summary.pdf", folder / "proof.pdf"
        write_table_pdf(form_doc("summary", delivery), summary_pdf)
        preset = load_preset(delivery.station.default_preset)
        group = proof_classes(delivery, capture.store, preset)[0]
        write_proof_pdf(group, delivery.station.name, proof_pdf, preset.aspect)
        for pdf, name in ((summary_pdf, "summary"), (proof_pdf, "proofsheet")):
            subprocess.run(["pdftoppm", "-png", "-r", "90", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                            str(args.out / name)], check=True)
            print(args.out / f"{name}.png")
        db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
