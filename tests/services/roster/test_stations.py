from decimal import Decimal

import pytest
from sqlalchemy import select

from app.models import AuditEvent
from app.services.roster.stations import StationData, StationError, StationService


def test_defaults_follow_the_seeds(db):
    station = StationService(db.sessions).create(StationData(name="西工大本部学习中心"))
    assert [d["code"] for d in station.dept_codes] == ["001", "002", "003", "004"]
    assert station.fee_per_student == Decimal("20.00")
    assert station.default_preset == "legacy-192x144"
    assert station.next_shot_no == 1


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"name": "  "}, "名称"),
        ({"school_code": "1069"}, "5 位"),
        ({"fee_per_student": Decimal("-1")}, "负数"),
        ({"dept_codes": [{"code": "001", "label": "a"}, {"code": "001", "label": "b"}]}, "重复"),
        ({"dept_codes": [{"code": "A1", "label": "a"}]}, "数字"),
    ],
)
def test_invalid_station_data_is_refused(db, changes, fragment):
    data = StationData(name="某站", **{k: v for k, v in changes.items() if k != "name"})
    if "name" in changes:
        data.name = changes["name"]
    with pytest.raises(StationError, match=fragment):
        StationService(db.sessions).create(data)


def test_duplicate_names_are_refused(db):
    service = StationService(db.sessions)
    service.create(StationData(name="甲站"))
    with pytest.raises(StationError, match="已有"):
        service.create(StationData(name=" 甲站 "))


def test_update_records_old_and_new(db):
    service = StationService(db.sessions, "张老师")
    station = service.create(StationData(name="甲站"))
    data = StationData.from_station(station)
    data.fee_per_student = Decimal("15")
    data.school_code = "10699"
    service.update(station.id, data)
    assert service.get(station.id).fee_per_student == Decimal("15.00")
    with db.sessions() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "update")).one()
    assert event.operator == "张老师"
    assert event.old == {"fee_per_student": "20.00", "school_code": ""}
    assert event.new == {"fee_per_student": "15.00", "school_code": "10699"}


def test_ensure_creates_once(db):
    service = StationService(db.sessions)
    a, created_a = service.ensure("乙站")
    b, created_b = service.ensure("乙站")
    assert created_a and not created_b and a.id == b.id
