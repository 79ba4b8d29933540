"""The phone page in a real browser (Debian's Chromium through Playwright) at a phone's size:
read the posting, get a field wrong, apply, keep the receipt. Pictures go to artifacts/screens/."""

import os

from playwright.sync_api import sync_playwright

from tests.support.hub import ROOT, posting_body

ARTIFACTS = ROOT / "artifacts" / "screens"
CHROMIUM = "/usr/bin/chromium"
AXE = ROOT / ".ci" / "axe" / "node_modules" / "axe-core" / "axe.min.js"  # `make test` installs it
AXE_VIOLATIONS = """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations.map(
  v => `${v.id} (${v.impact}) at ${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")}`)"""


def fonts_conf(folder):
    """Phones have Chinese fonts; a bare test machine may not: lend the browser the kiosk's own."""
    conf = folder / "fonts.conf"
    conf.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>{ROOT / "assets" / "fonts"}</dir>
  <cachedir>{folder / "fontconfig"}</cachedir>
</fontconfig>
""")
    return conf


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def axe_problems(page, name: str) -> list[str]:
    """What axe-core finds wrong on the page as it is now (the states the console guard's scan of
    the empty forms does not reach: errors shown, receipts, the ended page)."""
    return [f"{name}: {v}" for v in page.evaluate(AXE_VIOLATIONS)]


def errors_in_view(page, summary: str) -> bool:
    """The error summary has the focus and lies inside the screen the phone shows."""
    box = page.locator(summary).bounding_box()
    focused = page.evaluate("document.activeElement && document.activeElement.id")
    return focused == summary.lstrip("#") and box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 844


def test_apply_from_a_phone(sqlite_hub, tmp_path):
    """One browser at a phone's size for the posting, a failed then a good application, the same
    phone again, an ended posting with similar open ones, and the order form's errors."""
    posting = sqlite_hub.ok("POST", "/api/v1/postings", json=posting_body(title="急招钢筋工8名", lat=28.25, lon=112.95))
    ended = sqlite_hub.ok("POST", "/api/v1/postings", json=posting_body(title="钢筋工（已招满）"))
    sqlite_hub.ok("POST", f"/api/v1/postings/{ended['id']}/status", json={"status": "full"})
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox"],
            env={**os.environ, "FONTCONFIG_FILE": str(fonts_conf(tmp_path))},
        )
        phone = browser.new_context(
            viewport={"width": 390, "height": 844},
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
            locale="zh-CN",
        )
        assert AXE.exists(), f"{AXE} missing: `make test` installs it (npm ci --prefix .ci/axe)"
        phone.add_init_script(path=str(AXE))  # the browser's own script: the pages keep their CSP
        problems: list[str] = []
        page = phone.new_page()
        page.goto(f"{sqlite_hub.url}/p/{posting['id']}?s=1")
        assert page.locator("h1").inner_text() == "急招钢筋工8名"
        assert page.locator("a.button[href^='tel:']").first.is_visible()
        assert page.locator("#station").is_visible() and "零工市场" in page.locator("#station").inner_text()
        assert page.locator("#navigate").get_attribute("href").startswith("https://uri.amap.com/marker?")
        assert "公里" in page.locator("#distance").inner_text() and no_sideways_scroll(page)
        page.screenshot(path=str(ARTIFACTS / "phone-posting.png"), full_page=True)

        page.fill("#name", "王五")
        page.fill("#phone", "1391234")
        page.check("#consent")
        page.click("button[type=submit]")
        assert "请写11位手机号" in page.locator("#phone-error").inner_text()
        assert page.input_value("#name") == "王五" and page.input_value("#phone") == "1391234"  # kept
        assert errors_in_view(page, "#apply-errors"), page.locator("#apply-errors").bounding_box()
        page.screenshot(path=str(ARTIFACTS / "phone-apply-errors.png"))  # what the phone shows, as it lands
        problems += axe_problems(page, "apply-errors")
        page.fill("#phone", "139 1234 567")  # being corrected: its error goes at once (hub/web/static/fields.js)
        assert not page.locator("#phone-error").is_visible() and page.get_attribute("#phone", "aria-invalid") is None

        page.fill("#phone", "139 1234 5678")
        page.click("button[type=submit]")
        page.wait_for_selector("#applied-phone")
        assert "139****5678" in page.locator("#applied-phone").inner_text()  # whose phone, masked; no code to leak
        page.screenshot(path=str(ARTIFACTS / "phone-applied.png"), full_page=True)
        problems += axe_problems(page, "applied")

        page.goto(f"{sqlite_hub.url}/p/{posting['id']}?s=1")
        assert "您已经报过名了" in page.locator("#applied-before").inner_text()
        page.screenshot(path=str(ARTIFACTS / "phone-applied-before.png"), full_page=True)
        problems += axe_problems(page, "applied-before")

        page.goto(f"{sqlite_hub.url}/p/{ended['id']}?s=1")
        similar = page.locator("#similar a")
        assert similar.count() >= 1 and no_sideways_scroll(page)
        page.screenshot(path=str(ARTIFACTS / "phone-gone.png"), full_page=True)
        problems += axe_problems(page, "gone")
        similar.first.click()
        assert page.locator("#apply, #applied-before").count() == 1  # an open posting's page

        page.goto(f"{sqlite_hub.url}/o/new?station=1")
        page.fill("#need", "修客厅的灯")
        page.fill("#pay", "八十")
        page.click("button[type=submit]")
        assert page.input_value("#need") == "修客厅的灯" and errors_in_view(page, "#order-errors")
        page.screenshot(path=str(ARTIFACTS / "phone-order-errors.png"))
        problems += axe_problems(page, "order-errors")
        assert "请写11位手机号" in page.locator("#resident_phone-error").inner_text()
        page.fill("#resident_phone", "13700002222")
        assert not page.locator("#resident_phone-error").is_visible()
        assert page.get_attribute("#resident_phone", "aria-invalid") is None
        assert page.locator("#address-error").is_visible()  # a field not yet corrected keeps its error
        assert page.get_attribute("#address", "aria-invalid") == "true"
        page.screenshot(path=str(ARTIFACTS / "phone-order-correcting.png"))
        problems += axe_problems(page, "order-correcting")
        browser.close()
    assert problems == []
