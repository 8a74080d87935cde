"""Station bundles: export, verify, merge (new, one-sided, conflicts), idempotence, refusal of damaged files."""

from __future__ import annotations

import json
import zipfile

import pytest
from sqlalchemy import func, select

from app.models import AuditEvent, Photo, ProofRecord, Student
from app.paths import photo_store_for
from app.services.exchange.bundle import BundleError, export_station, read_bundle
from app.services.exchange.merge import BundleMerger, UnresolvedConflicts
from app.services.photo.qc import QC_VERSION
from app.services.roster.service import RosterService
from tests.bundle_data import STATION, make_station_store, table_dump


@pytest.fixture
def station_db(tmp_path):
    db = make_station_store(tmp_path / "station", count=6, photos=2)
    yield db
    db.dispose()


def _export(db, path):
    export_station(db.sessions, photo_store_for(db), STATION, path, "站点员")
    return read_bundle(path)


def _merger(db):
    return BundleMerger(db.sessions, photo_store_for(db), "学院管理员")


def _edit(db, student_no, **values):
    with db.sessions.begin() as s:
        st = s.scalars(select(Student).where(Student.student_no == student_no)).one()
        for k, v in values.items():
            setattr(st, k, v)


def _value(db, student_no, key):
    with db.sessions() as s:
        return getattr(s.scalars(select(Student).where(Student.student_no == student_no)).one(), key)


def test_export_writes_everything_and_audits_full_ids(station_db, tmp_path):
    path = tmp_path / "b.zip"
    bundle = _export(station_db, path)
    assert len(bundle.students) == 6 and len(bundle.photos) == 2 and bundle.proof_records
    names = zipfile.ZipFile(path).namelist()
    assert sum(n.startswith("photos/") for n in names) == 2
    assert bundle.manifest["version"] == 4 and all(
        len(m["sha256"]) == 64 for m in bundle.manifest["members"].values()
    )
    with station_db.sessions() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "bundle-export")).one()
    assert event.new["full_id_numbers"] is True


def test_import_into_empty_store_then_again_changes_nothing(station_db, db, tmp_path):
    bundle = _export(station_db, tmp_path / "b.zip")
    report = _merger(db).apply(bundle)
    assert report.committed and len(report.plan.new) == 6 and len(report.plan.new_photos) == 2
    with db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Student)) == 6
        photos = list(s.scalars(select(Photo).where(Photo.is_current)))
        assert len(photos) == 2 and all(p.crop_width == 72.0 and p.review == "accepted" for p in photos)
        assert s.scalar(select(func.count()).select_from(ProofRecord)) >= 1
    store = photo_store_for(db)
    assert all(store.path(p.stored_name).is_file() for p in photos)
    before = table_dump(db)
    again = _merger(db).apply(read_bundle(tmp_path / "b.zip"))
    assert not again.committed and "已导入过" in again.plan.summary()
    assert table_dump(db) == before


def test_one_sided_changes_merge_and_two_sided_changes_conflict(station_db, db, tmp_path):
    _merger(db).apply(_export(station_db, tmp_path / "b1.zip"))
    first, second = [r.student_no for r in RosterService(db.sessions).rows(None)[:2]]
    _edit(station_db, first, major="station-major")  # changed at the station only
    _edit(db, first, class_name="college-class")  # a different field changed at the college
    _edit(station_db, second, major="站点改的专业")
    _edit(db, second, major="学院改的专业")  # the same field, differently: a conflict
    bundle = _export(station_db, tmp_path / "b2.zip")
    before = table_dump(db)
    with pytest.raises(UnresolvedConflicts) as err:
        _merger(db).apply(bundle)
    assert [c.student_no for c in err.value.conflicts] == [second]
    assert err.value.conflicts[0].fields[0].key == "major"
    assert table_dump(db) == before  # nothing written
    report = _merger(db).apply(bundle, {second: "local"})
    assert report.committed
    assert (
        _value(db, first, "major") == "station-major" and _value(db, first, "class_name") == "college-class"
    )
    assert _value(db, second, "major") == "学院改的专业"
    # The decision sticks: the same bundle again, or a later one with no new change there, is no conflict.
    assert not _merger(db).apply(read_bundle(tmp_path / "b2.zip")).committed
    _edit(station_db, first, major="again")
    report = _merger(db).apply(_export(station_db, tmp_path / "b3.zip"))
    assert report.committed and list(report.plan.updates) == [first]
    assert _value(db, second, "major") == "学院改的专业"


def test_take_bundle_decision_and_prefer(station_db, db, tmp_path):
    _merger(db).apply(_export(station_db, tmp_path / "b1.zip"))
    no = RosterService(db.sessions).rows(None)[0].student_no
    _edit(station_db, no, class_name="站点班")
    _edit(db, no, class_name="学院班")
    bundle = _export(station_db, tmp_path / "b2.zip")
    assert _merger(db).apply(bundle, prefer="bundle").committed
    assert _value(db, no, "class_name") == "站点班"


def test_first_exchange_with_a_differing_known_student_is_a_conflict(station_db, db, tmp_path):
    bundle = _export(station_db, tmp_path / "b.zip")
    rec = bundle.students[0]
    _merger(db).apply(bundle)
    # A second station store (new source id) sends the same student with another major.
    other = make_station_store(tmp_path / "other", count=6, photos=0)
    _edit(other, rec["student_no"], major="另一个专业")
    with pytest.raises(UnresolvedConflicts):
        _merger(db).apply(_export(other, tmp_path / "o.zip"))
    other.dispose()


def _rewrite(src, dst, change):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, change(info.filename, zin.read(info.filename)))


def test_tampered_truncated_and_foreign_bundles_are_refused(station_db, db, tmp_path):
    good = tmp_path / "b.zip"
    _export(station_db, good)
    before = table_dump(db)

    def edit_students(name, data):
        if name == "students.json":
            rows = json.loads(data)
            rows[0]["fields"]["name"] = "冒名"
            return json.dumps(rows, ensure_ascii=False).encode()
        return data

    _rewrite(good, tmp_path / "t.zip", edit_students)
    with pytest.raises(BundleError, match="校验和不符|大小与清单不符"):
        read_bundle(tmp_path / "t.zip")
    raw = good.read_bytes()
    (tmp_path / "cut.zip").write_bytes(raw[: len(raw) // 2])
    with pytest.raises(BundleError, match="损坏或不完整"):
        read_bundle(tmp_path / "cut.zip")
    _rewrite(good, tmp_path / "x.zip", lambda n, d: d)
    with zipfile.ZipFile(tmp_path / "x.zip", "a") as zf:
        zf.writestr("extra.exe", b"MZ")
    with pytest.raises(BundleError, match="清单之外"):
        read_bundle(tmp_path / "x.zip")

    def newer(name, data):
        if name == "manifest.json":
            m = json.loads(data)
            m["version"] = 99
            return json.dumps(m).encode()
        return data

    _rewrite(good, tmp_path / "v.zip", newer)
    with pytest.raises(BundleError, match="^数据包版本较新，请先升级程序（v.zip 的格式版本为 99"):
        read_bundle(tmp_path / "v.zip")
    assert table_dump(db) == before


def _forge(src, dst, change_photos, version=None):
    """Rewrite photos.json and recompute the manifest, as someone crafting a bundle would (or as an older
    version of GradPhoto wrote it, with `version`)."""
    import hashlib

    with zipfile.ZipFile(src) as zin:
        files = {n: zin.read(n) for n in zin.namelist()}
    photos = json.loads(files["photos.json"])
    change_photos(photos)
    files["photos.json"] = json.dumps(photos).encode()
    manifest = json.loads(files["manifest.json"])
    if version is not None:
        manifest["version"] = version
    if version is not None and version < 4:
        _before_format_4(files, manifest)
    if version is not None and version < 3:
        _before_format_3(files, manifest)
    manifest["members"]["photos.json"] = {
        "sha256": hashlib.sha256(files["photos.json"]).hexdigest(),
        "size": len(files["photos.json"]),
    }
    files["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(dst, "w") as zout:
        for n, data in files.items():
            zout.writestr(n, data)


def _before_format_4(files, manifest):
    """What a format-3 writer made: no 录取照片文件名."""
    import hashlib

    students = json.loads(files["students.json"])
    for rec in students:
        rec["fields"].pop("enrolment_file")
    files["students.json"] = json.dumps(students, ensure_ascii=False).encode()
    manifest["members"]["students.json"] = {
        "sha256": hashlib.sha256(files["students.json"]).hexdigest(),
        "size": len(files["students.json"]),
    }


def _before_format_3(files, manifest):
    """What a format-2 writer made: no enrolment part or files, no 考生号, no identity switch."""
    import hashlib

    for name in [n for n in files if n == "enrolment.json" or n.startswith("enrolment/")]:
        del files[name]
        del manifest["members"][name]
    students = json.loads(files["students.json"])
    for rec in students:
        rec["fields"].pop("exam_no")
        rec["fields"].pop("enrolment", None)
    station = json.loads(files["station.json"])
    del station["identity_check"]
    for name, data in (("students.json", students), ("station.json", station)):
        files[name] = json.dumps(data, ensure_ascii=False).encode()
        manifest["members"][name] = {
            "sha256": hashlib.sha256(files[name]).hexdigest(),
            "size": len(files[name]),
        }
    del manifest["counts"]["enrolment"], manifest["enrolment_photos"]


def test_names_inside_a_crafted_bundle_never_become_paths(station_db, db, tmp_path):
    good = tmp_path / "b.zip"
    _export(station_db, good)

    def escape(photos):
        photos[0]["stored_name"] = "../../../../etc/passwd"
        photos[0]["file"] = None

    def bad_member(photos):
        photos[0]["file"] = "photos/../../x.jpg"

    for n, change in enumerate((escape, bad_member)):
        _forge(good, tmp_path / f"f{n}.zip", change)
        with pytest.raises(BundleError, match="存储名无效|照片记录与照片文件不一致"):
            read_bundle(tmp_path / f"f{n}.zip")


def _flip_photo_byte(name, data):
    """The first photo's bytes with one byte changed in the middle: same size, other content."""
    if name.startswith("photos/"):
        mid = len(data) // 2
        return data[:mid] + bytes([data[mid] ^ 0xFF]) + data[mid + 1 :]
    return data


def test_a_same_size_tampered_member_is_refused_by_its_checksum(station_db, db, tmp_path):
    good = tmp_path / "b.zip"
    _export(station_db, good)
    before = table_dump(db)
    _rewrite(good, tmp_path / "t.zip", _flip_photo_byte)  # re-zipped: sizes in the manifest still match
    with zipfile.ZipFile(good) as a, zipfile.ZipFile(tmp_path / "t.zip") as b:
        assert {i.filename: i.file_size for i in a.infolist()} == {
            i.filename: i.file_size for i in b.infolist()
        }
    with pytest.raises(BundleError, match="校验和不符"):
        read_bundle(tmp_path / "t.zip")
    assert table_dump(db) == before


def test_a_photo_changed_after_verification_is_refused_when_extracted(station_db, db, tmp_path):
    good = tmp_path / "b.zip"
    bundle = _export(station_db, good)
    member = next(m for m in bundle.manifest["members"] if m.startswith("photos/"))
    _rewrite(good, tmp_path / "t.zip", _flip_photo_byte)
    (tmp_path / "t.zip").replace(good)  # the file changes between read_bundle and the merge
    with pytest.raises(BundleError, match="校验和不符"):
        bundle.extract_photo(member, tmp_path / "out.jpg")

    before = table_dump(db)
    with pytest.raises(BundleError, match="校验和不符"):
        _merger(db).apply(bundle)
    assert table_dump(db) == before
    assert not any(photo_store_for(db).root.rglob("*.jpg"))


def test_a_photo_accepted_anyway_travels_with_its_state_and_reason(station_db, db, tmp_path):
    """仍接受 (override) is a valid state in a bundle, and its reason and QC version come along."""
    with station_db.sessions.begin() as s:
        photo = s.scalars(select(Photo).where(Photo.is_current).order_by(Photo.id)).first()
        photo.override_reason = "人工核对：构图符合规格"
        photo.student.photo_state = "override"
        student_no = photo.student.student_no
    report = _merger(db).apply(_export(station_db, tmp_path / "b.zip"))
    assert report.committed
    with db.sessions() as s:
        student = s.scalars(select(Student).where(Student.student_no == student_no)).one()
        photo = s.scalars(select(Photo).where(Photo.student_id == student.id, Photo.is_current)).one()
        assert student.photo_state == "override"
        # The reason travels; the checks do not count here until this store has measured them itself.
        assert photo.override_reason == "人工核对：构图符合规格" and photo.qc_version == 0


def test_checks_from_a_bundle_are_measured_again_before_anyone_relies_on_them(station_db, db, tmp_path):
    """The bundle says its photos passed (qc=[]), but its 'photos' are faceless test images: accepting one
    here measures it first, and the face check (hard) refuses it."""
    from app.services.capture.service import CaptureService, HardFailure

    assert _merger(db).apply(_export(station_db, tmp_path / "b.zip")).committed
    with db.sessions() as s:
        photo = s.scalars(select(Photo).where(Photo.is_current).order_by(Photo.id)).first()
    assert photo.qc_version == 0 and photo.qc == []
    capture = CaptureService(db.sessions, photo_store_for(db), "学院")
    with pytest.raises(HardFailure, match="人脸数"):
        capture.accept(photo.id)
    assert capture.photo(photo.id).qc_version == QC_VERSION


@pytest.mark.parametrize(
    "crop",
    [(128, 20, 0, 0, 0), (128, 20, 1e308, 1e308, 0), (1e300, 20, 290, 387, 0), (5, 6, 72, 96, 90)],
)
def test_crops_no_camera_photo_has_are_refused(station_db, tmp_path, crop):
    """A crafted bundle with a crop of no size, of absurd size or turned past 45° is refused on reading."""
    good = tmp_path / "b.zip"
    _export(station_db, good)

    def change(photos):
        for key, value in zip(("crop_left", "crop_top", "crop_width", "crop_height", "crop_rotation"), crop):
            photos[0][key] = value

    _forge(good, tmp_path / "f.zip", change)
    with pytest.raises(BundleError, match="照片裁剪参数无效"):
        read_bundle(tmp_path / "f.zip")


def _forge_members(src, dst, change):
    """Rewrite the bundle's members and manifest with `change(files, manifest)`, checksums recomputed."""
    import hashlib

    with zipfile.ZipFile(src) as zin:
        files = {n: zin.read(n) for n in zin.namelist()}
    manifest = json.loads(files.pop("manifest.json"))
    link = change(files, manifest)
    for n, data in files.items():
        manifest["members"][n] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    with zipfile.ZipFile(dst, "w") as zout:
        zout.writestr("manifest.json", json.dumps(manifest))
        for n, data in files.items():
            info = zipfile.ZipInfo(n)
            if n == link:
                info.external_attr = 0o120777 << 16  # a symbolic link entry
            zout.writestr(info, data)


def test_bundles_with_wrong_counts_paths_links_or_huge_parts_are_refused(station_db, tmp_path, monkeypatch):
    from app.services.exchange import bundle as bundle_mod

    good = tmp_path / "b.zip"
    _export(station_db, good)
    before_students = json.loads(zipfile.ZipFile(good).read("students.json"))

    def wrong_count(files, manifest):
        manifest["counts"]["students"] = len(before_students) + 1

    def escape(files, manifest):
        files["../../x"] = b"x"

    def absolute(files, manifest):
        files["/tmp/x"] = b"x"

    def link(files, manifest):
        name = next(n for n in files if n.startswith("photos/"))
        return name

    for change, why in (
        (wrong_count, "清单记录数与内容不符"),
        (escape, "不允许的文件名"),
        (absolute, "不允许的文件名"),
        (link, "含有链接"),
    ):
        _forge_members(good, tmp_path / "f.zip", change)
        with pytest.raises(BundleError, match=why):
            read_bundle(tmp_path / "f.zip")
    monkeypatch.setattr(bundle_mod, "_MAX_PHOTO_BYTES", 10)  # stands for a 1 GiB part
    with pytest.raises(BundleError, match="过大"):
        read_bundle(good)


def test_an_encrypted_bundle_needs_its_passphrase_and_resists_changes(station_db, db, tmp_path):
    from app.services.exchange.bundle import open_bundle
    from app.services.exchange.crypto import MAGIC

    sealed = tmp_path / "b.gpb"
    export_station(
        station_db.sessions, photo_store_for(station_db), STATION, sealed, "站点员", "correct horse 42"
    )
    data = sealed.read_bytes()
    with station_db.sessions() as s:
        student = s.scalars(select(Student)).first()
    assert data.startswith(MAGIC)
    assert student.id_number.encode() not in data and student.name.encode("utf-8") not in data
    with pytest.raises(BundleError, match="已用口令加密"):
        read_bundle(sealed)
    with pytest.raises(BundleError, match="口令不正确"):
        with open_bundle(sealed, "wrong passphrase"):
            pass
    changed = bytearray(data)
    changed[len(data) // 2] ^= 0x01
    (tmp_path / "changed.gpb").write_bytes(bytes(changed))
    with pytest.raises(BundleError, match="损坏"):
        with open_bundle(tmp_path / "changed.gpb", "correct horse 42"):
            pass
    (tmp_path / "cut.gpb").write_bytes(data[: len(data) - 20])
    with pytest.raises(BundleError, match="损坏|不完整"):
        with open_bundle(tmp_path / "cut.gpb", "correct horse 42"):
            pass
    with open_bundle(sealed, "correct horse 42") as bundle:
        report = _merger(db).apply(bundle)
        plain = bundle.plain_path
    assert report.committed and len(report.plan.new_photos) == 2
    assert not plain.exists()  # the decrypted copy is gone once the block ends
    with db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Student)) == 6
    with pytest.raises(BundleError, match="至少 8 个字符"):
        export_station(
            station_db.sessions, photo_store_for(station_db), STATION, tmp_path / "x.gpb", "", "short"
        )


def _drop_issue12_fields(photos):
    for p in photos:
        del p["override_reason"], p["qc_version"]


def test_a_version_1_bundle_is_still_read_and_merged(station_db, db, tmp_path):
    """Format 1 (before 仍接受 reasons and versioned checks) is what stations in the field still carry: it reads
    with no reason and unversioned checks, and merges."""
    good = tmp_path / "b.zip"
    _export(station_db, good)
    _forge(good, tmp_path / "v1.zip", _drop_issue12_fields, version=1)
    bundle = read_bundle(tmp_path / "v1.zip")
    assert bundle.manifest["version"] == 1
    assert {(p["override_reason"], p["qc_version"]) for p in bundle.photos} == {("", 0)}
    assert _merger(db).apply(bundle).committed
    with db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Photo)) == 2


def test_a_version_2_bundle_without_the_fields_it_added_is_refused(station_db, tmp_path):
    good = tmp_path / "b.zip"
    _export(station_db, good)
    _forge(good, tmp_path / "v2.zip", _drop_issue12_fields, version=2)
    with pytest.raises(BundleError, match="照片记录不完整"):
        read_bundle(tmp_path / "v2.zip")


def test_a_version_1_bundle_claims_the_accepted_anyway_state_only_with_its_reasons(station_db, db, tmp_path):
    """仍接受 arrived with format 2. A version-1 bundle holding it without the photo fields that go with it was
    made by hand and is refused; one with them is what the builds between the state and the version bump
    wrote, and it reads and merges with its reason."""
    with station_db.sessions.begin() as s:
        photo = s.scalars(select(Photo).where(Photo.is_current).order_by(Photo.id)).first()
        photo.override_reason = "人工核对：构图符合规格"
        photo.student.photo_state = "override"
        student_no = photo.student.student_no
    good = tmp_path / "b.zip"
    _export(station_db, good)
    _forge(good, tmp_path / "hand.zip", _drop_issue12_fields, version=1)
    with pytest.raises(BundleError, match="照片状态无效"):
        read_bundle(tmp_path / "hand.zip")
    _forge(good, tmp_path / "interim.zip", lambda photos: None, version=1)
    assert _merger(db).apply(read_bundle(tmp_path / "interim.zip")).committed
    with db.sessions() as s:
        student = s.scalars(select(Student).where(Student.student_no == student_no)).one()
        current = s.scalars(select(Photo).where(Photo.student_id == student.id, Photo.is_current)).one()
        assert (student.photo_state, current.override_reason) == ("override", "人工核对：构图符合规格")


def _forge_students(src, dst, change):
    """Rewrite students.json (and photos.json for a changed 学号) with a correct manifest, as a forger would."""
    import hashlib

    with zipfile.ZipFile(src) as zin:
        files = {n: zin.read(n) for n in zin.namelist()}
    rows = json.loads(files["students.json"])
    photos = json.loads(files["photos.json"])
    change(rows, photos)
    files["students.json"] = json.dumps(rows, ensure_ascii=False).encode()
    files["photos.json"] = json.dumps(photos, ensure_ascii=False).encode()
    manifest = json.loads(files["manifest.json"])
    for member in ("students.json", "photos.json"):
        manifest["members"][member] = {
            "sha256": hashlib.sha256(files[member]).hexdigest(),
            "size": len(files[member]),
        }
    files["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(dst, "w") as zout:
        for n, data in files.items():
            zout.writestr(n, data)


@pytest.mark.parametrize(
    ("key", "value", "why"),
    [
        ("name", "张三/../x", "不能含有"),
        ("name", "张\u202e三", "控制字符"),
        ("major", "法学\x1b[2J", "控制字符"),
        ("student_no", "../../../tmp/x", "只能由字母"),
        # an import or the dialog keeps only the file's name; a folder could only come from a forged bundle
        ("enrolment_file", "..\\..\\录取\\a.jpg", "只写文件名"),
        ("enrolment_file", "/etc/a.jpg", "只写文件名"),
    ],
)
def test_a_bundle_obeys_the_field_rules_an_import_obeys(station_db, db, tmp_path, key, value, why):
    """A 学号 becomes a file name on the disc and a name is printed on forms: a bundle cannot bring what a
    clerk could not type, and nothing of it is written."""
    good = tmp_path / "b.zip"
    _export(station_db, good)
    before = table_dump(db)

    def change(rows, photos):
        old_no = rows[0]["student_no"]
        rows[0]["fields"][key] = value
        if key == "student_no":
            rows[0]["student_no"] = value
            for p in photos:
                if p["student_no"] == old_no:
                    p["student_no"] = value

    _forge_students(good, tmp_path / "f.zip", change)
    with pytest.raises(BundleError, match=why):
        read_bundle(tmp_path / "f.zip")
    assert table_dump(db) == before


def test_a_bundle_that_is_a_link_is_not_followed(station_db, tmp_path):
    from app.services.exchange.bundle import open_bundle

    good = tmp_path / "b.zip"
    _export(station_db, good)
    link = tmp_path / "从U盘.gpbundle.zip"
    link.symlink_to(good)
    with pytest.raises(BundleError, match="从U盘.gpbundle.zip.*链接"):
        read_bundle(link)
    with pytest.raises(BundleError, match="链接"), open_bundle(link, None):
        pass


def _forge_station(src, dst, change):
    import hashlib

    with zipfile.ZipFile(src) as zin:
        files = {n: zin.read(n) for n in zin.namelist()}
    station = json.loads(files["station.json"])
    change(station)
    files["station.json"] = json.dumps(station, ensure_ascii=False).encode()
    manifest = json.loads(files["manifest.json"])
    manifest["members"]["station.json"] = {
        "sha256": hashlib.sha256(files["station.json"]).hexdigest(),
        "size": len(files["station.json"]),
    }
    files["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(dst, "w") as zout:
        for n, data in files.items():
            zout.writestr(n, data)


@pytest.mark.parametrize(
    ("key", "value", "why"),
    [
        ("default_preset", "../../../../tmp/evilpreset", "默认规格名称无效"),
        ("payee_name", "收款\u202e单位", "payee_name 无效"),
        ("school_name", "郑州大学\x1b[2J", "school_name 无效"),
        ("payee_address", "路" * 301, "payee_address 无效"),
    ],
)
def test_a_bundle_cannot_bring_station_settings_a_clerk_could_not_type(station_db, tmp_path, key, value, why):
    """Found by the second attack: station.json went unchecked, and a default preset of ../../x made the
    package load a preset file from anywhere."""
    good = tmp_path / "b.zip"
    _export(station_db, good)
    _forge_station(good, tmp_path / "s.zip", lambda st: st.__setitem__(key, value))
    with pytest.raises(BundleError, match=why):
        read_bundle(tmp_path / "s.zip")


def test_a_preset_name_is_never_a_path():
    from app.services.photo.presets import PresetError, load_preset

    for name in ("../../../../tmp/evilpreset", "/etc/passwd", "legacy-192x144/../x", ".hidden"):
        with pytest.raises(PresetError, match="没有名为"):
            load_preset(name)


def test_invisible_characters_in_a_bundle_are_dropped_as_an_import_drops_them(station_db, db, tmp_path):
    good = tmp_path / "b.zip"
    _export(station_db, good)

    def change(rows, photos):
        rows[0]["fields"]["name"] = rows[0]["fields"]["name"][0] + "\u200b" + rows[0]["fields"]["name"][1:]

    _forge_students(good, tmp_path / "z.zip", change)
    bundle = read_bundle(tmp_path / "z.zip")
    assert "\u200b" not in bundle.students[0]["fields"]["name"]


def test_a_refused_student_is_named_safely_with_what_to_do(station_db, tmp_path):
    good = tmp_path / "b.zip"
    _export(station_db, good)
    _forge_students(
        good, tmp_path / "n.zip", lambda rows, photos: rows[0]["fields"].__setitem__("name", "a/b")
    )
    with pytest.raises(BundleError) as refused:
        read_bundle(tmp_path / "n.zip")
    with zipfile.ZipFile(good) as zf:
        first_no = json.loads(zf.read("students.json"))[0]["student_no"]
    assert f"（{first_no}）" in str(refused.value) and "改正该学生的记录后重新导出" in str(refused.value)


def test_a_json_bomb_in_a_bundle_is_refused_before_parsing(station_db, db, tmp_path):
    """Found by the second attack: audit.json as 500 MB of "0," packed into 0.5 MB, manifest updated to
    match, took 30 s and 2.7 GB before it was refused. Its compression ratio gives it away at once."""
    import hashlib
    import time

    good = tmp_path / "b.zip"
    _export(station_db, good)
    with zipfile.ZipFile(good) as zin:
        files = {n: zin.read(n) for n in zin.namelist()}
    files["audit.json"] = b"[" + b"0," * (32 << 20) + b"0]"  # 64 MB is enough to show it
    manifest = json.loads(files["manifest.json"])
    manifest["members"]["audit.json"] = {
        "sha256": hashlib.sha256(files["audit.json"]).hexdigest(),
        "size": len(files["audit.json"]),
    }
    files["manifest.json"] = json.dumps(manifest).encode()
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zout:
        for n, data in files.items():
            zout.writestr(n, data)
    before = table_dump(db)
    t0 = time.perf_counter()
    with pytest.raises(BundleError, match="audit.json (压缩比异常|过大)"):
        read_bundle(bomb)
    assert time.perf_counter() - t0 < 1.0
    assert table_dump(db) == before


def test_the_audit_and_proofing_counts_must_match_too(station_db, tmp_path):
    good = tmp_path / "b.zip"
    _export(station_db, good)

    def drop_audit(name, data):
        if name == "manifest.json":
            m = json.loads(data)
            m["counts"]["audit"] += 1
            return json.dumps(m).encode()
        return data

    _rewrite(good, tmp_path / "c.zip", drop_audit)
    with pytest.raises(BundleError, match="清单记录数与内容不符"):
        read_bundle(tmp_path / "c.zip")


def test_a_merge_that_fails_leaves_no_original_behind(station_db, db, tmp_path, monkeypatch):
    """Found by the second attack: a merge stopped by a full disk left its photo originals in the store,
    named by no record."""
    import errno

    from app.services.exchange.merge import BundleMerger

    bundle = _export(station_db, tmp_path / "b.zip")

    def full(self, s, bundle, plan):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(BundleMerger, "_write", full)
    with pytest.raises(OSError):
        _merger(db).apply(bundle)
    assert not any(p.is_file() for p in photo_store_for(db).root.rglob("*"))
    monkeypatch.undo()
    assert _merger(db).apply(bundle).committed
    assert sum(p.is_file() for p in photo_store_for(db).root.rglob("*")) == 2


def _rebuild(src, dst, change_files):
    """Rewrite any parts and the manifest's sizes and checksums, as a forger would."""
    import hashlib

    with zipfile.ZipFile(src) as zin:
        files = {n: zin.read(n) for n in zin.namelist()}
    change_files(files)
    manifest = json.loads(files["manifest.json"])
    for n, data in files.items():
        if n != "manifest.json":
            manifest["members"][n] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    files["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for n, data in files.items():
            zout.writestr(n, data)


def test_a_json_part_larger_than_its_declared_records_is_refused_before_parsing(station_db, tmp_path):
    """Found by the re-attack: 480 MB of JSON packed just under the ratio limit (94:1) took 29 s and 2.6 GB.
    Each part is held to what its declared records can weigh, before a byte is parsed."""
    import base64
    import os
    import time

    good = tmp_path / "b.zip"
    _export(station_db, good)

    def pad(files):  # high-entropy text, so the ratio check cannot see it: only the size tells
        files["audit.json"] = b'["' + base64.b64encode(os.urandom(3 << 20)) + b'"]'

    _rebuild(good, tmp_path / "big.zip", pad)
    t0 = time.perf_counter()
    with pytest.raises(BundleError, match="audit.json 过大"):
        read_bundle(tmp_path / "big.zip")
    assert time.perf_counter() - t0 < 1.0


def test_photo_members_that_pack_like_zeros_or_outnumber_the_records_are_refused(station_db, tmp_path):
    """Found by the re-attack: 5,000 listed members of 1 MB of zeros (6 MB packed) took 21 s to hash."""
    good = tmp_path / "b.zip"
    _export(station_db, good)

    def zeros(files):
        files["photos/" + "ab" * 32 + ".jpg"] = b"\0" * (1 << 20)

    _rebuild(good, tmp_path / "z.zip", zeros)
    with pytest.raises(BundleError, match="压缩比异常"):
        read_bundle(tmp_path / "z.zip")

    def extra(files):
        import os

        files["photos/" + "cd" * 32 + ".jpg"] = os.urandom(4096)

    _rebuild(good, tmp_path / "e.zip", extra)
    with pytest.raises(BundleError, match="多于清单所列照片数"):
        read_bundle(tmp_path / "e.zip")


def test_a_killed_imports_decrypted_copy_is_removed_later(tmp_path, monkeypatch):
    import os
    import tempfile
    import time

    from app.services.exchange import crypto

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    old = tmp_path / (crypto.PLAIN_PREFIX + "killed")
    old.mkdir()
    (old / "bundle.zip").write_bytes(b"PK full IDs")
    fresh = tmp_path / (crypto.PLAIN_PREFIX + "running")
    fresh.mkdir()
    merge_photos = tmp_path / "gradphoto-bundle-merge"
    merge_photos.mkdir()
    day_ago = time.time() - 24 * 3600
    for folder in (old, merge_photos):
        os.utime(folder, (day_ago, day_ago))
    assert crypto.remove_stale_plain_copies() == 1
    assert not old.exists() and fresh.exists() and merge_photos.exists()
