"""Model-based property of the three-way merge: whatever both sides change between exchanges, a value changed at
the college since the last exchange is never overwritten unless the clerk chose the bundle, and a value changed
only at the station always arrives."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.models import Student
from app.paths import photo_store_for
from app.services.exchange.bundle import export_station, read_bundle
from app.services.exchange.merge import BundleMerger, UnresolvedConflicts
from tests.bundle_data import STATION, make_station_store

FIELDS = ("major", "class_name", "department")
VALUES = ("甲", "乙", "丙")
COUNT = 4

_edits = st.lists(
    st.tuples(st.integers(0, COUNT - 1), st.sampled_from(FIELDS), st.sampled_from(VALUES)), max_size=5
)


def _values(db) -> dict[str, dict[str, str]]:
    with db.sessions() as s:
        return {st_.student_no: {f: getattr(st_, f) for f in FIELDS} for st_ in s.scalars(select(Student))}


def _apply(db, nos, edits) -> None:
    with db.sessions.begin() as s:
        for i, field, value in edits:
            setattr(s.scalars(select(Student).where(Student.student_no == nos[i])).one(), field, value)


@pytest.fixture
def pair(db, tmp_path):
    station = make_station_store(tmp_path / "station", count=COUNT, photos=0)
    export_station(station.sessions, photo_store_for(station), STATION, tmp_path / "b0.zip")
    BundleMerger(db.sessions, photo_store_for(db), "学院").apply(read_bundle(tmp_path / "b0.zip"))
    yield station, db, tmp_path, {"base": _values(station), "n": 0}
    station.dispose()


@settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(at_station=_edits, at_college=_edits, prefer=st.sampled_from(["local", "bundle"]))
def test_three_way_merge_never_overwrites_silently(pair, at_station, at_college, prefer):
    station, college, tmp_path, model = pair
    nos = sorted(_values(station))
    _apply(station, nos, at_station)
    _apply(college, nos, at_college)
    model["n"] += 1
    path = tmp_path / f"b{model['n']}.zip"
    export_station(station.sessions, photo_store_for(station), STATION, path)
    base, theirs, mine = model["base"], _values(station), _values(college)
    merger = BundleMerger(college.sessions, photo_store_for(college), "学院")
    two_sided = {
        (no, f)
        for no in nos
        for f in FIELDS
        if mine[no][f] != base[no][f] and theirs[no][f] != base[no][f] and mine[no][f] != theirs[no][f]
    }
    try:
        merger.apply(read_bundle(path))
        assert not two_sided
    except UnresolvedConflicts as exc:
        assert {c.student_no for c in exc.conflicts} == {no for no, _ in two_sided}
        assert _values(college) == mine  # nothing written
        merger.apply(read_bundle(path), prefer=prefer)
    final = _values(college)
    for no in nos:
        for f in FIELDS:
            changed_here = mine[no][f] != base[no][f]
            changed_there = theirs[no][f] != base[no][f]
            if changed_here and (not changed_there or prefer == "local"):
                expected = mine[no][f]
            else:
                expected = theirs[no][f]
            if not changed_here and not changed_there:
                expected = mine[no][f]
            assert final[no][f] == expected, (no, f, base[no][f], mine[no][f], theirs[no][f], prefer)
    model["base"] = theirs
