"""Issue 13: a command on a damaged database says so, points to `backup restore`, and exits non-zero."""

from __future__ import annotations

from app.db import Database, sqlite_url
from main import main


def test_a_damaged_database_is_refused_with_the_way_back(tmp_path, capsys):
    path = tmp_path / "g.db"
    Database(sqlite_url(path)).dispose()
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the schema page overwritten: "database disk image is malformed"
    path.write_bytes(bytes(data))
    code = main(["roster", "export-csv", str(tmp_path / "r.csv"), "--db", sqlite_url(path)])
    err = capsys.readouterr().err
    assert code == 1 and "已损坏" in err and "Traceback" not in err
    assert not (tmp_path / "r.csv").exists()


def test_nothing_a_command_prints_holds_a_full_id_number(tmp_path, capsys):
    """A photo file named by 身份证号 that is missing: the warning names it, masked."""
    missing = tmp_path / "11010519491231002X.jpg"
    main(["crop", str(missing), "--out", str(tmp_path / "out"), "--spec", "legacy-192x144"])
    printed = "".join(capsys.readouterr())
    assert "找不到" in printed and "110105***********X" in printed
    assert "11010519491231002X" not in printed


def test_an_unexpected_error_is_a_message_and_a_masked_log(tmp_path, capsys, monkeypatch):
    """No traceback on the console; the details go to logs/errors.log, 身份证号 masked, mode 0600."""
    import os
    import stat

    from app.cli import roster as roster_cli

    def boom(args):
        raise RuntimeError("意外：11010519491231002X 的记录")

    monkeypatch.setenv("GRADPHOTO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(roster_cli, "run_export", boom)
    code = main(["roster", "export-csv", str(tmp_path / "r.csv"), "--db", f"sqlite:///{tmp_path / 'g.db'}"])
    err = capsys.readouterr().err
    log = tmp_path / "data" / "logs" / "errors.log"
    assert code == 1 and "Traceback" not in err and "errors.log" in err
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text and "11010519491231002X" not in text and "110105" in text
    if os.name == "posix":
        assert stat.S_IMODE(log.stat().st_mode) == 0o600
