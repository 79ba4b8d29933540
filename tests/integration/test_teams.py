"""零工团队上墙 on the hub: staff put a team on their station's wall (the leader's name masked), a resident
orders it through its QR (the household order page addressed to the team, at the team's station),
the order done counts in the team's 接单 on the wall and on the station's 接单王 board, and a
retired team leaves the wall while its orders stay."""

import json

from sqlalchemy import select

from hub.feed.models import FeedState
from hub.orders import service as orders
from hub.orders.models import HouseholdOrder
from hub.staff.models import Role
from hub.staff.service import Principal
from tests.integration.test_household_orders import ORDER, register_worker
from tests.integration.test_training import station_two
from tests.support.console import csrf_of

TEAM = {
    "name": "老张水电安装队",
    "station_id": 1,
    "leader": "张国强",
    "members": 5,
    "districts": "青川区、滨江区",
    "trade_ids": [1, 2],
}


def doc(hub, kind: str, ident: int) -> dict | None:
    with hub.app.state.db.read() as s:
        row = s.scalar(select(FeedState).where(FeedState.kind == kind, FeedState.entity_id == ident))
        found = json.loads(row.doc) if row is not None and row.doc else {}
        return found if "name" in found or "top_week" in found else None


def test_a_team_on_the_wall_is_ordered_through_its_qr_and_its_orders_count(hub):
    team = hub.ok("POST", "/api/v1/teams", json=TEAM)
    assert team["leader"] == "张**" and team["order_url"].endswith(f"/o/new?team={team['id']}")
    on_wall = doc(hub, "team", team["id"])
    assert on_wall["leader"] == "张**" and on_wall["done"] == 0 and "张国强" not in json.dumps(on_wall)
    other = station_two(hub)
    assert hub.client.post("/api/v1/teams", headers=other, json=TEAM).status_code == 403
    assert hub.client.patch(f"/api/v1/teams/{team['id']}", headers=other, json={"members": 9}).status_code == 403
    bad = hub.client.post("/api/v1/teams", headers=hub.staff, json={**TEAM, "trade_ids": [999_999]})
    assert bad.status_code == 422 and "trade_ids" in bad.text
    # the resident scans the team's QR: the page is addressed to the team, at the team's station
    page = hub.client.get(f"/o/new?team={team['id']}")
    assert page.status_code == 200 and "请「老张水电安装队」干活" in page.text
    assert f'name="team_id" value="{team["id"]}"' in page.text
    posted = hub.client.post("/o/new", data={**ORDER, "team_id": str(team["id"]), "csrf_token": csrf_of(page)})
    assert posted.status_code == 200
    forged = hub.client.post(
        "/o/new", data={**ORDER, "station_id": "2", "team_id": str(team["id"]), "csrf_token": csrf_of(page)}
    )
    assert forged.status_code == 422  # a team's order goes to the team's own station, nowhere else
    assert "家里有活" in hub.client.get("/o/new?team=abc").text  # no such team: the ordinary page
    with hub.app.state.db.read() as s:
        order = s.scalar(select(HouseholdOrder))
        assert order.team_id == team["id"] and order.station_id == 1
    # done: the team's 接单 on its card, and the station's 接单王 board names the team
    register_worker(hub)
    staff = Principal(0, "team test", Role.ADMIN, frozenset())
    with hub.app.state.db.write() as s:
        orders.dispatch(s, order.id, "13812345678", staff)
        placed = orders.get(s, order.id)
        orders.accept(s, placed)
        orders.complete(s, placed, hub.settings.tz)
    assert doc(hub, "team", team["id"])["done"] == 1
    assert {"name": "老张水电安装队（团队）", "count": 1} in doc(hub, "figures", 1)["top_week"]
    assert next(t for t in hub.ok("GET", "/api/v1/teams") if t["id"] == team["id"])["orders_done"] == 1
    # retired: off the wall, and its QR opens the ordinary page; its orders stay
    hub.ok("PATCH", f"/api/v1/teams/{team['id']}", json={"active": False})
    assert doc(hub, "team", team["id"]) is None
    assert "家里有活" in hub.client.get(f"/o/new?team={team['id']}").text
