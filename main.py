"""GradPhoto entry point: the GUI by default, subcommands for scripts (`python main.py --help`)."""
from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    import os

    if os.name == "posix":
        os.umask(0o077)  # every file and folder GradPhoto makes is its user's alone: names and 身份证号
    from app.cli._console import configure_console
    from app.cli.parser import build_parser
    from app.logging_setup import configure_logging

    configure_console()
    configure_logging()
    parser = build_parser()
    args = parser.parse_args(argv)
    from app.paths import configure_user_presets

    configure_user_presets()
    if args.self_test is not None:
        from app.selftest import run_self_test

        return run_self_test(args.self_test or None)
    if getattr(args, "func", None) is not None:
        from app.cli.common import CliError, close_databases

        try:
            return int(args.func(args) or 0)
        except CliError as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return exc.code
        except Exception as exc:  # last resort: a message, never a traceback (GRADPHOTO_DEBUG=1 shows it)
            import os
            import traceback

            from app.logging_setup import mask_id_numbers, write_error_log
            from app.services.common.errors import user_message

            if os.environ.get("GRADPHOTO_DEBUG"):
                raise
            log = write_error_log("".join(traceback.format_exception(exc)))
            known = user_message(exc)  # a full disk, a locked store, GradPhoto's own error: said plainly
            if known is not None:
                print(f"错误：{mask_id_numbers(known)}", file=sys.stderr)
                return 1
            print(
                f"错误：命令未能完成（{type(exc).__name__}：{mask_id_numbers(str(exc))[:300]}）。"
                + (f"详细信息已记入 {log}，" if log else "")
                + "请把这条信息告诉维护人员。",
                file=sys.stderr,
            )
            return 1
        finally:
            close_databases()
    from app.ui.app import run_gui

    return run_gui(args)


if __name__ == "__main__":
    import multiprocessing

    # A frozen (PyInstaller) program started as a worker of a process pool (package rendering, `crop --jobs`)
    # runs the worker here instead of the interface; a no-op everywhere else.
    multiprocessing.freeze_support()
    sys.exit(main())
