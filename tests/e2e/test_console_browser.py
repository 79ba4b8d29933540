"""The staff console in a real browser: log in, add an employer (a bad credit code first), publish a
posting, and see it arrive in a running device's store within a second or two."""
import os
import time

from playwright.sync_api import sync_playwright

from sync.agent import SyncAgent
from tests.e2e.test_phone_browser import ARTIFACTS, CHROMIUM, fonts_conf
from tests.integration.test_link import enroll
from tests.support.waiting import first_value

GOOD_CODE = "91350100M000100Y43"


def test_publish_from_the_console_to_a_device(sqlite_hub, tmp_path):
    sqlite_hub.staff_token  # creates the admin "tester"
    store = enroll(sqlite_hub, tmp_path / "kiosk")
    agent = SyncAgent(store, longpoll_s=5)
    agent.start()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        first_value(lambda: store.cursor, timeout=20, message="the device never synced")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"],
                                         env={**os.environ, "FONTCONFIG_FILE": str(fonts_conf(tmp_path))})
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            page.goto(f"{sqlite_hub.url}/staff")
            assert page.url.endswith("/staff/login")
            page.fill("#name", "tester")
            page.fill("#password", "a test password")
            page.click("button[type=submit]")
            page.wait_for_url("**/staff")

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
            page.fill("#title", "急招钢筋工8名")
            page.select_option("#employer_id", label="湘江劳务有限公司")
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
        assert arrived_in < 2.0, f"took {arrived_in:.2f} s"
    finally:
        agent.stop()
        store.close()
