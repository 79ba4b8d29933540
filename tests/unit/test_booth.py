"""The booth's core without Kivy: what a booth must be told before it can run, the local page it
gives the browser, and a call that ends when its slot's time is up (the browser closed with it)."""

import json
import sys
import time

from device import machine
from device.machine import Machine
from kiosk.booth import BoothSettings, Call, Interview, page_policy, render_page

STANDIN = [sys.executable, "-m", "tests.support.standin_browser", "--kiosk"]


def test_a_booth_says_what_it_lacks(tmp_path):
    bare = Machine(browsers={})
    assert BoothSettings.of({}, bare).missing() == ["jitsi_domain", "browser"]
    machine.write(tmp_path, browsers={"standin": STANDIN}, browser="standin")
    assert BoothSettings.of({"jitsi_domain": " meet.example.cn "}, Machine.load(tmp_path)).missing() == []


def test_nothing_from_the_hub_becomes_a_program_or_a_script_origin(tmp_path):
    """Finding 1 and 2 of the security review: `browser_command` was split and run as it came from
    the hub, and `jitsi_domain` became a script's address unchecked."""
    machine.write(tmp_path, browsers={"standin": STANDIN}, browser="standin")
    settings = BoothSettings.of(
        {"jitsi_domain": "evil.example/x.js?", "browser": "sh", "browser_command": "sh -c 'touch /tmp/pwned'"},
        Machine.load(tmp_path),
    )
    assert settings.browser == tuple(STANDIN)  # the machine's own program; the hub only names one
    assert settings.jitsi_domain == "" and "jitsi_domain" in settings.missing()


def test_the_page_embeds_the_room_and_escapes_what_it_is_given():
    hostile = Interview(
        room='lg-x"</script><script>alert(1)</script>',
        display_name="张*</script>",
        title="<b>钢筋工</b>",
        employer="某公司",
        ends_at=0,
    )
    page = render_page("meet.example.cn", hostile, "http://127.0.0.1:9/ended", "n0nce")
    assert "https://meet.example.cn/external_api.js" in page and page.count('nonce="n0nce"') == 2
    assert "</script><script>alert(1)" not in page and "<b>钢筋工" not in page
    assert json.dumps("http://127.0.0.1:9/ended") in page
    assert "prejoinConfig: {enabled: false}" in page and 'lang: "zhCN"' in page
    policy = page_policy("meet.example.cn", "n0nce")
    assert (
        "script-src 'nonce-n0nce' https://meet.example.cn;" in policy and "frame-src https://meet.example.cn;" in policy
    )


def test_a_call_ends_with_its_slot_and_takes_the_browser_with_it(tmp_path, monkeypatch):
    monkeypatch.setenv("STANDIN_DIR", str(tmp_path))
    settings = BoothSettings("meet.example.cn", tuple(STANDIN))
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
