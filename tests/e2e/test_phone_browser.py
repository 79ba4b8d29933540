"""The phone page in a real browser (Debian's Chromium through Playwright) at a phone's size:
read the posting, get a field wrong, apply, keep the receipt. Pictures go to artifacts/screens/."""

import os

from playwright.sync_api import sync_playwright

from tests.support.hub import ROOT, posting_body

ARTIFACTS = ROOT / "artifacts" / "screens"
CHROMIUM = "/usr/bin/chromium"


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


def test_apply_from_a_phone(sqlite_hub, tmp_path):
    posting = sqlite_hub.ok("POST", "/api/v1/postings", json=posting_body(title="急招钢筋工8名"))
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
        page = phone.new_page()
        page.goto(f"{sqlite_hub.url}/p/{posting['id']}")
        assert page.locator("h1").inner_text() == "急招钢筋工8名"
        assert page.locator("a.button[href^='tel:']").first.is_visible()
        page.screenshot(path=str(ARTIFACTS / "phone-posting.png"), full_page=True)

        page.fill("#name", "王五")
        page.fill("#phone", "1391234")
        page.check("#consent")
        page.click("button[type=submit]")
        assert "请写11位手机号" in page.locator("#phone-error").inner_text()
        assert page.input_value("#name") == "王五"  # what was typed is kept

        page.fill("#phone", "139 1234 5678")
        page.click("button[type=submit]")
        page.wait_for_selector("#applied-phone")
        assert "139****5678" in page.locator("#applied-phone").inner_text()  # whose phone, masked; no code to leak
        page.screenshot(path=str(ARTIFACTS / "phone-applied.png"), full_page=True)
        browser.close()
