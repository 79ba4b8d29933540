"""The hub's staff API: records, validation with the field at fault, sizes, credentials."""

import datetime as dt

from sqlalchemy import func, select

from hub.postings.models import Posting
from tests.support.hub import posting_body


def test_health_needs_no_credentials(hub):
    r = hub.client.get("/healthz")
    assert r.status_code == 200 and r.json()["status"] == "ok" and r.json()["database"] == "ok"


def test_credit_code_is_checked_with_a_clear_message(hub):
    body = {"name": "青川宏达建筑劳务有限公司", "contact_person": "王经理", "contact_phone": "13800001111"}
    r = hub.client.post("/api/v1/employers", json={**body, "credit_code": "914403001922038217"}, headers=hub.staff)
    assert r.status_code == 422 and r.json()["field"] == "credit_code" and "校验位" in r.json()["error"]
    made = hub.ok("POST", "/api/v1/employers", json={**body, "credit_code": "9144 0300 1922 038216"})
    assert made["credit_code"] == "914403001922038216" and made["verified_at"] is None
    again = hub.client.post("/api/v1/employers", json={**body, "credit_code": "914403001922038216"}, headers=hub.staff)
    assert again.status_code == 409 and again.json()["field"] == "credit_code"
    assert hub.ok("POST", f"/api/v1/employers/{made['id']}/verify", json={"verified": True})["verified_at"]


def test_posting_rules_name_the_field(hub):
    cases = [
        ({"pay_max_fen": 100}, "pay_max_fen"),
        ({"filled": 9}, "filled"),
        ({"age_min": 50, "age_max": 30}, "age_max"),
        ({"work_end": "2020-01-01"}, "work_end"),
        ({"contact_phone": "12345"}, "contact_phone"),
        ({"pay_unit": "week"}, "pay_unit"),
        ({"trade_id": 999}, "trade_id"),
        ({"station_ids": []}, "station_ids"),
        ({"valid_to": "2026-01-01T00:00:00"}, "valid_to"),
        ({"lat": 80}, "lat"),
        ({"bogus": 1}, "bogus"),
    ]
    with hub.app.state.db.read() as s:
        before = s.scalar(select(func.count()).select_from(Posting))
    for change, field in cases:
        r = hub.client.post("/api/v1/postings", json=posting_body(**change), headers=hub.staff)
        assert r.status_code == 422, (change, r.text)
        assert r.json()["field"] == field, (change, r.json())
    with hub.app.state.db.read() as s:
        assert s.scalar(select(func.count()).select_from(Posting)) == before  # nothing half-written


def test_publish_edit_fill_close(hub):
    p = hub.ok("POST", "/api/v1/postings", json=posting_body(station_ids=[1, 2]))
    assert p["status"] == "open" and p["station_ids"] == [1, 2] and p["version"] == 1
    p = hub.ok("PATCH", f"/api/v1/postings/{p['id']}", json={"headcount": 8, "urgent": True})
    assert p["headcount"] == 8 and p["urgent"] and p["version"] == 2
    p = hub.ok("POST", f"/api/v1/postings/{p['id']}/status", json={"status": "full"})
    assert p["status"] == "full" and p["filled"] == 8
    r = hub.client.post(f"/api/v1/postings/{p['id']}/status", json={"status": "open"}, headers=hub.staff)
    assert r.status_code == 422 and r.json()["field"] == "status"
    p = hub.ok("PATCH", f"/api/v1/postings/{p['id']}", json={"headcount": 10})
    assert p["status"] == "open"


def test_malformed_and_oversized_requests(hub):
    r = hub.client.post(
        "/api/v1/postings", content=b"{not json", headers={**hub.staff, "Content-Type": "application/json"}
    )
    assert r.status_code == 422
    r = hub.client.post(
        "/api/v1/postings",
        content=b"[" + b"1," * 600_000 + b"1]",
        headers={**hub.staff, "Content-Type": "application/json"},
    )
    assert r.status_code == 413
    r = hub.client.get("/api/v1/sync/changes", params={"since": -1}, headers=hub.staff)
    assert r.status_code in (401, 422)


def test_credentials(hub):
    assert hub.client.post("/api/v1/postings", json=posting_body()).status_code == 401
    assert (
        hub.client.post(
            "/api/v1/postings", json=posting_body(), headers={"Authorization": "Bearer st_nope"}
        ).status_code
        == 401
    )
    _, device = hub.device()
    assert hub.client.post("/api/v1/postings", json=posting_body(), headers=device).status_code == 401
    assert hub.client.get("/api/v1/sync/snapshot", headers=hub.staff).status_code == 401


def test_station_staff_are_held_to_their_stations(hub):
    from hub import admin

    admin.create_user(hub.settings, "zhou", "station", "station staff password", [2])
    token = {"Authorization": f"Bearer {admin.api_token(hub.settings, 'zhou')}"}
    mine = hub.client.post("/api/v1/postings", json=posting_body(station_ids=[2]), headers=token)
    assert mine.status_code == 201
    other = hub.client.post("/api/v1/postings", json=posting_body(station_ids=[3]), headers=token)
    assert other.status_code == 403 and other.json()["field"] == "station_ids"  # refused, and says which field
    everywhere = hub.ok("POST", "/api/v1/postings", json=posting_body())
    assert (
        hub.client.patch(f"/api/v1/postings/{everywhere['id']}", json={"urgent": True}, headers=token).status_code
        == 403
    )
    assert (
        hub.client.post(
            "/api/v1/devices", json={"name": "x", "kind": "kiosk", "station_id": 3}, headers=token
        ).status_code
        == 403
    )
    assert (
        hub.client.post(
            "/api/v1/stations",
            json={"name": "新驿站", "district": "青川区", "address": "某路1号", "lat": 28.2, "lon": 112.9},
            headers=token,
        ).status_code
        == 403
    )


def test_announcements(hub):
    now = dt.datetime.now(dt.UTC)
    body = {
        "kind": "jobfair",
        "title": "周六招聘会",
        "valid_from": now.isoformat(),
        "valid_to": (now + dt.timedelta(days=2)).isoformat(),
        "station_ids": [1],
    }
    a = hub.ok("POST", "/api/v1/announcements", json=body)
    assert a["station_ids"] == [1]
    bad = hub.client.post("/api/v1/announcements", json={**body, "valid_to": now.isoformat()}, headers=hub.staff)
    assert bad.status_code == 422 and bad.json()["field"] == "valid_to"
    assert hub.client.delete(f"/api/v1/announcements/{a['id']}", headers=hub.staff).status_code == 204


def test_a_patch_cannot_clear_a_required_field(hub):
    created = hub.ok("POST", "/api/v1/postings", json=posting_body())
    r = hub.client.patch(f"/api/v1/postings/{created['id']}", json={"valid_to": None}, headers=hub.staff)
    assert r.status_code == 422 and "valid_to cannot be cleared" in r.json()["error"]
    r = hub.client.patch(f"/api/v1/postings/{created['id']}", json={"work_end": None}, headers=hub.staff)
    assert r.status_code == 200


def test_a_verified_employer_is_edited_by_administrators_and_its_own_station_only(hub):
    """Security review, finding 7: any station staff could rename a verified employer, or change its
    phone, city-wide, and devices kept showing ✓已认证."""
    from hub import admin

    admin.create_user(hub.settings, "mine", "station", "station one password", [1])
    admin.create_user(hub.settings, "theirs", "station", "station two password", [2])
    mine = {"Authorization": f"Bearer {admin.api_token(hub.settings, 'mine')}"}
    theirs = {"Authorization": f"Bearer {admin.api_token(hub.settings, 'theirs')}"}
    body = {
        "name": "湘江劳务有限公司",
        "credit_code": "91350100M000100Y43",
        "contact_person": "李经理",
        "contact_phone": "13800002222",
        "district": "青川区",
        "address": "",
    }
    made = hub.client.post("/api/v1/employers", json=body, headers=mine).json()
    assert hub.client.post(f"/api/v1/employers/{made['id']}/verify", json={"verified": True}, headers=mine).json()[
        "verified_at"
    ]
    renamed = {**body, "name": "湘江劳务（假）"}
    refused = hub.client.put(f"/api/v1/employers/{made['id']}", json=renamed, headers=theirs)
    assert refused.status_code == 403
    # ... nor can they take the mark away first, edit, and give it back
    assert (
        hub.client.post(f"/api/v1/employers/{made['id']}/verify", json={"verified": False}, headers=theirs).status_code
        == 403
    )
    assert hub.client.put(
        f"/api/v1/employers/{made['id']}", json={**body, "address": "滨江路1号"}, headers=mine
    ).json()["verified_at"]  # the address is not what the mark vouches for
    changed = hub.client.put(f"/api/v1/employers/{made['id']}", json=renamed, headers=hub.staff)
    assert changed.status_code == 200 and changed.json()["verified_at"] is None  # renamed: checked again
    doc = hub.client.get("/api/v1/sync/snapshot", headers=hub.device()[1]).json()
    cols = doc["kinds"]["employer"]["cols"]
    row = next(r for r in doc["kinds"]["employer"]["rows"] if r[cols.index("id")] == made["id"])
    assert row[cols.index("verified")] is False  # devices drop the mark


def test_a_kiosk_cannot_look_up_workers_without_limit(hub):
    """Security review, finding 9: a kiosk token could look up any ID number without limit."""
    from wire import sealed

    kiosk_id, kiosk = hub.device()
    hub.app.state.limits.limiter.clock = lambda: 1_800_000_030.0  # mid-window: counts not split by a boundary
    answers = [
        hub.client.post(
            "/api/v1/workers/lookup",
            headers=kiosk,
            json={
                "person": sealed.seal(
                    hub.public_key, {"id_number": "11010519491231002X"}, sealed.lookup_context(kiosk_id)
                )
            },
        ).status_code
        for _ in range(32)
    ]
    assert answers == [200] * 30 + [429, 429]
