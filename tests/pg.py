"""PostgreSQL for the test suite: a throw-away cluster on loopback, one fresh schema per test.

GRADPHOTO_TEST_PG_URL names a server to use as it is. Otherwise, where PostgreSQL's server binaries are
installed (initdb and pg_ctl on PATH or under /usr/lib/postgresql/*/bin), the first test that needs
PostgreSQL starts a cluster in a temp folder on 127.0.0.1 (fsync off: a test cluster needs no durability),
and the end of the session stops it and removes the folder. Where they are absent, those tests skip and
the run ends with one loud line that says so.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PG_ENV = "GRADPHOTO_TEST_PG_URL"


def fresh_schema_url(base_url: str, schema: str) -> str:
    """Create `schema` and return a URL whose connections use it as their search_path."""
    engine = create_engine(base_url)
    try:
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    finally:
        engine.dispose()
    url = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


def drop_schema(base_url: str, schema: str) -> None:
    engine = create_engine(base_url)
    try:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    finally:
        engine.dispose()


def server_bindir() -> Path | None:
    """The folder of initdb/pg_ctl/postgres, or None where no server is installed (a client alone is not enough)."""
    candidates = [Path(p).parent for p in (shutil.which("initdb"),) if p]
    candidates += [
        Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version, reverse=True)
    ]
    for folder in candidates:
        if all((folder / tool).exists() for tool in ("initdb", "pg_ctl", "postgres")):
            return folder
    return None


def _version(path: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in Path(path).parent.name.split("."))


@dataclass
class Cluster:
    url: str
    folder: Path
    bindir: Path
    as_user: list[str]

    def stop(self) -> None:
        subprocess.run(
            [
                *self.as_user,
                str(self.bindir / "pg_ctl"),
                "-D",
                str(self.folder / "data"),
                "-m",
                "fast",
                "-w",
                "stop",
            ],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.folder, ignore_errors=True)


class ClusterError(RuntimeError):
    """The throw-away server could not be started; the message says why."""


def start_cluster(bindir: Path) -> Cluster:
    """initdb + pg_ctl start on a free loopback port; as root the server runs as the `postgres` user."""
    folder = Path(tempfile.mkdtemp(prefix="gradphoto-pg-"))
    as_user: list[str] = []
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # the server refuses to run as root
        shutil.chown(folder, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cluster = Cluster("", folder, bindir, as_user)
    steps = [
        [
            str(bindir / "initdb"),
            "-D",
            str(folder / "data"),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ],
        [
            str(bindir / "pg_ctl"),
            "-D",
            str(folder / "data"),
            "-l",
            str(folder / "log"),
            "-w",
            "start",
            "-o",
            f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off",
        ],
    ]
    for step in steps:
        done = subprocess.run([*as_user, *step], capture_output=True, text=True, check=False)
        if done.returncode:
            log = (folder / "log").read_text(errors="replace") if (folder / "log").exists() else ""
            cluster.stop()
            raise ClusterError(
                f"{Path(step[0]).name} failed: {(done.stderr or done.stdout).strip()} {log.strip()}"
            )
    admin = create_engine(
        f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", isolation_level="AUTOCOMMIT"
    )
    try:
        with admin.connect() as conn:
            conn.execute(text("CREATE ROLE gradphoto LOGIN PASSWORD 'gradphoto'"))
            conn.execute(text("CREATE DATABASE gradphoto_test OWNER gradphoto"))
    finally:
        admin.dispose()
    cluster.url = f"postgresql+psycopg://gradphoto:gradphoto@127.0.0.1:{port}/gradphoto_test"
    return cluster
