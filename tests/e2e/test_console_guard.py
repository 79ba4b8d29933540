"""The guard of issue 16 for the web pages: every console page, the phone page and the order page at
a laptop's 1366×768 and a phone's 390×844 — no sideways scrolling, and no violation found by axe-core
(the accessibility engine, installed from the npm registry by `make test` into .ci/axe). One hub and
one browser for the whole scan; a picture of each page at each size goes to artifacts/screens/."""

import os
import re
import time

import pytest
import requests
from playwright.sync_api import sync_playwright

from hub import admin
from hub.orders import service as orders
from hub.orders.schemas import OrderIn
from tests.e2e.test_phone_browser import ARTIFACTS, CHROMIUM, fonts_conf
from tests.support.console import ADMIN_PASSWORD, sign_in_browser
from tests.support.hub import ROOT, LiveHub, posting_body
from wire import sealed

pytestmark = pytest.mark.slow  # (make test starts it first: tests/conftest.py)

AXE = ROOT / ".ci" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
SIZES = {"wide": (1366, 768), "phone": (390, 844)}
# Every violation, with the first few elements it names (CSS selectors), per page and size.
RUN_AXE = """async () => {
  const found = await axe.run(document, {resultTypes: ["violations"]});
  return found.violations.map(v => ({
    id: v.id, impact: v.impact, where: v.nodes.slice(0, 3).map(n => n.target.join(" "))
  }));
}"""
WIDTHS = "() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"


@pytest.fixture
def busy_hub(tmp_path, sqlite_url):
    """A hub with more postings than a page lists, and one of everything else a console page shows."""
    hub = LiveHub(tmp_path / "hub", sqlite_url)
    hub.seed(postings=80)
    hub.start()
    try:
        yield hub
    finally:
        hub.stop()


def _fill(hub) -> dict:
    """A wall that reported a picture, a kiosk application, a pending household order, a notice."""
    _ = hub.staff_token  # the administrator "tester"
    wall = requests.post(
        f"{hub.url}/api/v1/devices/enroll", timeout=10, json={"code": hub.add_device("display")}
    ).json()
    requests.post(
        f"{hub.url}/api/v1/sync/heartbeat",
        timeout=10,
        headers={"Authorization": f"Bearer {wall['token']}"},
        json={"self_check": "ok", "showing": "table 1/4 v9", "last_sync_ok": time.time()},
    )
    posting = hub.ok("POST", "/api/v1/postings", json=posting_body(title="急招钢筋工8名", urgent=True))["id"]
    kiosk = requests.post(f"{hub.url}/api/v1/devices/enroll", timeout=10, json={"code": hub.add_device("kiosk")}).json()
    person = {"id_number": "11010519491231002X", "name": "张三", "phone": "13812345678", "consent": True}
    body = {
        "posting": posting,
        "person": sealed.seal(
            kiosk["hub_public_key"], person, sealed.event_context(kiosk["device_id"], "application", 1)
        ),
    }
    requests.post(
        f"{hub.url}/api/v1/sync/events",
        timeout=10,
        headers={"Authorization": f"Bearer {kiosk['token']}"},
        json={"events": [{"n": 1, "uid": "c" * 32, "kind": "application", "at": time.time(), "body": body}]},
    )
    db = admin.open_db(hub.settings)
    try:
        with db.write() as session:
            orders.submit(
                session,
                OrderIn(
                    need="修客厅的灯",
                    district="青川区",
                    address="滨江路8号3栋",
                    when_text="周六上午",
                    pay_fen=8000,
                    resident_phone="13700002222",
                    station_id=1,
                    consent=True,
                ),
            )
    finally:
        db.dispose()
    return {"posting": posting, "wall": wall["device_id"], "kiosk": kiosk["device_id"]}


def _pages(ids: dict) -> dict[str, str]:
    p = ids["posting"]
    return {
        "postings": "/staff",
        "postings-expired": "/staff?status=expired",
        "posting-close": f"/staff/postings/{p}/close",
        "posting-new": "/staff/postings/new",
        "posting-edit": f"/staff/postings/{p}/edit",
        "posting-import": "/staff/postings/import",
        "employers": "/staff/employers",
        "employer": "/staff/employers/1",
        "applications": "/staff/applications",
        "reviews": "/staff/reviews",
        "outreach": "/staff/outreach",
        "outreach-posting": f"/staff/outreach/postings/{p}",
        "orders": "/staff/orders",
        "posters": "/staff/posters",
        "poster": "/staff/stations/1/poster",
        "interviews": "/staff/interviews",
        "announcements": "/staff/announcements",
        "devices": "/staff/devices",
        "device-wall": f"/staff/devices/{ids['wall']}",
        "device-kiosk": f"/staff/devices/{ids['kiosk']}",
        "dashboard": "/staff/dashboard",
        "releases": "/staff/releases",
        "users": "/staff/users",
        "audit": "/staff/audit",
        "account": "/staff/account",
    }


def _check(page, url: str, name: str, size: str, problems: list[str]) -> None:
    page.goto(url)
    page.wait_for_load_state("load")
    wide, room = page.evaluate(WIDTHS)
    if wide > room:
        problems.append(f"{name} @{size}: scrolls sideways ({wide} px of content in {room} px)")
    picture = str(ARTIFACTS / f"guard-{name}-{size}.png")
    if page.evaluate("() => document.scrollingElement.scrollHeight") <= 4000:
        page.screenshot(path=picture, full_page=True)
    else:  # a long list's first 4000 px (a whole one can pass what Chromium captures at once)
        shown = page.viewport_size
        page.set_viewport_size({"width": shown["width"], "height": 4000})
        page.screenshot(path=picture)
        page.set_viewport_size(shown)
    for v in page.evaluate(RUN_AXE):
        problems.append(f"{name} @{size}: axe {v['id']} ({v['impact']}) at {', '.join(v['where'])}")


def test_no_sideways_scrolling_and_no_accessibility_violations(busy_hub, tmp_path):
    assert AXE.exists(), f"{AXE} missing: `make test` installs it (npm ci --prefix .ci/axe)"
    started = time.monotonic()
    ids = _fill(busy_hub)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    checked = 0
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox"],
            env={**os.environ, "FONTCONFIG_FILE": str(fonts_conf(tmp_path))},
        )
        tabs = {}
        for size, (width, height) in SIZES.items():
            context = browser.new_context(
                viewport={"width": width, "height": height},
                locale="zh-CN",
                is_mobile=size == "phone",
                has_touch=size == "phone",
            )
            # axe comes in with every page as the browser's own script, before the page's: the pages'
            # Content-Security-Policy (scripts only from the hub, or with the page's nonce) does not
            # apply to it, so the pages are scanned under their real policy. (A <script> tag added
            # afterwards, page.add_script_tag, would be refused unless the context had bypass_csp.)
            context.add_init_script(path=str(AXE))
            tabs[size] = context.new_page()
        base = busy_hub.url
        public = {
            "login": "/staff/login",
            "phone-posting": f"/p/{ids['posting']}",
            "order-new": "/o/new?station=1",
            "market": "/m",
        }
        for size, page in tabs.items():
            for name, path in public.items():
                _check(page, base + path, name, size, problems)
                checked += 1
        sign_in_browser(tabs["wide"], base, "tester", ADMIN_PASSWORD)
        tabs["phone"].context.add_cookies(tabs["wide"].context.cookies())
        for name, path in _pages(ids).items():
            for size, page in tabs.items():
                _check(page, base + path, name, size, problems)
                checked += 1
        # The poster on paper: one A4 sheet, the buttons above it not printed.
        poster = tabs["wide"]
        poster.goto(f"{base}/staff/stations/1/poster")
        poster.emulate_media(media="print")
        assert not poster.locator("nav").is_visible()
        poster.screenshot(path=str(ARTIFACTS / "guard-poster-print.png"), full_page=True)
        sheets = poster.pdf(format="A4", prefer_css_page_size=True)
        assert len(re.findall(rb"/Type\s*/Page[^s]", sheets)) == 1, "the poster does not fit one A4 page"
        browser.close()
    print(f"{checked} page views checked in {time.monotonic() - started:.1f} s; {len(problems)} problems")
    assert not problems, "\n".join(problems)
