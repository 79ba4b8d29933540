"""A household order in real browsers (Debian's Chromium through Playwright): a resident posts it
from a phone, staff dispatch it to a worker registered at a kiosk, the worker accepts and finishes
it from the link on their phone, and the dashboard's 接单王 counts it. Pictures in artifacts/screens/."""

import os
import re

import requests
from playwright.sync_api import sync_playwright

from tests.e2e.test_console_browser import sign_in
from tests.e2e.test_phone_browser import ARTIFACTS, CHROMIUM, fonts_conf
from wire import sealed

WORKER_PHONE = "13812345678"


def register_worker_at_a_kiosk(hub) -> None:
    """The kiosk path, over HTTP: enrol a kiosk, send a sealed registration with the phone and consent."""
    enrolled = requests.post(
        f"{hub.url}/api/v1/devices/enroll", json={"code": hub.add_device("kiosk")}, timeout=10
    ).json()
    person = sealed.seal(
        enrolled["hub_public_key"],
        {"id_number": "11010519491231002X", "name": "张三", "phone": WORKER_PHONE, "consent": True},
        sealed.event_context(enrolled["device_id"], "registration", 1),
    )
    body = {
        "intention": {
            "trades": [1],
            "districts": ["青川区"],
            "pay_unit": "day",
            "pay_min_fen": 20000,
            "availability": ["today"],
        },
        "person": person,
    }
    answer = requests.post(
        f"{hub.url}/api/v1/sync/events",
        timeout=10,
        headers={"Authorization": f"Bearer {enrolled['token']}"},
        json={"events": [{"n": 1, "uid": "b" * 32, "kind": "registration", "at": 1_795_000_000, "body": body}]},
    )
    assert answer.json()["results"][0]["status"] == "applied", answer.text


def test_a_household_order_from_post_to_completion(sqlite_hub, tmp_path):
    _ = sqlite_hub.staff_token  # creates the administrator "tester"
    register_worker_at_a_kiosk(sqlite_hub)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox"],
            env={**os.environ, "FONTCONFIG_FILE": str(fonts_conf(tmp_path))},
        )
        phone_size = dict(
            viewport={"width": 390, "height": 844},
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
            locale="zh-CN",
        )

        resident = browser.new_context(**phone_size).new_page()
        resident.goto(f"{sqlite_hub.url}/o/new")
        resident.fill("#need", "修客厅的灯")
        resident.fill("#district", "青川区")
        resident.fill("#address", "滨江路8号3栋2单元")
        resident.fill("#when_text", "周六上午")
        resident.fill("#pay", "80")
        resident.fill("#resident_phone", "1370000")
        resident.check("input[name=consent]")
        resident.click("button[type=submit]")
        assert resident.locator("#resident_phone-error").is_visible()
        resident.fill("#resident_phone", "137 0000 2222")
        resident.screenshot(path=str(ARTIFACTS / "phone-order-new.png"), full_page=True)
        resident.click("button[type=submit]")
        code = resident.locator("#order-code").inner_text()
        assert re.fullmatch(r"J-[0-9A-F]{6}", code)
        resident.screenshot(path=str(ARTIFACTS / "phone-order-posted.png"), full_page=True)

        staff = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        sign_in(staff, sqlite_hub.url)
        staff.goto(f"{sqlite_hub.url}/staff/orders")
        card = staff.locator("div.order", has_text=code)
        assert card.is_visible() and "13700002222" in card.inner_text()
        staff.screenshot(path=str(ARTIFACTS / "console-orders-queue.png"), full_page=True)
        card.locator("input[name=phone]").fill(WORKER_PHONE)
        card.locator("text=派单").click()
        staff.wait_for_url("**tab=active**")
        link = staff.locator("div.order", has_text=code).locator("a.worker-link").get_attribute("href")
        staff.screenshot(path=str(ARTIFACTS / "console-orders-dispatched.png"), full_page=True)

        worker = browser.new_context(**phone_size).new_page()
        worker.goto(link)
        assert worker.locator("h1").inner_text() == "修客厅的灯"
        assert worker.locator("a[href='tel:13700002222']").is_visible()
        worker.click("#accept")
        worker.click("#complete")
        assert worker.locator("#status").inner_text() == "已完成"
        worker.screenshot(path=str(ARTIFACTS / "phone-order-worker.png"), full_page=True)

        staff.goto(f"{sqlite_hub.url}/staff/dashboard")
        takers = staff.locator("#takers").inner_text()
        assert "尾号5678" in takers and "1单" in takers
        staff.screenshot(path=str(ARTIFACTS / "console-dashboard.png"), full_page=True)
        browser.close()
