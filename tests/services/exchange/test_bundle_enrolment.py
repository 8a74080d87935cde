"""Format 3 of station bundles: 考生号, enrolment photos (face data: in encrypted bundles only) and the station's
identity switch travel; format 2 still merges; forged enrolment parts are refused with a Chinese reason."""

from __future__ import annotations

import hashlib
import json
import os
import zipfile

import pytest
from sqlalchemy import select

from app.models import AuditEvent, EnrolmentPhoto, Photo, Station, Student
from app.paths import photo_store_for
from app.services.exchange.bundle import BundleError, export_station, open_bundle, read_bundle
from app.services.exchange.merge import BundleMerger, UnresolvedConflicts
from tests.bundle_data import STATION, add_enrolment, enrolment_jpeg, make_station_store, table_dump

SECRET = "correct horse 42"


@pytest.fixture
def station_db(tmp_path):
    db = make_station_store(tmp_path / "station", count=4, photos=2)
    yield db
    db.dispose()


def _numbers(db) -> list[str]:
    with db.sessions() as s:
        return list(s.scalars(select(Student.student_no).order_by(Student.shot_no)))


def _set(db, student_no, **values):
    with db.sessions.begin() as s:
        st = s.scalars(select(Student).where(Student.student_no == student_no)).one()
        for k, v in values.items():
            setattr(st, k, v)


def _enrolments(db) -> dict[str, tuple[str, str]]:
    """学号 → (sha256, stored name) of every enrolment photo in the store."""
    with db.sessions() as s:
        return {
            no: (sha, name)
            for no, sha, name in s.execute(
                select(Student.student_no, EnrolmentPhoto.sha256, EnrolmentPhoto.stored_name).join(
                    EnrolmentPhoto, EnrolmentPhoto.student_id == Student.id
                )
            )
        }


def _merger(db):
    return BundleMerger(db.sessions, photo_store_for(db), "学院管理员")


def _sealed(db, path):
    return export_station(db.sessions, photo_store_for(db), STATION, path, "站点员", SECRET)


def _merge_sealed(db, path, **kw):
    with open_bundle(path, SECRET) as bundle:
        return _merger(db).apply(bundle, **kw)


def test_exam_numbers_and_enrolment_photos_travel_byte_for_byte_in_an_encrypted_bundle(
    station_db, db, tmp_path
):
    nos = _numbers(station_db)
    _set(station_db, nos[0], exam_no="24410105150123")
    _set(station_db, nos[1], exam_no="24410105150124")
    first, second = enrolment_jpeg(40), enrolment_jpeg(200)
    add_enrolment(station_db, tmp_path / "in", nos[0], first)
    add_enrolment(station_db, tmp_path / "in", nos[1], second, ".png")
    sealed = tmp_path / "b.gpb"
    result = _sealed(station_db, sealed)
    assert (result.enrolment, result.enrolment_left_out) == (2, 0)
    assert first not in sealed.read_bytes()  # inside the encryption, not beside it

    report = _merge_sealed(db, sealed)
    assert report.committed and "录取照片 2 名学生" in report.plan.summary()
    with db.sessions() as s:
        exam = dict(s.execute(select(Student.student_no, Student.exam_no)).all())
        rows = {r.sha256: r for r in s.scalars(select(EnrolmentPhoto))}
    assert exam == {nos[0]: "24410105150123", nos[1]: "24410105150124", nos[2]: "", nos[3]: ""}
    got = _enrolments(db)
    assert set(got) == {nos[0], nos[1]}
    root = photo_store_for(db).root
    assert (root / got[nos[0]][1]).read_bytes() == first
    assert (root / got[nos[1]][1]).read_bytes() == second
    assert got[nos[0]][0] == hashlib.sha256(first).hexdigest()
    assert got[nos[1]][1].startswith("enrolment/") and got[nos[1]][1].endswith(".png")
    # Descriptors never travel: computed here from the original when first needed.
    assert {(r.descriptor, r.descriptor_model) for r in rows.values()} == {(None, "")}
    if os.name == "posix":  # face data: this user's alone
        stored = root / got[nos[0]][1]
        assert stored.stat().st_mode & 0o777 == 0o600
        assert stored.parent.stat().st_mode & 0o777 == 0o700
        assert (root / "enrolment").stat().st_mode & 0o777 == 0o700
    # The same bundle again changes nothing.
    before = table_dump(db)
    assert not _merge_sealed(db, sealed).committed
    assert table_dump(db) == before


def test_a_plain_bundle_leaves_the_enrolment_photos_out_and_touches_none_here(station_db, db, tmp_path):
    nos = _numbers(station_db)
    _set(station_db, nos[0], exam_no="24410105150123")
    face = enrolment_jpeg(40)
    add_enrolment(station_db, tmp_path / "in", nos[0], face)
    _merge_sealed(db, _sealed(station_db, tmp_path / "first.gpb").path)
    assert set(_enrolments(db)) == {nos[0]}

    plain = tmp_path / "b.zip"
    result = export_station(station_db.sessions, photo_store_for(station_db), STATION, plain, "站点员")
    assert (result.enrolment, result.enrolment_left_out) == (0, 1)
    names = zipfile.ZipFile(plain).namelist()
    assert not [n for n in names if n.startswith("enrolment/")]
    assert json.loads(zipfile.ZipFile(plain).read("enrolment.json")) == []
    assert face not in plain.read_bytes()
    bundle = read_bundle(plain)
    assert all("enrolment" not in rec["fields"] for rec in bundle.students)
    assert bundle.students[0]["fields"]["exam_no"] == "24410105150123"  # 考生号 travels like 身份证号
    with station_db.sessions() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "bundle-export")).all()[-1]
    assert (event.new["enrolment_photos"], event.new["enrolment_left_out"]) == (0, 1)
    _set(station_db, nos[0], major="站点改的专业")
    assert _merger(db).apply(read_bundle(_reexport(station_db, tmp_path / "c.zip"))).committed
    assert set(_enrolments(db)) == {nos[0]}  # left out is not deleted


def _reexport(db, path):
    export_station(db.sessions, photo_store_for(db), STATION, path, "站点员")
    return path


def test_a_newer_enrolment_photo_replaces_and_two_sided_changes_are_a_conflict(station_db, db, tmp_path):
    nos = _numbers(station_db)
    old = add_enrolment(station_db, tmp_path / "in", nos[0], enrolment_jpeg(40))
    assert _merge_sealed(db, _sealed(station_db, tmp_path / "b1.gpb").path).committed
    old_here = photo_store_for(db).root / _enrolments(db)[nos[0]][1]
    assert old_here.is_file() and old.startswith("enrolment/")

    newer = enrolment_jpeg(90)
    add_enrolment(station_db, tmp_path / "in2", nos[0], newer)  # re-imported at the station
    report = _merge_sealed(db, _sealed(station_db, tmp_path / "b2.gpb").path)
    assert report.committed and list(report.plan.updates[nos[0]]) == ["enrolment"]
    assert _enrolments(db)[nos[0]][0] == hashlib.sha256(newer).hexdigest()
    assert not old_here.exists()  # the replaced original is gone at once

    add_enrolment(station_db, tmp_path / "in3", nos[0], enrolment_jpeg(130))
    add_enrolment(db, tmp_path / "in4", nos[0], enrolment_jpeg(170))  # changed here too, differently
    before = table_dump(db)
    with pytest.raises(UnresolvedConflicts) as err:
        _merge_sealed(db, _sealed(station_db, tmp_path / "b3.gpb").path)
    assert [(c.student_no, [f.label for f in c.fields]) for c in err.value.conflicts] == [
        (nos[0], ["录取照片"])
    ]
    assert err.value.conflicts[0].describe().startswith(f"{nos[0]} ")
    assert "录取照片：本地 录取照片 " in err.value.conflicts[0].describe()
    assert table_dump(db) == before
    assert _merge_sealed(db, tmp_path / "b3.gpb", prefer="bundle").committed
    assert _enrolments(db)[nos[0]][0] == hashlib.sha256(enrolment_jpeg(130)).hexdigest()


def test_a_format_2_bundle_still_merges_and_leaves_exam_numbers_and_enrolment_photos_alone(
    station_db, db, tmp_path
):
    from tests.services.exchange.test_bundle import _forge

    nos = _numbers(station_db)
    _merger(db).apply(read_bundle(_reexport(station_db, tmp_path / "first.zip")))
    _set(db, nos[0], exam_no="24410105150123")  # known here only
    add_enrolment(db, tmp_path / "in", nos[0], enrolment_jpeg(40))
    _set(station_db, nos[1], major="站点改的专业")
    _forge(_reexport(station_db, tmp_path / "b.zip"), tmp_path / "v2.zip", lambda photos: None, version=2)
    bundle = read_bundle(tmp_path / "v2.zip")
    assert bundle.manifest["version"] == 2 and bundle.enrolment == []
    report = _merger(db).apply(bundle)
    assert report.committed and list(report.plan.updates) == [nos[1]]
    with db.sessions() as s:
        st = s.scalars(select(Student).where(Student.student_no == nos[0])).one()
        assert st.exam_no == "24410105150123"
    assert set(_enrolments(db)) == {nos[0]}


def test_a_bundle_brings_exam_numbers_to_a_store_that_had_none_without_a_conflict(station_db, db, tmp_path):
    """After a format-2 exchange the bases know no 考生号: a value arriving where there is none overwrites
    nothing and is taken; one that differs from a value here is a conflict."""
    from tests.services.exchange.test_bundle import _forge

    nos = _numbers(station_db)
    _forge(_reexport(station_db, tmp_path / "b.zip"), tmp_path / "v2.zip", lambda photos: None, version=2)
    _merger(db).apply(read_bundle(tmp_path / "v2.zip"))
    _set(station_db, nos[0], exam_no="24410105150123")
    _set(station_db, nos[1], exam_no="24410105150124")
    _set(db, nos[1], exam_no="99999999999999")
    with pytest.raises(UnresolvedConflicts) as err:
        _merger(db).apply(read_bundle(_reexport(station_db, tmp_path / "c.zip")))
    assert [(c.student_no, [f.key for f in c.fields]) for c in err.value.conflicts] == [(nos[1], ["exam_no"])]
    assert _merger(db).apply(read_bundle(tmp_path / "c.zip"), prefer="local").committed
    with db.sessions() as s:
        exam = dict(s.execute(select(Student.student_no, Student.exam_no)).all())
    assert (exam[nos[0]], exam[nos[1]]) == ("24410105150123", "99999999999999")


def test_the_station_switch_travels_and_off_wins(station_db, db, tmp_path):
    with station_db.sessions.begin() as s:
        s.scalars(select(Station)).one().identity_check = False
    plain = _reexport(station_db, tmp_path / "b.zip")
    assert json.loads(zipfile.ZipFile(plain).read("station.json"))["identity_check"] is False
    _merger(db).apply(read_bundle(plain))  # the station is made here with its switch
    with db.sessions() as s:
        assert s.scalars(select(Station)).one().identity_check is False

    with db.sessions.begin() as s:  # switched on here, and a verdict kept on a photo
        s.scalars(select(Station)).one().identity_check = True
        photo = s.scalars(select(Photo).order_by(Photo.id)).first()
        photo.identity_verdict, photo.identity_distance = "unlike", 0.7
    with station_db.sessions.begin() as s:
        s.scalars(select(Student)).first().major = "另一个专业"
    report = _merger(db).apply(read_bundle(_reexport(station_db, tmp_path / "c.zip")))
    assert report.committed and report.plan.identity_off
    with db.sessions() as s:
        assert s.scalars(select(Station)).one().identity_check is False
        assert {(p.identity_verdict, p.identity_distance) for p in s.scalars(select(Photo))} == {("", None)}
        assert s.scalar(select(AuditEvent).where(AuditEvent.action == "identity-check-off")) is not None

    with station_db.sessions.begin() as s:  # a station's "on" never switches this store's "off" on
        s.scalars(select(Station)).one().identity_check = True
        s.scalars(select(Student)).first().major = "第三个专业"
    _merger(db).apply(read_bundle(_reexport(station_db, tmp_path / "d.zip")))
    with db.sessions() as s:
        assert s.scalars(select(Station)).one().identity_check is False


# -- forged bundles --------------------------------------------------------------------------------------------


def _plain_with_enrolment(station_db, tmp_path):
    """A bundle with an enrolment photo inside, unsealed (as a forger holding the passphrase would have it)."""
    from app.services.exchange.crypto import decrypted

    nos = _numbers(station_db)
    add_enrolment(station_db, tmp_path / "in", nos[0], enrolment_jpeg(40))
    sealed = _sealed(station_db, tmp_path / "b.gpb").path
    with decrypted(sealed, SECRET) as plain:
        out = tmp_path / "plain.zip"
        out.write_bytes(plain.read_bytes())
    return out


def _forge(src, dst, change, link: str | None = None, compress=zipfile.ZIP_STORED):
    """Rewrite the parts with `change(files)`, the manifest's checksums and sizes recomputed."""
    with zipfile.ZipFile(src) as zin:
        files = {n: zin.read(n) for n in zin.namelist()}
    manifest = json.loads(files.pop("manifest.json"))
    change(files, manifest)
    manifest["members"] = {
        n: {"sha256": hashlib.sha256(d).hexdigest(), "size": len(d)} for n, d in files.items()
    }
    with zipfile.ZipFile(dst, "w", compress) as zout:
        zout.writestr("manifest.json", json.dumps(manifest))
        for n, data in files.items():
            info = zipfile.ZipInfo(n)
            info.compress_type = compress
            if n == link:
                info.external_attr = 0o120777 << 16
            zout.writestr(info, data)
    return dst


def _member(files):
    return next(n for n in files if n.startswith("enrolment/"))


def test_a_read_bundle_carries_the_enrolment_record(station_db, tmp_path):
    bundle = read_bundle(_plain_with_enrolment(station_db, tmp_path))
    assert [(e["sha256"], e["size_bytes"]) for e in bundle.enrolment] == [
        (hashlib.sha256(enrolment_jpeg(40)).hexdigest(), len(enrolment_jpeg(40)))
    ]


def test_enrolment_bytes_that_do_not_match_their_record_are_refused(station_db, db, tmp_path):
    plain = _plain_with_enrolment(station_db, tmp_path)
    before = table_dump(db)

    def other_face(files, manifest):  # the file replaced, the manifest made to match: the record does not
        files[_member(files)] = enrolment_jpeg(250)

    with pytest.raises(BundleError, match="^数据包 f.zip 内容无效：录取照片记录与录取照片文件不一致（"):
        read_bundle(_forge(plain, tmp_path / "f.zip", other_face))

    with zipfile.ZipFile(plain) as zin:  # one byte changed, the manifest left as it was
        files = {n: zin.read(n) for n in zin.namelist()}
    name = _member(files)
    data = bytearray(files[name])
    data[len(data) // 2] ^= 0xFF
    files[name] = bytes(data)
    with zipfile.ZipFile(tmp_path / "t.zip", "w") as zout:
        for n, d in files.items():
            zout.writestr(n, d)
    with pytest.raises(BundleError, match=f"^数据包 t.zip 中的文件 {name} 校验和不符"):
        read_bundle(tmp_path / "t.zip")
    assert table_dump(db) == before


@pytest.mark.parametrize(
    ("change", "link", "why"),
    [
        (lambda files, m: None, "member", "含有链接（enrolment/"),
        (
            lambda files, m: files.__setitem__("enrolment/../../x.jpg", enrolment_jpeg(1)),
            None,
            "含有不允许的文件名（enrolment/../../x.jpg）",
        ),
        (
            lambda files, m: files.__setitem__("enrolment/" + "ab" * 32 + ".jpg", b"\0" * (1 << 20)),
            None,
            "压缩比异常",
        ),
        (
            lambda files, m: files.__setitem__("enrolment/" + "cd" * 32 + ".jpg", os.urandom(4096)),
            None,
            "多于清单所列照片数",
        ),
        (lambda files, m: m["counts"].__setitem__("enrolment", 2), None, "清单记录数与内容不符"),
        (lambda files, m: m["counts"].__setitem__("enrolment", -1), None, "清单记录数无效（enrolment）"),
    ],
    ids=["link", "path", "bomb", "extra-file", "count", "negative-count"],
)
def test_forged_enrolment_parts_are_refused_in_chinese(station_db, db, tmp_path, change, link, why):
    plain = _plain_with_enrolment(station_db, tmp_path)
    with zipfile.ZipFile(plain) as zf:
        member = next(n for n in zf.namelist() if n.startswith("enrolment/"))
    before = table_dump(db)
    forged = _forge(
        plain,
        tmp_path / "f.zip",
        change,
        link=member if link else None,
        compress=zipfile.ZIP_DEFLATED,
    )
    with pytest.raises(BundleError, match=why):
        read_bundle(forged)
    assert table_dump(db) == before


def _edit_json(part, edit):
    def change(files, manifest):
        data = json.loads(files[part])
        edit(data)
        files[part] = json.dumps(data, ensure_ascii=False).encode()

    return change


@pytest.mark.parametrize(
    ("part", "edit", "why"),
    [
        ("enrolment.json", lambda d: d[0].__setitem__("stored_name", "../../../etc/passwd"), "存储名无效"),
        ("enrolment.json", lambda d: d[0].__setitem__("student_no", "nobody"), "指向不存在的学生"),
        ("enrolment.json", lambda d: d.append(dict(d[0])), "有多条录取照片记录"),
        (
            "enrolment.json",
            lambda d: d[0].__setitem__("original_name", "a\x1b[2J.jpg"),
            "录取照片记录字段无效",
        ),
        ("enrolment.json", lambda d: d[0].__setitem__("size_bytes", 1), "录取照片记录字段无效"),
        (
            "students.json",
            lambda d: d[0]["fields"].__setitem__("enrolment", "ab" * 32),
            "录取照片与记录不一致",
        ),
        ("students.json", lambda d: d[0]["fields"].__setitem__("exam_no", "考生\x1b号"), "考生号"),
        ("station.json", lambda d: d.__setitem__("identity_check", "yes"), "人脸比对开关无效"),
    ],
    ids=["stored-name", "no-student", "twice", "control-name", "size", "field", "exam-no", "switch"],
)
def test_forged_enrolment_records_are_refused_in_chinese(station_db, tmp_path, part, edit, why):
    plain = _plain_with_enrolment(station_db, tmp_path)

    def change(files, manifest):
        _edit_json(part, edit)(files, manifest)
        if part == "enrolment.json":
            manifest["counts"]["enrolment"] = len(json.loads(files[part]))

    with pytest.raises(BundleError, match=why):
        read_bundle(_forge(plain, tmp_path / "f.zip", change))


def test_the_enrolment_file_name_travels_and_a_format_3_bundle_leaves_it_alone(station_db, db, tmp_path):
    from tests.services.exchange.test_bundle import _forge

    nos = _numbers(station_db)
    _merger(db).apply(read_bundle(_reexport(station_db, tmp_path / "first.zip")))
    _set(station_db, nos[0], enrolment_file="张三.jpg")
    bundle = read_bundle(_reexport(station_db, tmp_path / "b.zip"))
    assert bundle.manifest["version"] == 4
    assert {r["student_no"]: r["fields"]["enrolment_file"] for r in bundle.students}[nos[0]] == "张三.jpg"
    assert _merger(db).apply(bundle).committed
    _set(db, nos[1], enrolment_file="李四.png")  # known here only; an older station's bundle lacks the field
    _set(station_db, nos[2], major="站点改的专业")
    _forge(_reexport(station_db, tmp_path / "c.zip"), tmp_path / "v3.zip", lambda photos: None, version=3)
    old = read_bundle(tmp_path / "v3.zip")
    assert old.manifest["version"] == 3
    report = _merger(db).apply(old)
    assert report.committed and list(report.plan.updates) == [nos[2]]
    with db.sessions() as s:
        names = dict(s.execute(select(Student.student_no, Student.enrolment_file)).all())
    assert names[nos[0]] == "张三.jpg" and names[nos[1]] == "李四.png"


def test_enrolment_photos_counts_what_a_plain_bundle_leaves_out(station_db, tmp_path):
    from app.services.exchange.bundle import enrolment_photos
    from app.services.roster.stations import StationData, StationService

    nos = _numbers(station_db)
    assert enrolment_photos(station_db.sessions, STATION) == 0
    add_enrolment(station_db, tmp_path / "in", nos[0], enrolment_jpeg(40))
    add_enrolment(station_db, tmp_path / "in", nos[2], enrolment_jpeg(90))
    assert enrolment_photos(station_db.sessions, f" {STATION} ") == 2  # the name as export_station reads it
    StationService(station_db.sessions).create(
        StationData(name="另一个站", school_name="郑州大学", school_code="10459")
    )
    assert enrolment_photos(station_db.sessions, "另一个站") == 0  # another station's students: not counted
    assert enrolment_photos(station_db.sessions, "没有这个站") == 0
    result = export_station(station_db.sessions, photo_store_for(station_db), STATION, tmp_path / "p.zip")
    assert result.enrolment_left_out == 2


def test_an_unencrypted_bundle_that_carries_enrolment_photos_anyway_is_not_merged(station_db, db, tmp_path):
    """Face data travels only inside an encrypted bundle: one made outside GradPhoto (or unsealed by hand)
    with enrolment photos in the open is refused here too, so the rule holds at both ends."""
    plain = _plain_with_enrolment(station_db, tmp_path)
    bundle = read_bundle(plain)  # every part checks out: only the encryption is missing
    assert len(bundle.enrolment) == 1
    before = table_dump(db)
    with pytest.raises(BundleError, match="^数据包 plain.zip 没有加密，却带有录取照片"):
        _merger(db).apply(bundle)
    with pytest.raises(BundleError, match="^数据包 plain.zip 没有加密，却带有录取照片"):
        _merger(db).plan(bundle)
    assert table_dump(db) == before
    assert not (photo_store_for(db).root / "enrolment").exists() or not any(
        (photo_store_for(db).root / "enrolment").rglob("*.*")
    )
