"""Command-line subcommands. Each module here defines `register(subparsers)`.

Modules are discovered, so adding a subcommand means adding one module and
touching nothing else. Each registered parser sets `func(args) -> int`.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil


def add_subcommands(parser: argparse.ArgumentParser) -> None:
    """Attach every subcommand module's parsers to `parser`."""
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(subparsers)
