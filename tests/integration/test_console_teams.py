"""零工团队上墙 in the console: a station's staff put a team on their wall (every error of the form at
once), see it listed with its leader masked (the full name nowhere), open its page with its QR code
and order URL, change it, take it off the wall (its team document withdrawn) and put it back;
another station's staff are refused; an order placed through the team's QR is marked 指定团队 in
the station's queue."""

import re

from sqlalchemy import select

from hub.audit.models import AuditEntry
from hub.trades.models import Trade
from tests.integration.test_console_forms import reported
from tests.integration.test_console_training import station_staff
from tests.integration.test_household_orders import ORDER
from tests.integration.test_teams import doc
from tests.support.console import csrf_of


def form(**over) -> dict:
    return {
        "name": "老张水电安装队",
        "station_id": "1",
        "leader": "张国强",
        "members": "5",
        "districts": "青川区、滨江区",
        "trades": ["1", "2"],
        **over,
    }


def put_up(client, token: str) -> int:
    made = client.post("/staff/teams", data=form() | {"csrf_token": token}, follow_redirects=False)
    assert made.status_code == 303, made.text
    return int(re.fullmatch(r"/staff/teams\?put=(\d+)#team-\d+", made.headers["location"]).group(1))


def row_of(page, team_id: int) -> str:
    return re.search(rf'<tr id="team-{team_id}">(.*?)</tr>', page.text, re.S).group(1)


def audited(hub, action: str, team_id: int) -> bool:
    with hub.app.state.db.read() as s:
        done = select(AuditEntry).where(
            AuditEntry.action == action, AuditEntry.target == f"team_id={team_id}", AuditEntry.outcome < 400
        )
        return s.scalar(done) is not None


def test_a_team_from_the_form_to_the_wall_and_off_it(hub):
    client = station_staff(hub, "s1", 1)
    page = client.get("/staff/teams")
    assert page.status_code == 200 and "Content-Security-Policy" in page.headers and "让一个团队上墙" in page.text
    assert '<a href="/staff/fairs">招聘会</a><a href="/staff/teams">零工团队</a>' in page.text
    assert "只保存姓加星号，如 王**" in page.text and '<option value="1" selected>' in page.text
    token = csrf_of(page)
    bad = client.post(
        "/staff/teams",
        data=form(name="", station_id="2", leader="", members="1", districts="", trades=[]) | {"csrf_token": token},
    )
    reported(
        bad,
        {"name": "name", "station_id": "station_id", "leader": "leader", "members": "members"}
        | {"districts": "districts", "trades": "trade_ids"},
    )
    assert "至少选一个工种" in bad.text and "请从列表里选" in bad.text  # (another station's: not on the list)
    for over, word in (
        ({"name": "水" * 31}, "最多 30 个字"),  # (the column's width, not the API's 40)
        ({"trades": ["1", "999999"]}, "请从列表里选"),
        ({"trades": [str(n) for n in range(1, 14)]}, "最多选 12 个工种"),
        ({"members": "五个"}, "请写整数"),
    ):
        wrong = client.post("/staff/teams", data=form(**over) | {"csrf_token": token})
        assert wrong.status_code == 422 and word in wrong.text, over
        assert "张国强" not in wrong.text and 'value="张**"' in wrong.text  # sent back masked, kept the same
    as_file = client.post("/staff/teams", data={"csrf_token": token}, files={"name": ("n", b"x")})
    assert as_file.status_code == 422 and "请写文字" in as_file.text  # (a file where a name belongs: no 500)

    team_id = put_up(client, token)
    listing = client.get(f"/staff/teams?put={team_id}")
    assert "「老张水电安装队」已上墙" in listing.text and "张国强" not in listing.text
    row = row_of(listing, team_id)
    with hub.app.state.db.read() as s:
        trades = "、".join(s.scalars(select(Trade.name).where(Trade.id.in_([1, 2])).order_by(Trade.id)))
    assert "张**" in row and "5 人" in row and "青川区、滨江区" in row and trades in row
    assert "0 单" in row and "在墙上" in row and f'href="/staff/teams/{team_id}"' in row
    assert doc(hub, "team", team_id)["leader"] == "张**" and audited(hub, "team.create", team_id)

    card = client.get(f"/staff/teams/{team_id}")
    assert card.status_code == 200 and "Content-Security-Policy" in card.headers and "<script>" not in card.text
    url = re.search(r'<strong id="order-url">([^<]+)</strong>', card.text).group(1)
    assert url == f"{hub.settings.public_url}/o/new?team={team_id}"
    assert re.search(r'<div class="qr" role="img" aria-label="[^"]*">\s*<svg', card.text)
    assert 'class="no-print"' in card.text and 'value="老张水电安装队"' in card.text and "张国强" not in card.text
    assert "public-url-warning" in card.text  # (the tests' hub is at 127.0.0.1: nothing to print yet)

    edit = {"name": "老张水电队", "leader": "", "members": "7", "districts": "青川区", "trades": ["1"]}
    wrong = client.post(
        f"/staff/teams/{team_id}", data=edit | {"name": "", "leader": "李明华", "trades": [], "csrf_token": token}
    )
    assert wrong.status_code == 422 and "有 2 处要改" in wrong.text and "至少选一个工种" in wrong.text
    assert "李明华" not in wrong.text and 'value="李**"' in wrong.text and doc(hub, "team", team_id)["members"] == 5
    saved = client.post(f"/staff/teams/{team_id}", data=edit | {"csrf_token": token}, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == f"/staff/teams/{team_id}?saved=edited"
    assert "已保存" in client.get(saved.headers["location"]).text
    on_wall = doc(hub, "team", team_id)
    assert on_wall["name"] == "老张水电队" and on_wall["members"] == 7 and on_wall["trades"] == [1]
    assert on_wall["leader"] == "张**" and audited(hub, "team.edit", team_id)  # (left empty: kept)

    # another station's staff: not their team
    other = station_staff(hub, "s2", 2)
    theirs = other.get("/staff/teams")
    assert f'id="team-{team_id}"' not in theirs.text and "老张水电队" not in theirs.text
    assert other.get(f"/staff/teams/{team_id}").status_code == 403
    for step in ("", "/retire"):
        refused = other.post(f"/staff/teams/{team_id}{step}", data=edit | {"csrf_token": csrf_of(theirs)})
        assert refused.status_code == 403
    forged = other.post("/staff/teams", data=form() | {"csrf_token": csrf_of(theirs)})
    assert forged.status_code == 422 and "请从列表里选" in forged.text
    assert doc(hub, "team", team_id)["members"] == 7

    client = station_staff(hub, "s1b", 1)
    token = csrf_of(client.get(f"/staff/teams/{team_id}"))
    retired = client.post(f"/staff/teams/{team_id}/retire", data={"csrf_token": token}, follow_redirects=False)
    assert retired.status_code == 303 and retired.headers["location"].endswith("?saved=retired")
    assert doc(hub, "team", team_id) is None and audited(hub, "team.retire", team_id)  # off the wall
    page = client.get(f"/staff/teams/{team_id}").text
    assert "已从墙上撤下" in page and "<svg" not in page and "order-url" not in page and "重新上墙</button>" in page
    assert "已撤下" in row_of(client.get("/staff/teams"), team_id)
    restored = client.post(f"/staff/teams/{team_id}/restore", data={"csrf_token": token}, follow_redirects=False)
    assert restored.status_code == 303 and doc(hub, "team", team_id)["name"] == "老张水电队"
    assert client.get(f"/staff/teams/{team_id}?saved=<b>").status_code == 200  # (an unknown notice: none)
    assert client.get("/staff/teams/999999").status_code == 404


def test_an_order_through_a_teams_qr_is_marked_for_it_in_the_queue(hub):
    client = station_staff(hub, "s1", 1)
    team_id = put_up(client, csrf_of(client.get("/staff/teams")))
    page = client.get(f"/o/new?team={team_id}")
    placed = client.post("/o/new", data={**ORDER, "team_id": str(team_id), "csrf_token": csrf_of(page)})
    assert placed.status_code == 200, placed.text
    plain = client.post("/o/new", data={**ORDER, "need": "打扫厨房", "csrf_token": csrf_of(page)})
    assert plain.status_code == 200, plain.text
    queue = client.get("/staff/orders").text
    card = re.search(r'<div class="card order"[^>]*>\s*<h2>修客厅的灯.*?</div>', queue, re.S).group(0)
    assert "指定团队：老张水电安装队" in card and queue.count("指定团队：") == 1
    assert "打扫厨房" in queue
    only = client.get(f"/staff/orders?team={team_id}").text  # the filter: this team's orders only
    assert "修客厅的灯" in only and "打扫厨房" not in only and f'<option value="{team_id}" selected>' in only
    assert f'href="/staff/orders?tab=active&amp;team={team_id}"' in only  # (the tabs keep it)
    assert "打扫厨房" in client.get("/staff/orders?team=999999").text  # not the caller's: every order
