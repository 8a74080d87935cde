"""Issue 13: classes whose names map to the same file name still get a file each."""

from __future__ import annotations

from app.services.common.classes import class_file_stems, safe_file_stem


def test_colliding_class_names_get_distinct_files():
    names = ["2023/1班", "2023_1班", "2023:1班", "2023级2班", "A班", "a班"]
    stems = class_file_stems(names)
    assert stems == {
        "2023/1班": "2023_1班",
        "2023_1班": "2023_1班-2",
        "2023:1班": "2023_1班-3",
        "2023级2班": "2023级2班",
        "A班": "A班",
        "a班": "a班-2",  # Windows does not tell A班 from a班
    }
    assert safe_file_stem("../../etc") == "_._etc" or "/" not in safe_file_stem("../../etc")
