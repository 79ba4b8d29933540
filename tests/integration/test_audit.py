"""The audit trail: every staff action that changes data or shows personal data is recorded with
who, when, from where and what, whether it succeeded or was refused; the database refuses to change
an entry; administrators search it."""

import datetime as dt

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from hub import admin
from hub.audit.actions import CHANGES, MUTATING, READS
from hub.audit.models import AuditEntry
from tests.integration.test_access_matrix import routes
from tests.support.console import ADMIN_PASSWORD, STATION_PASSWORD, csrf_of, sign_in
from tests.support.hub import posting_body


def entries(hub, **where) -> list[AuditEntry]:
    with hub.app.state.db.read() as s:
        stmt = select(AuditEntry).order_by(AuditEntry.id)
        for key, value in where.items():
            stmt = stmt.where(getattr(AuditEntry, key) == value)
        return list(s.scalars(stmt))


def test_every_staff_route_that_changes_data_has_an_audit_name(hub):
    staff_routes = [
        (m, p)
        for m, p in routes(hub.app)
        if m in MUTATING
        and (
            (p.startswith("/staff") and p not in ("/staff/login", "/staff/logout", "/staff/login/second"))
            or (
                p.startswith("/api/v1/")
                and not p.startswith(
                    ("/api/v1/sync/", "/api/v1/devices/enroll", "/api/v1/workers/", "/api/v1/interviews/checkin")
                )
            )
        )
    ]
    missing = [r for r in staff_routes if r not in CHANGES]
    assert not missing, f"staff routes that change data without an audit name: {missing}"
    assert not [r for r in CHANGES if r not in routes(hub.app)] and not [r for r in READS if r not in routes(hub.app)]


def test_sign_ins_changes_and_reads_of_personal_data_are_recorded(hub):
    admin.create_user(hub.settings, "s1", "station", STATION_PASSWORD, [1])
    hub.client.cookies.clear()
    assert sign_in(hub.client, "s1", "a wrong password here").status_code == 401
    assert sign_in(hub.client, "s1", STATION_PASSWORD).status_code == 303
    page = hub.client.get("/staff/postings/new")
    hub.client.post(
        "/staff/postings/new",
        data={
            "title": "保洁员",
            "trade_id": "1",
            "employer_id": "1",
            "headcount": "2",
            "pay_min": "150",
            "pay_max": "180",
            "pay_unit": "day",
            "settlement": "daily",
            "work_start": "2026-11-22",
            "valid_days": "7",
            "address": "青川区滨江路8号",
            "contact_person": "王经理",
            "contact_phone": "13800001111",
            "csrf_token": csrf_of(page),
        },
    )
    hub.client.get("/staff/applications")
    refused = hub.client.post("/staff/devices/999/revoke", data={"csrf_token": csrf_of(page)})
    assert refused.status_code == 404
    via_api = hub.ok("POST", "/api/v1/postings", json=posting_body(station_ids=[1]))
    hub.ok("POST", f"/api/v1/postings/{via_api['id']}/status", json={"status": "closed"})

    rows = [(e.actor, e.via, e.action, e.outcome) for e in entries(hub)]
    assert ("s1", "console", "signin.wrong", 401) in rows and ("s1", "console", "signin.ok", 303) in rows
    assert ("s1", "console", "posting.publish", 303) in rows
    assert ("s1", "console", "applications.view", 200) in rows
    assert ("s1", "console", "device.revoke", 404) in rows  # refused attempts are recorded too
    assert ("admin", "token", "posting.status", 200) in rows
    closed = entries(hub, action="posting.status")[0]
    assert closed.target == f"posting_id={via_api['id']}" and closed.address == "testclient"
    for e in entries(hub):
        assert "13800001111" not in str(e.detail) and "王经理" not in str(e.detail)


def test_entries_cannot_be_changed_or_deleted_early(hub):
    hub.ok("POST", "/api/v1/postings", json=posting_body())
    with hub.app.state.db.engine.connect() as conn:
        for statement in ("UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"):
            with pytest.raises(DBAPIError, match="audit entries"), conn.begin():
                conn.execute(text(statement))
    with hub.app.state.db.write() as s:
        s.add(AuditEntry(actor="old", via="cli", action="x", at=dt.datetime.now(dt.UTC) - dt.timedelta(days=400)))
    admin.run_retention(hub.settings)  # the sweep drops what is past the period, and only that
    with hub.app.state.db.read() as s:
        assert s.scalar(select(func.count()).where(AuditEntry.actor == "old")) == 0
        assert s.scalar(select(func.count()).select_from(AuditEntry)) >= 1


def test_an_administrator_searches_the_trail(hub):
    admin.create_user(hub.settings, "s1", "station", STATION_PASSWORD, [1])
    hub.client.cookies.clear()
    sign_in(hub.client, "s1", "a wrong password here")
    sign_in(hub.client, "admin", ADMIN_PASSWORD)
    found = hub.client.get("/staff/audit", params={"actor": "s1", "action": "signin"})
    assert found.status_code == 200 and "登录失败" in found.text and "s1（工作台）" in found.text
    assert "登录失败" not in hub.client.get("/staff/audit", params={"actor": "nobody"}).text
    for hostile in (
        {"station": "99999999999999999999999"},
        {"since": "0001-01-01"},
        {"before": "-1"},
        {"action": "%_"},
        {"station": "²"},
        {"since": "2026-12-05", "until": "2026-12-01"},
    ):
        answer = hub.client.get("/staff/audit", params=hostile)
        assert answer.status_code == 200
        assert ("条件有问题" in answer.text) == ("station" in hostile or "since" in hostile), hostile
    assert entries(hub, action="audit.view")  # reading the trail is itself on the trail


def test_what_someone_typed_as_a_name_is_not_kept_and_signing_out_is(hub):
    """A name that is no account's may be a password, a phone or an ID number typed in the wrong box:
    the trail keeps that a sign-in failed, not what was typed."""
    admin.create_user(hub.settings, "s1", "station", STATION_PASSWORD, [1])
    hub.client.cookies.clear()
    for typed in ("11010519491231002X", "13812345678", STATION_PASSWORD):
        assert sign_in(hub.client, typed, "whatever it was").status_code == 401
    sign_in(hub.client, "s1", STATION_PASSWORD)
    page = hub.client.get("/staff")
    hub.client.post("/staff/logout", data={"csrf_token": csrf_of(page)})
    with hub.app.state.db.read() as s:
        texts = " ".join(f"{e.actor} {e.target} {e.detail}" for e in s.scalars(select(AuditEntry)))
    for typed in ("11010519491231002X", "13812345678", STATION_PASSWORD):
        assert typed not in texts
    assert [e.actor for e in entries(hub, action="signin.wrong")] == ["(不存在的用户名)"] * 3
    assert [e.actor for e in entries(hub, action="signout")] == ["s1"]
