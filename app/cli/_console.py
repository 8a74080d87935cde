"""Console output that survives a Chinese Windows console (GBK) as well as UTF-8 terminals."""

from __future__ import annotations

import sys


def configure_console() -> None:
    """Never crash on a character the console cannot show; replace it instead."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="replace")
            except (ValueError, OSError):
                pass
