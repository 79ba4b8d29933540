"""The staff console in a real browser: log in, add an employer (a bad credit code first), publish a
posting, and see it arrive in a running device's store within a second or two."""

import os
import time

import pytest
from playwright.sync_api import sync_playwright

from sync.agent import SyncAgent
from tests.e2e.test_phone_browser import ARTIFACTS, CHROMIUM, fonts_conf
from tests.integration.test_link import enroll
from tests.support.console import ADMIN_PASSWORD, sign_in_browser
from tests.support.waiting import first_value

pytestmark = pytest.mark.slow  # (make test starts it first: tests/conftest.py)

GOOD_CODE = "91350100M000100Y43"


def csp_violations(page) -> list[str]:
    """What the browser refused under a page's Content-Security-Policy (kept as it happens)."""
    found: list[str] = []
    page.on("console", lambda m: found.append(m.text) if "Content Security Policy" in m.text else None)
    return found


def sign_in(page, hub_url: str) -> None:
    """The login form and the second factor, as the administrator LiveHub.staff_token made ("tester")."""
    sign_in_browser(page, hub_url, "tester", ADMIN_PASSWORD)


def test_publish_from_the_console_to_a_device(sqlite_hub, tmp_path):
    _ = sqlite_hub.staff_token  # creates the admin "tester"
    store = enroll(sqlite_hub, tmp_path / "kiosk")
    agent = SyncAgent(store, longpoll_s=5)
    agent.start()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        first_value(lambda: store.cursor, timeout=20, message="the device never synced")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM,
                args=["--no-sandbox"],
                env={**os.environ, "FONTCONFIG_FILE": str(fonts_conf(tmp_path))},
            )
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            page.goto(f"{sqlite_hub.url}/staff")
            assert page.url.endswith("/staff/login")
            sign_in(page, sqlite_hub.url)

            page.goto(f"{sqlite_hub.url}/staff/employers")
            page.fill("#name", "湘江劳务有限公司")
            page.fill("#credit_code", GOOD_CODE[:-1] + "4")
            page.fill("#contact_person", "李经理")
            page.fill("#contact_phone", "13800002222")
            page.click("form.card button[type=submit]")
            assert page.locator("#credit_code-error").is_visible()
            page.fill("#credit_code", GOOD_CODE)
            page.click("form.card button[type=submit]")
            page.wait_for_selector("text=湘江劳务有限公司")
            page.screenshot(path=str(ARTIFACTS / "console-employers.png"), full_page=True)

            page.goto(f"{sqlite_hub.url}/staff/postings/new")
            page.fill("#pay_min", "400")
            page.fill("#pay_max", "300")
            page.click("form.card button[type=submit]")  # all the errors at once, the summary focused
            page.wait_for_selector("#error-summary")
            assert page.evaluate("document.activeElement.id") == "error-summary"
            page.screenshot(path=str(ARTIFACTS / "console-form-errors.png"), full_page=True)
            page.click("#error-summary a[href='#pay_max']")  # a summary link puts the cursor in its field
            assert page.evaluate("document.activeElement.id") == "pay_max"
            page.fill("#title", "急招钢筋工8名")
            page.select_option("#trade_id", label="钢筋工")  # (trade and employer start unselected)
            page.fill("#employer-filter", "湘江劳务")  # the filter box: one left, and chosen
            assert page.locator("#employer_id").evaluate("s => s.options[s.selectedIndex].text") == "湘江劳务有限公司"
            page.fill("#headcount", "8")
            page.fill("#pay_min", "350")
            page.fill("#pay_max", "420")
            page.fill("#address", "青川区滨江路8号 锦绣花园工地")
            page.fill("#contact_person", "王经理")
            page.fill("#contact_phone", "13800001111")
            page.screenshot(path=str(ARTIFACTS / "console-new-posting.png"), full_page=True)
            page.click("form.card button[type=submit]")
            page.wait_for_selector("#published")
            published_at = time.time()
            posting_id = int(page.url.split("published=")[1])
            page.screenshot(path=str(ARTIFACTS / "console-postings.png"), full_page=True)
            browser.close()
        doc = first_value(lambda: store.posting(posting_id), timeout=10, message="the posting never reached the device")
        arrived_in = time.time() - published_at
        assert doc["title"] == "急招钢筋工8名" and doc["pay_min"] == 35000
        print(f"posting reached the device in {arrived_in:.3f} s")  # a figure; the test is that it arrived
    finally:
        agent.stop()
        store.close()


def test_the_other_console_pages(sqlite_hub, tmp_path):
    """Import postings from a CSV file (one bad row first: nothing imported), edit a posting, publish an
    emergency notice, set up a wall and see its last picture, read the dashboard."""
    import base64
    import io

    import requests
    from PIL import Image

    _ = sqlite_hub.staff_token
    enrolled = requests.post(
        f"{sqlite_hub.url}/api/v1/devices/enroll", timeout=10, json={"code": sqlite_hub.add_device("display")}
    ).json()
    picture = io.BytesIO()
    Image.new("RGB", (240, 135), (164, 22, 26)).save(picture, "PNG")
    requests.post(
        f"{sqlite_hub.url}/api/v1/sync/heartbeat",
        timeout=10,
        headers={"Authorization": f"Bearer {enrolled['token']}"},
        json={
            "self_check": "ok",
            "showing": "table 1/4",
            "capture_png_b64": base64.b64encode(picture.getvalue()).decode(),
        },
    )
    trade, employer = (
        sqlite_hub.ok("GET", "/api/v1/trades")["trades"][0]["name"],
        sqlite_hub.ok("GET", "/api/v1/employers/1")["name"],
    )
    head = "岗位名称,工种,用工单位,招几人,最低工资,最高工资,开工日期,工作地点,联系人,联系电话\n"
    good = f"搬运工,{trade},{employer},4,200,260,2026-11-25,青川区物流园,李经理,13800002222\n"
    bad = f"保洁,{trade},{employer},2,150,180,2026-11-25,青川区,李经理,12345\n"
    (tmp_path / "bad.csv").write_text(head + good + bad, encoding="utf-8-sig")
    (tmp_path / "good.csv").write_text(head + good + good.replace("搬运工", "装卸工"), encoding="gb18030")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox"],
            env={**os.environ, "FONTCONFIG_FILE": str(fonts_conf(tmp_path))},
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        refused = csp_violations(page)
        sign_in(page, sqlite_hub.url)

        page.goto(f"{sqlite_hub.url}/staff/postings/import")
        page.get_by_label("选择文件…").set_input_files(str(tmp_path / "bad.csv"))  # the Chinese button's file input
        assert page.locator("#file-chosen").inner_text() == "已选：bad.csv"
        page.click("main form button[type=submit]")
        report = page.locator("#import-errors").inner_text()
        assert "联系电话" in report and "3" in report
        assert page.evaluate("document.activeElement.id") == "import-errors"  # focused, read out first
        page.screenshot(path=str(ARTIFACTS / "console-import-errors.png"), full_page=True)
        page.set_input_files("#file", str(tmp_path / "good.csv"))
        page.click("main form button[type=submit]")
        assert "已导入 2 个岗位" in page.locator("#imported").inner_text()

        page.goto(f"{sqlite_hub.url}/staff")
        row = page.locator("tr", has_text="装卸工")
        row.locator("text=修改").click()
        page.fill("#headcount", "6")
        page.fill("#title", "装卸工（夜班）")
        page.screenshot(path=str(ARTIFACTS / "console-edit-posting.png"), full_page=True)
        page.click("form.card button[type=submit]")
        page.wait_for_selector("#saved")
        assert page.locator("tr", has_text="装卸工（夜班）").is_visible()

        page.goto(f"{sqlite_hub.url}/staff/announcements")
        page.select_option("#kind", "emergency")
        page.fill("#title", "暴雨红色预警：户外作业暂停")
        page.click("form.card button[type=submit]")
        page.wait_for_selector("#published")
        assert page.locator("tr", has_text="暴雨红色预警").locator("text=进行中").is_visible()
        page.screenshot(path=str(ARTIFACTS / "console-announcements.png"), full_page=True)

        page.goto(f"{sqlite_hub.url}/staff/devices")
        page.locator("a", has_text="display").first.click()
        page.wait_for_function("() => document.querySelector('#capture').complete")  # loads after the page
        assert page.locator("#capture").evaluate("img => img.naturalWidth") == 240
        page.select_option("#layout", "cards")
        page.fill("#dwell_s", "20")
        # Its week: on weekdays 06:30–20:00; mornings, today's jobs in large type as a table.
        for day in ("周一", "周二", "周三", "周四", "周五"):
            page.locator("#on-0 label", has_text=day).click()
        page.fill("#on-0-start", "06:30")
        page.fill("#on-0-end", "20:00")
        page.locator("#part-0 label", has_text="周六").click()
        page.fill("#part-0-start", "05:00")
        page.fill("#part-0-end", "09:00")
        page.select_option("#part-0-layout", "table")
        page.locator("#part-0 label", has_text="只显示今天开工").click()
        page.locator("#part-0 label", has_text="大字").click()
        page.click("form.card button[type=submit] >> text=保存设置")
        page.wait_for_selector("#saved")
        page.screenshot(path=str(ARTIFACTS / "console-device.png"), full_page=True)
        me = requests.get(
            f"{sqlite_hub.url}/api/v1/devices/me", timeout=10, headers={"Authorization": f"Bearer {enrolled['token']}"}
        ).json()
        assert me["config"]["layout"] == "cards" and me["config"]["dwell_s"] == 20
        week = me["config"]["schedule"]
        assert week["on"] == [{"days": [1, 2, 3, 4, 5], "start": "06:30", "end": "20:00"}]
        assert week["dayparts"][0]["days"] == [6] and week["dayparts"][0]["large_text"]

        page.goto(f"{sqlite_hub.url}/staff/dashboard")
        assert "在线 1" in page.locator("#sync-health").inner_text()
        assert page.locator("#trades svg rect").count() > 0

        # Copy a posting (the same job next week), then mark the copy full.
        page.goto(f"{sqlite_hub.url}/staff")
        page.locator("tr", has_text="装卸工（夜班）").locator("text=复制").click()
        assert page.locator("#title").input_value() == "装卸工（夜班）"
        page.fill("#title", "装卸工（下周）")
        page.click("form.card button[type=submit]")
        page.wait_for_selector("#published")
        page.locator("tr", has_text="装卸工（下周）").locator("text=已招满").click()
        page.click("#confirm-button")  # it asks first: the posting leaves every screen
        page.wait_for_selector("#ended")
        page.goto(f"{sqlite_hub.url}/staff?status=full")
        assert page.locator("tr", has_text="装卸工（下周）").is_visible()

        # Verify an employer, then edit its contact.
        page.goto(f"{sqlite_hub.url}/staff/employers")
        first = page.locator("tbody tr").filter(has=page.locator("text=已核营业执照，认证")).first
        name = first.locator("td").nth(1).inner_text()
        first.locator("text=已核营业执照，认证").click()
        page.locator("tr", has_text=name).locator("text=✓已认证").wait_for()  # (after the redirect has loaded)
        page.locator("tr", has_text=name).locator("text=修改").click()
        page.fill("#contact_person", "周经理")
        page.click("form.card button[type=submit]")
        assert page.locator("tr", has_text=name).locator("text=周经理").is_visible()

        # Enrol a device: the one-time code as text and QR code.
        page.goto(f"{sqlite_hub.url}/staff/devices")
        page.fill("#name", "二楼大屏")
        page.select_option("#kind", "display")
        page.click("form.card button[type=submit]")
        assert page.locator("#code").inner_text().strip() and page.locator("#enrolled svg").count() == 1
        page.screenshot(path=str(ARTIFACTS / "console-enrol.png"), full_page=True)

        # Applications page, and the day's interviews with a booth to offer slots at.
        page.goto(f"{sqlite_hub.url}/staff/applications")
        assert page.locator("h1").inner_text() == "报名"
        sqlite_hub.add_device("booth")
        page.goto(f"{sqlite_hub.url}/staff/interviews")
        page.select_option("#posting_id", index=1)  # (no posting is chosen for staff: 请选择)
        page.fill("#count", "2")
        page.click("form.card button[type=submit]")
        schedule = page.locator("#schedule")
        assert schedule.locator("text=可预约").count() == 2
        assert "/i/" in schedule.locator("input").first.input_value()  # the employer's link
        page.screenshot(path=str(ARTIFACTS / "console-interviews.png"), full_page=True)

        # Revoking asks first, on a step of its own: "no" keeps the device.
        page.goto(f"{sqlite_hub.url}/staff/devices")
        page.locator("a", has_text="二楼大屏").first.click()
        page.click("#revoke")
        # The question, read out first (focused once the confirm step's page has loaded: waited for,
        # a loaded machine once read the focus before it moved).
        page.wait_for_function("document.activeElement && document.activeElement.id === 'revoke-confirm'")
        page.screenshot(path=str(ARTIFACTS / "console-device-revoke.png"), full_page=True)
        page.click("#keep-device")
        assert page.locator("#revoke").count() == 1 and page.locator("text=已停用").count() == 0
        page.click("#revoke")
        page.click("#confirm-revoke")
        page.wait_for_selector("text=已停用")
        assert refused == [], refused  # no page of the console broke its own CSP
        browser.close()
