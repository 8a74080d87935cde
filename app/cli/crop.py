"""`crop`: crop photos to a preset from the command line, with a progress bar and a CSV report."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


def register(subparsers) -> None:
    """Add the `crop` subcommand."""
    p = subparsers.add_parser(
        "crop",
        help="按规格裁切照片（文件或文件夹），可输出质检报告 CSV",
        description="按规格裁切照片。输出为 DIR/<原文件名>.jpg（重名时加 -2、-3 …）。"
        "退出码：0 全部通过或仅有警告；1 有不合格或无法读取的文件；2 参数错误。",
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="照片文件或文件夹")
    p.add_argument("--out", required=True, metavar="DIR", help="输出文件夹（不存在则新建）")
    p.add_argument(
        "--spec", required=True, metavar="NAME", help="规格名称，例如 legacy-192x144、chsi-2017-480x640"
    )
    p.add_argument("--jobs", type=int, default=1, metavar="N", help="并行进程数（默认 1）")
    p.add_argument("--report", metavar="FILE.csv", help="质检报告（UTF-8 CSV，每个输入一行）")
    p.set_defaults(func=run)


class _Progress:
    """A one-line progress bar on stderr (a line per 10 % when stderr is not a terminal)."""

    def __init__(self, total: int) -> None:
        self.total, self.t0, self.last = total, time.monotonic(), -1
        self.tty = sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> None:
        pct = done * 100 // max(1, total)
        if not self.tty and pct // 10 == self.last // 10 and done != total:
            return
        self.last = pct
        bar = "#" * (pct // 4) + "-" * (25 - pct // 4)
        rate = done / max(1e-6, time.monotonic() - self.t0)
        line = f"裁切 [{bar}] {done}/{total} {pct:3d}% {rate:.1f} 张/秒"
        print(("\r" + line) if self.tty else line, end="" if self.tty else "\n", file=sys.stderr, flush=True)
        if self.tty and done == total:
            print(file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    """Crop every input; a bad file becomes an `error` row, never a stopped batch."""

    # deferred: a command loads only its own services and Qt (start-up time of every other command)
    from app.services.common.files import os_reason
    from app.services.photo.batch import expand_inputs, plan_outputs, run_batch, write_report
    from app.services.photo.presets import PresetError, list_presets, load_preset

    try:
        load_preset(args.spec)
    except PresetError:
        print(f"错误：没有名为 {args.spec} 的规格。可用规格：{'、'.join(list_presets())}", file=sys.stderr)
        return 2
    if args.jobs < 1:
        print("错误：--jobs 至少为 1", file=sys.stderr)
        return 2
    files, missing = expand_inputs(args.inputs)
    for m in missing:
        print(f"警告：找不到 {m}，已跳过", file=sys.stderr)
    if not files and not missing:
        print("错误：输入中没有找到图像文件", file=sys.stderr)
        return 2
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"错误：无法创建输出文件夹 {out}：{os_reason(exc)}", file=sys.stderr)
        return 2
    jobs = plan_outputs(files, out)
    rows = run_batch(jobs, args.spec, workers=args.jobs, progress=_Progress(len(jobs))) if jobs else []
    rows += [{"source": m, "status": "error", "error": f"找不到文件：{m}"} for m in missing]
    if args.report:
        try:
            write_report(rows, args.report)
        except OSError as exc:  # a WriteError names the file and the reason in Chinese
            print(f"错误：质检报告未写入：{exc}", file=sys.stderr)
            return 1
    counts = {s: sum(1 for r in rows if r["status"] == s) for s in ("ok", "warn", "fail", "error")}
    print(
        f"完成：共 {len(rows)} 张，通过 {counts['ok']}，警告 {counts['warn']}，不合格 {counts['fail']}，"
        f"出错 {counts['error']}。输出目录：{out}",
        file=sys.stderr,
    )
    for r in rows:
        if r["status"] == "error":
            print(f"  无法处理：{r['error']}", file=sys.stderr)
    return 1 if counts["fail"] or counts["error"] else 0
