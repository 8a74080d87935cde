"""A child process for the SIGKILL tests: runs one roster import or one bundle merge and says when it writes.

    python -m tests.crash_worker import DB_URL STATION_ID FILE
    python -m tests.crash_worker merge DB_URL BUNDLE

It prints "reading" at the start and "writing" when the write transaction begins, so the parent can kill it
at a random point of the whole run or inside the write itself.
"""

from __future__ import annotations

import sys


def _say(word: str) -> None:
    sys.stdout.write(word + "\n")
    sys.stdout.flush()


def main(argv: list[str]) -> int:
    from app.db import Database
    from app.services.common.backup import before_change

    mode, url = argv[0], argv[1]
    db = Database(url)
    _say("reading")
    if mode == "import":
        from app.services.roster.importer import RosterImporter

        original = RosterImporter._write

        def write(self, *args, **kwargs):
            _say("writing")
            return original(self, *args, **kwargs)

        RosterImporter._write = write
        report = RosterImporter(db.sessions, "崩溃测试").import_file(argv[3], int(argv[2]))
        _say(f"done {report.imported}")
    else:
        from app.paths import photo_store_for
        from app.services.exchange.bundle import read_bundle
        from app.services.exchange.merge import BundleMerger

        original = BundleMerger._write

        def write(self, *args, **kwargs):
            _say("writing")
            return original(self, *args, **kwargs)

        BundleMerger._write = write
        merger = BundleMerger(
            db.sessions,
            photo_store_for(db),
            "崩溃测试",
            before_write=lambda label: before_change(db.sessions, label),
        )
        report = merger.apply(read_bundle(argv[2]))
        _say(f"done {len(report.plan.new)}")
    db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
