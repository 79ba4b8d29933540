"""The booth's core without Kivy: what a booth must be told before it can run, the local page it
gives the browser, and a call that ends when its slot's time is up (the browser closed with it)."""
import json
import sys
import time

from kiosk.booth import BoothSettings, Call, Interview, render_page


def test_a_booth_says_what_it_lacks():
    assert BoothSettings.of({}).missing() == ["jitsi_domain", "browser_command"]
    assert BoothSettings.of({"jitsi_domain": " meet.example.cn ", "browser_command": "chromium --kiosk"}).missing() == []


def test_the_page_embeds_the_room_and_escapes_what_it_is_given():
    hostile = Interview(room='lg-x"</script><script>alert(1)</script>', display_name="张*</script>",
                        title="<b>钢筋工</b>", employer="某公司", ends_at=0)
    page = render_page("meet.example.cn", hostile, "http://127.0.0.1:9/ended")
    assert "https://meet.example.cn/external_api.js" in page
    assert "</script><script>alert(1)" not in page and "<b>钢筋工" not in page
    assert json.dumps("http://127.0.0.1:9/ended") in page
    assert "prejoinConfig: {enabled: false}" in page and 'lang: "zhCN"' in page


def test_a_call_ends_with_its_slot_and_takes_the_browser_with_it(tmp_path, monkeypatch):
    monkeypatch.setenv("STANDIN_DIR", str(tmp_path))
    settings = BoothSettings("meet.example.cn", f"{sys.executable} -m tests.support.standin_browser --kiosk")
    clock = {"now": 1000.0}
    call = Call(settings, Interview("lg-room", "张*", "钢筋工", "某公司", ends_at=1060.0), clock=lambda: clock["now"])
    try:
        deadline = time.monotonic() + 20
        while not list(tmp_path.glob("launch-*.json")) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert call.over() is None
        clock["now"] = 1060.0
        assert call.over() == "time"
    finally:
        call.close()
    assert call.browser.poll() is not None  # no browser left running
    [launch] = [json.loads(p.read_text()) for p in tmp_path.glob("launch-*.json")]
    assert '"lg-room"' in launch["page"] and launch.get("terminated")
