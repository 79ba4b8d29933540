"""招聘会 in the console: a station's staff hold a fair with its booths through the form (every error
at once, each booth's beside its row), see it listed, hand each booth's employer its link and QR code,
follow a number taken at a kiosk and called through the booth's link, stop and cancel the fair (a
refusal told on its page, never a 500), and read it as results once it is over; another station's
staff see a fair held everywhere without its links."""

import datetime as dt
import re

from sqlalchemy import select

from floor.timezone import local
from hub.audit.models import AuditEntry
from hub.fairs.models import Booth, Fair
from tests.integration.test_console_forms import reported
from tests.integration.test_console_training import station_staff
from tests.integration.test_events import post
from tests.integration.test_fairs import OTHERS, fair_body, ticket
from tests.support.console import csrf_of

TITLE = "秋季返岗专场招聘会"  # (the demo seed holds a 春风行动 fair)
BOOTHS = [("1", "1", "普工、质检员", "30"), ("5", "2", "钢筋工、木工", "10")]


def hours_now() -> dict:
    """A fair open now, inside today's date in the hub's zone (the form has one day and two times)."""
    now = dt.datetime.now(local())
    start = max(now - dt.timedelta(minutes=10), now.replace(hour=0, minute=0))
    end = min(now + dt.timedelta(hours=4), now.replace(hour=23, minute=59))
    return {"day": now.date().isoformat(), "opens_at": f"{start:%H:%M}", "closes_at": f"{end:%H:%M}"}


def form(booths=BOOTHS, **over) -> dict:
    rows = {
        f"booth-{i}-{k}": v
        for i, row in enumerate(booths)
        for k, v in zip(("number", "employer_id", "jobs", "places"), row, strict=True)
    }
    fields = {"title": TITLE, "hall": "青川区零工市场一楼大厅", "skip_after_min": "3"}
    return fields | hours_now() | rows | over


def cells(page, letter: str) -> list[str]:
    """The texts of a booth's row on the fair's page."""
    row = re.search(rf'<tr id="booth-{letter}">(.*?)</tr>', page.text, re.S).group(1)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def booth_links(page) -> list[str]:
    return re.findall(r'<input readonly value="([^"]*/b/[^"]+)"', page.text)


def test_a_fair_from_the_form_to_its_results(hub):
    client = station_staff(hub, "s1", 1)
    page = client.get("/staff/fairs")
    assert page.status_code == 200 and "Content-Security-Policy" in page.headers and "办一场招聘会" in page.text
    assert 'href="/staff/fairs">招聘会</a>' in page.text  # in the nav, beside 包车
    token = csrf_of(page)
    rows = [("1", "", "普工", "0"), ("2", "1", "普工", "x"), ("1", "2", "木工", "5"), ("", "", "", "")]
    bad = client.post(
        "/staff/fairs", data=form(rows, title="", opens_at="25:00", skip_after_min="40") | {"csrf_token": token}
    )
    reported(
        bad,
        {"title": "title", "opens_at": "opens_at", "skip_after_min": "skip_after_min"}
        | {key: key for key in ("booth-0-employer_id", "booth-0-places", "booth-1-places", "booth-2-number")},
    )
    assert "和第1个展位的展位号重复" in bad.text and "请选择用工单位" in bad.text and 'value="木工"' in bad.text
    empty = client.post("/staff/fairs", data=form([], day="2026-02-30") | {"csrf_token": token})
    reported(empty, {"day": "day", "booth-0-number": "booth-0-number"})
    assert "至少要有一个展位" in empty.text

    made = client.post("/staff/fairs", data=form() | {"csrf_token": token}, follow_redirects=False)
    assert made.status_code == 303 and made.headers["location"].startswith("/staff/fairs/"), made.text
    fair_url = made.headers["location"]
    fair_id = int(fair_url.rsplit("/", 1)[1])
    listing = client.get("/staff/fairs").text
    row = re.search(rf"<tr>(?:(?!</tr>).)*?{TITLE}.*?</tr>", listing, re.S).group(0)
    assert f'href="{fair_url}"' in row and "2 个" in row and "进行中" in row and "其他驿站" not in row

    page = client.get(fair_url)
    assert page.status_code == 200 and "Content-Security-Policy" in page.headers and "各展位叫号情况" in page.text
    links = booth_links(page)
    assert len(links) == 2 and all(link.startswith(hub.settings.public_url) for link in links)
    assert page.text.count("<svg") == 2 and "谁拿到链接，谁就能叫这个展位的号" in page.text
    with hub.app.state.db.read() as s:  # it hands out credentials: who looked is recorded
        assert s.scalar(select(AuditEntry).where(AuditEntry.action == "fair.links")) is not None
        booth_id = s.scalar(select(Booth.id).where(Booth.fair_id == fair_id).order_by(Booth.id))
    assert cells(page, "A")[:2] + cells(page, "A")[3:5] == ["1 号", "A", "普工、质检员", "30"]

    # a number taken at the kiosk, called through the booth's link, the employer hires
    kiosk_id, kiosk = hub.device(kind="kiosk", station_id=1)
    taken = post(hub, kiosk, [ticket(hub, kiosk_id, 1, booth_id)]).json()["results"][0]
    assert taken["ref"] == "A001", taken
    assert cells(client.get(fair_url), "A")[5:] == ["1", "—", "0", "0", "0", "0"]
    booth_path = "/b/" + links[0].split("/b/", 1)[1]
    called = client.post(booth_path + "/next", data={"csrf_token": csrf_of(client.get(booth_path))})
    assert called.status_code == 200 and 'id="serving">A001<' in called.text
    assert cells(client.get(fair_url), "A")[5:] == ["0", "A001", "1", "0", "0", "0"]
    client.post(booth_path + "/hired", data={"csrf_token": token})
    assert cells(client.get(fair_url), "A")[5:] == ["0", "A001", "1", "1", "0", "1"]

    stopped = client.post(fair_url + "/status", data={"status": "closed", "csrf_token": token}, follow_redirects=False)
    assert stopped.status_code == 303 and stopped.headers["location"] == fair_url
    page = client.get(fair_url).text
    assert "已停止取号" in page and "重新开始取号" in page
    late = post(hub, kiosk, [ticket(hub, kiosk_id, 2, booth_id, OTHERS[0])]).json()["results"][0]
    assert late["status"] == "rejected" and "停止取号" in late["reason"]
    forged = client.post(fair_url + "/status", data={"status": "maybe", "csrf_token": token})
    assert forged.status_code == 422 and "状态不对" in forged.text and "各展位叫号情况" in forged.text
    cancelled = client.post(fair_url + "/status", data={"status": "cancelled", "csrf_token": token})
    assert cancelled.status_code == 200 and "已取消" in cancelled.text  # (followed back to the page)
    assert "取消招聘会" not in cancelled.text and "停止取号（" not in cancelled.text and not booth_links(cancelled)
    reopened = client.post(fair_url + "/status", data={"status": "open", "csrf_token": token})
    assert reopened.status_code == 409 and "不能重新开放" in reopened.text

    with hub.app.state.db.write() as s:  # the day after: the page is the fair's results
        held = s.get(Fair, fair_id)
        held.opens_at, held.closes_at = held.opens_at - dt.timedelta(days=1), held.closes_at - dt.timedelta(days=1)
    page = client.get(fair_url)
    assert "招聘会结果（各展位）" in page.text and "各展位叫号情况" not in page.text and not booth_links(page)
    assert cells(page, "A")[5:] == ["1", "1", "0", "1", "0"]  # called, came, skipped, hired, never called


def test_another_stations_staff_see_a_fair_held_everywhere_without_its_links(hub):
    everywhere = hub.ok("POST", "/api/v1/fairs", json=fair_body(station_ids=None))
    mine = hub.ok("POST", "/api/v1/fairs", json=fair_body(title="一号驿站专场"))
    other = station_staff(hub, "s2", 2)
    page = other.get(f"/staff/fairs/{everywhere['id']}")
    assert page.status_code == 200 and "各展位叫号情况" in page.text and "由其他驿站办" in page.text
    assert not booth_links(page) and "<svg" not in page.text and "/b/" not in page.text
    assert "取消招聘会" not in page.text
    refused = other.post(
        f"/staff/fairs/{everywhere['id']}/status", data={"status": "cancelled", "csrf_token": csrf_of(page)}
    )
    assert refused.status_code == 403 and "只有管理员可以修改" in refused.text  # told on the page
    listing = other.get("/staff/fairs").text
    assert f'/staff/fairs/{everywhere["id"]}"' in listing and f'/staff/fairs/{mine["id"]}"' not in listing
    assert "（其他驿站的）" in listing
    assert other.get(f"/staff/fairs/{mine['id']}").status_code == 403
    assert other.get("/staff/fairs/999999").status_code == 404
