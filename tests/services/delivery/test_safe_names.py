"""File names built from roster data (station and class names) can never leave the output folder."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from app.services.common.classes import safe_file_stem
from app.services.delivery.package import safe_component

_NASTY = st.one_of(
    st.text(max_size=40),
    st.lists(
        st.sampled_from(["..", "/", "\\", ":", "\x00", "\x1f", ".", " ", "C:", "班", "a"]), max_size=12
    ).map("".join),
)


@settings(max_examples=300, derandomize=True, database=None)
@given(raw=_NASTY)
def test_names_from_roster_data_stay_inside_the_folder(raw):
    out = Path("/srv/out")
    for make in (safe_component, safe_file_stem):
        name = make(raw)
        assert name and name not in (".", "..")
        assert not any(c in name for c in '/\\:*?"<>|') and not any(ord(c) < 32 for c in name)
        assert (out / name).parent == out and ".." not in Path(name).parts
