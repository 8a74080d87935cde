"""The top-level argument parser: GUI options plus every subcommand."""

from __future__ import annotations

import argparse

from app import APP_TITLE_ZH, __version__
from app.cli import add_subcommands


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gradphoto",
        description=f"{APP_TITLE_ZH} GradPhoto {__version__}。不带子命令时启动图形界面。",
    )
    parser.add_argument("--version", action="version", version=f"GradPhoto {__version__}")
    parser.add_argument("--db", metavar="URL", help="数据库 URL（默认：用户数据目录下的 SQLite 文件）")
    parser.add_argument("--station", metavar="NAME", help="打开（必要时新建）该学习中心/函授站")
    parser.add_argument("--demo", action="store_true", help="用一个临时的演示数据库启动，内含演示花名册")
    parser.add_argument(
        "--screenshots", metavar="DIR", help="把每个页面的截图保存到 DIR 后退出（配合 --demo）"
    )
    parser.add_argument("--photos", metavar="DIR", help="截图时使用的照片文件夹（如 ../shared/faces）")
    parser.add_argument(
        "--self-test",
        nargs="?",
        const="",
        metavar="PHOTO",
        help="自检：在临时数据库中导入花名册、裁剪（PHOTO 或生成的无脸图片）、生成报送包，成功则返回 0",
    )
    add_subcommands(parser)
    _keep_global_options(parser, {"db", "station"})
    return parser


def _keep_global_options(parser: argparse.ArgumentParser, dests: set[str]) -> None:
    """`gradphoto --db URL roster import …`: a subcommand's own --db/--station must not overwrite the one given
    before it with its default (argparse copies every subcommand default over the top-level value, so the
    command silently ran on the default database). Given after the subcommand, it still wins."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                for sub_action in sub._actions:
                    if sub_action.dest in dests and not sub_action.required:
                        sub_action.default = argparse.SUPPRESS
                _keep_global_options(sub, dests)
