"""A whole service session with every log record captured raw (no masking filter): no 身份证号 anywhere in the
log or in what the commands print, whatever went wrong along the way."""

from __future__ import annotations

import logging
import re

from sqlalchemy import select

from app.models import Student
from app.services.standards.idcard import IdNumberError, parse_id_number
from main import main
from tests.bundle_data import STATION, make_station_store
from tests.roster_files import students, write_csv, write_xlsx

_CANDIDATE = re.compile(r"(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])")


class _Raw(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info:
            text += logging.Formatter().formatException(record.exc_info)
        self.lines.append(text)


def _id_numbers_in(text: str) -> list[str]:
    found = []
    for m in _CANDIDATE.finditer(text):
        try:
            parse_id_number(m.group())
            found.append(m.group())
        except IdNumberError:
            pass
    return found


def test_a_full_session_never_logs_an_id_number(tmp_path, capsys):
    handler = _Raw()
    root, app_logger = logging.getLogger(), logging.getLogger("app")
    old_levels = root.level, app_logger.level
    root.addHandler(handler)
    root.setLevel(logging.WARNING)  # as configure_logging sets it, with the app's own loggers at DEBUG here
    app_logger.setLevel(logging.DEBUG)
    try:
        rows = students(40, seed=11)
        known_ids = {r["身份证号码"] for r in rows}
        rows[3]["身份证号码"] = rows[3]["身份证号码"][:-1] + (
            "0" if rows[3]["身份证号码"][-1] != "0" else "1"
        )
        rows[5]["身份证号码"] = rows[4]["身份证号码"]  # duplicate in the file
        url = f"sqlite:///{tmp_path / 'college.db'}"
        xlsx = write_xlsx(tmp_path / "r.xlsx", rows)
        main(["roster", "import", str(xlsx), "--station", STATION, "--db", url])
        main(
            [
                "roster",
                "import",
                str(write_csv(tmp_path / "r.csv", rows, "gbk")),
                "--station",
                STATION,
                "--db",
                url,
            ]
        )
        main(["roster", "export-csv", str(tmp_path / "all.csv"), "--db", url])
        main(
            [
                "proofing",
                "import",
                str(
                    write_csv(
                        tmp_path / "p.csv",
                        [
                            {"身份证号码": r["身份证号码"], "校对结果": "有误", "问题": "照片非本人"}
                            for r in rows[:6]
                        ],
                    )
                ),
                "--db",
                url,
            ]
        )
        # The station's own store holds the same 学号 with other names and ID numbers: conflicts to list.
        station = make_station_store(tmp_path / "station", count=8, photos=2, seed=12)
        with station.sessions() as s:
            known_ids |= set(s.scalars(select(Student.id_number)))
        bundle = tmp_path / "b.zip"
        main(["bundle", "export", "--station", STATION, "--out", str(bundle), "--db", station.url])
        main(["bundle", "import", str(bundle), "--db", url, "--write-decisions", str(tmp_path / "d.csv")])
        main(["bundle", "import", str(bundle), "--db", url, "--prefer", "bundle"])
        main(["bundle", "import", str(bundle), "--db", url])
        station.dispose()
        main(["backup", "create", "--db", url])
        main(["backup", "list", "--db", url])
        main(["backup", "check", "--db", url])
    finally:
        root.removeHandler(handler)
        root.setLevel(old_levels[0])
        app_logger.setLevel(old_levels[1])
    printed = capsys.readouterr()
    log_text = "\n".join(handler.lines)
    assert handler.lines, "the session logged nothing: the test would prove nothing"
    assert "冲突" in printed.out  # the conflict on the ID number was shown, masked
    decisions = (tmp_path / "d.csv").read_text(encoding="utf-8-sig")
    assert "身份证号码" in decisions
    for text in (log_text, printed.out, printed.err, decisions):
        assert _id_numbers_in(text) == []
        assert not any(i in text for i in known_ids)
