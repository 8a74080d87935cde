"""Students grouped by class: one label for a blank class and one order, for every form, sheet, tally and table;
and the file name each class's printed form gets.

The order is natural (2023级会计学2班 before 2023级会计学12班: digit runs compare as numbers), and students
without a class come last under 未分班, as the printed forms say.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TypeVar

UNASSIGNED = "未分班"

T = TypeVar("T")


def natural_key(text: str | None) -> tuple:
    """'2023级会计学2班' sorts before '2023级会计学12班': digit runs compare as numbers."""
    # isdecimal, not isdigit: '²' is a digit, but not a number int() can read.
    return tuple(
        (0, int(part), "") if part.isdecimal() else (1, 0, part) for part in re.split(r"(\d+)", text or "")
    )


def class_label(name: str | None) -> str:
    """The class as forms and tables show it: a blank class is 未分班."""
    return name if name and name.strip() else UNASSIGNED


def class_order(name: str | None) -> tuple:
    """Sort key for classes: natural order, 未分班 after every named class."""
    label = class_label(name)
    return (label == UNASSIGNED, natural_key(label))


def _class_name(item) -> str | None:
    return item.class_name


def group_by_class(
    items: Iterable[T], class_of: Callable[[T], str | None] = _class_name
) -> dict[str, list[T]]:
    """Items by class label, the classes in `class_order`; items keep the order they came in."""
    groups: dict[str, list[T]] = {}
    for item in items:
        groups.setdefault(class_label(class_of(item)), []).append(item)
    return {name: groups[name] for name in sorted(groups, key=class_order)}


def safe_file_stem(name: str) -> str:
    """A class name as a file name that cannot leave the output folder."""
    stem = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", name).strip(" .") or "班级"
    return stem.replace("..", "_")[:80]


def class_file_stems(class_names) -> dict[str, str]:
    """Each class's file stem, unique even when names map to the same one (2023/1班, 2023_1班 and
    2023:1班 all give 2023_1班): later ones get -2, -3 … in class order, compared as Windows does."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for name in class_names:
        base = safe_file_stem(name)
        stem, n = base, 1
        while stem.casefold() in taken:
            n += 1
            stem = f"{base}-{n}"
        taken.add(stem.casefold())
        out[name] = stem
    return out
