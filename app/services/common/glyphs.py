"""Which characters of a text no installed font can print: a question only the printing layer can answer.

Services are Qt-free, so the printing layer registers its check here when a Qt application exists
(app/printing/fonts.py: `register_glyph_check`); without one, nothing is reported. The delivery pre-flight
asks it for every name, so 𪚥 on a PC without an Extension B font is flagged before a form prints a box.
"""

from __future__ import annotations

from collections.abc import Callable

_check: Callable[[str], list[str]] | None = None


def set_check(check: Callable[[str], list[str]] | None) -> None:
    global _check
    _check = check


def undrawable(text: str) -> list[str]:
    """The characters of `text` no font can print, each once; [] when nobody has said which fonts exist."""
    return _check(text) if _check is not None and text else []
