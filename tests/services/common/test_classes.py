"""One class grouping for every form: 未分班 for a blank class, natural order (2班 before 10班), 未分班 last."""

from types import SimpleNamespace

from app.services.common.classes import class_label, class_order, group_by_class
from app.services.proofing.forms import feedback_classes

NAMES = ["2023级会计学10班", "", "2023级会计学2班", None, "2022级法学1班", "   ", "2023级会计学2班"]
ORDER = ["2022级法学1班", "2023级会计学2班", "2023级会计学10班", "未分班"]


def _items(names):
    return [SimpleNamespace(class_name=n, student_no=f"{100 - i:03d}") for i, n in enumerate(names)]


def test_blank_classes_are_one_unassigned_label():
    assert [class_label(n) for n in ("", None, "  ", "1班")] == ["未分班", "未分班", "未分班", "1班"]


def test_classes_in_natural_order_with_unassigned_last():
    groups = group_by_class(_items(NAMES))
    assert list(groups) == ORDER
    assert [len(v) for v in groups.values()] == [1, 2, 1, 3]
    assert sorted(["10班", "未分班", "9班", "2班"], key=class_order) == ["2班", "9班", "10班", "未分班"]


def test_odd_digits_in_a_class_name_do_not_break_the_order():
    assert sorted(["1²2班", "１０班", "９班", "2班"], key=class_order) == [
        "1²2班",
        "2班",
        "９班",
        "１０班",
    ]  # 1… before 2…; full-width digits count


def test_members_keep_their_order():
    items = _items(["1班", "1班", "1班"])
    assert group_by_class(items)["1班"] == items


def test_feedback_forms_follow_the_same_order_sorted_by_student_no():
    groups = feedback_classes(_items(NAMES))
    assert list(groups) == ORDER
    assert [r.student_no for r in groups["2023级会计学2班"]] == ["094", "098"]
