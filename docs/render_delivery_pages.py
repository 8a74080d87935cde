"""Render the printed pages shown in the README to PNG.

    python docs/render_delivery_pages.py --photos ../shared/faces --out docs/screenshots

A throw-away store with the demo roster (three long minority names put where the 校对反馈表's first page
ends); the given photos are cropped and accepted for the first students of the first class (the photos stay
outside the repository). Pages: the 汇总表's printable form and a proof sheet (Qt → PDF); the 校对反馈表 across
its first page break and the 勘误表 (Qt → PDF); the card data and the 汇总表 workbooks as LibreOffice prints
them (xlsx → PDF with `soffice --headless`). Needs pdftoppm (poppler-utils) and LibreOffice Calc.
"""
from __future__ import annotations

import argparse
import shutil
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
    from app.services.capture.overrides import override_reasons
    from app.services.capture.service import CaptureError, CaptureService, NeedsConfirmation
    from app.services.delivery.proof_sheet import proof_classes
    from app.services.delivery.source import load_delivery
    from app.services.photo import load_preset
    from app.services.roster.demo import make_students, write_roster_xlsx
    from app.services.roster.importer import RosterImporter
    from app.services.roster.service import RosterService
    from app.services.roster.stations import StationData, StationService

    from PIL import Image

    from app.printing.proof_forms_print import errata_form, write_feedback_pdfs
    from app.printing.table_form import write_pdf
    from app.services.delivery import cards, summary
    from app.services.proofing.forms import ProofFormExporter
    from app.services.proofing.service import ProofingService

    def png(pdf: Path, name: str, page: int = 1) -> Path:
        out = args.out / name
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", str(page), "-l", str(page), "-singlefile", str(pdf),
                        str(out)], check=True)
        print(f"{out}.png")
        return Path(f"{out}.png")

    ensure_gui_app()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = Database(sqlite_url(folder / "demo.db"))
        station = StationService(db.sessions).create(StationData(name="洛阳函授站", school_name="郑州大学",
                                                                 school_code="10459"))
        roster = make_students(40)
        first_class = [r for r in roster if r["班级"] == roster[0]["班级"]]
        for row, name in zip(first_class[22:25], ("阿卜杜热合曼·买买提·艾尔肯江", "迪丽热巴·迪力木拉提·古丽孜娅",
                                                   "买买提江·阿不都热依木")):
            row["姓名"] = name
        first_class[3]["姓名"] = "陈\U000201d4"  # outside GB2312 and the pinyin dictionary
        RosterImporter(db.sessions, "演示").import_file(write_roster_xlsx(folder / "r.xlsx", roster), station.id)
        capture = CaptureService(db.sessions, PhotoStore(folder / "photos"), "演示")
        photos = sorted(p for p in args.photos.iterdir() if p.suffix.lower() in (".jpg", ".png"))
        for row, path in zip(RosterService(db.sessions).rows(station.id), photos):
            photo_id = capture.take_in(row.id, path, "import")
            result = capture.crop(photo_id)
            if result is not None and result.image is not None:
                try:
                    capture.accept(photo_id)
                except NeedsConfirmation:
                    capture.accept(photo_id, reason=override_reasons()[1])
                except CaptureError:  # a hard failure is never accepted: the sheet shows why
                    pass
        delivery = load_delivery(db.sessions, station.id)
        args.out.mkdir(parents=True, exist_ok=True)
        summary_pdf, proof_pdf = folder / "summary.pdf", folder / "proof.pdf"
        write_table_pdf(form_doc("summary", delivery), summary_pdf)
        preset = load_preset(delivery.station.default_preset)
        group = proof_classes(delivery, capture.store, preset)[0]
        write_proof_pdf(group, delivery.station.name, proof_pdf, preset.aspect)
        for pdf, name in ((summary_pdf, "summary"), (proof_pdf, "proofsheet")):
            png(pdf, name)

        # 校对反馈表 of the first class: the end of page 1 and the top of page 2, side by side
        proofing = ProofingService(db.sessions)
        rows = proofing.rows(station.id)
        proofing.set_state([r.id for r in rows], "correct")
        wrong = [r.id for r in rows if r.name.startswith("迪丽热巴")]
        proofing.set_state(wrong, "wrong", [{"kind": "record", "field": "民族", "correct": "维吾尔族"}])
        feedback = write_feedback_pdfs(proofing.rows(station.id), folder / "feedback", station.name)[0]
        pages = [Image.open(png(feedback, f"_feedback{n}", n)) for n in (1, 2)]
        half = [p.crop((0, p.height // 2, p.width, p.height)) for p in pages[:1]] + [
            p.crop((0, 0, p.width, p.height // 2)) for p in pages[1:]]
        joined = Image.new("RGB", (sum(h.width for h in half) + 20, max(h.height for h in half)), "white")
        joined.paste(half[0], (0, 0))
        joined.paste(half[1], (half[0].width + 20, 0))
        joined.save(args.out / "feedback_break.png")
        print(args.out / "feedback_break.png")
        for n in (1, 2):
            (args.out / f"_feedback{n}.png").unlink()
        proofing.set_state(wrong, "wrong", [{"kind": "not_self"}])
        errata = ProofFormExporter(proofing).errata_lines(station.id)
        errata_pdf = write_pdf([errata_form(errata, station.name, "郑州大学", "10459")], folder / "errata.pdf")
        png(errata_pdf, "errata")

        # the workbooks as a clerk prints them from LibreOffice
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if soffice:
            summary.save_summary(delivery, folder / "汇总表.xlsx")
            cards.save_cards(delivery, folder / "填涂数据.xlsx")
            for book, name in (("汇总表", "summary_xlsx"), ("填涂数据", "cards_xlsx")):
                subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(folder),
                                str(folder / f"{book}.xlsx")], check=True, capture_output=True)
                png(folder / f"{book}.pdf", name)
        else:
            print("LibreOffice not found: the printed workbooks were not rendered")
        db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
