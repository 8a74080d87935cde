"""Console output that survives a Chinese Windows console (GBK) as well as UTF-8 terminals, and never
shows a full 身份证号 (a file named {id_number}.jpg, an error naming a row's key)."""

from __future__ import annotations

import sys

from app.logging_setup import mask_id_numbers


class _Masking:
    """A text stream whose writes have every 身份证号-shaped number masked (410105********123X)."""

    def __init__(self, stream) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(mask_id_numbers(text))
        return len(text)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def configure_console() -> None:
    """Never crash on a character the console cannot show (replace it), and mask 身份证号."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="replace")
            except (ValueError, OSError):
                pass
        if not isinstance(stream, _Masking):
            setattr(sys, name, _Masking(stream))
