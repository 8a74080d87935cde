"""The 校对表, the fee tally and the 校对反馈表 list classes in one order: natural, 未分班 last."""

from app.paths import photo_store_for
from app.services.delivery.fees import tally
from app.services.delivery.proof_sheet import proof_classes
from app.services.delivery.source import load_delivery
from app.services.proofing.forms import feedback_classes
from app.services.proofing.service import ProofingService
from tests.delivery_data import roster
from tests.roster_files import students

CLASSES = ["2023级会计学10班", "", "2023级会计学2班", "2023级会计学10班", "2023级会计学9班"]
ORDER = ["2023级会计学2班", "2023级会计学9班", "2023级会计学10班", "未分班"]


def test_every_form_orders_classes_alike(db, station, importer, tmp_path):
    rows = students(len(CLASSES))
    for row, name in zip(rows, CLASSES):
        row["班级"] = name
    roster(importer, station, tmp_path, len(rows), rows)
    delivery = load_delivery(db.sessions, station.id)

    sheets = proof_classes(delivery, photo_store_for(db))  # no photos: nothing to render, only the grouping
    assert [c.class_name for c in sheets] == ORDER
    assert [name for name, _ in tally(delivery).classes] == ORDER
    assert dict(tally(delivery).classes)["2023级会计学10班"] == 2
    proof_rows = ProofingService(db.sessions, "测试员").rows(station.id)
    assert list(feedback_classes(proof_rows)) == ORDER
