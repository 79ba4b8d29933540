"""Hostile review, item 1: over plain HTTP the update key in the enrolment answer is kept only when it
matches the --update-fingerprint staff gave; a relay that swaps it (passing the hub's key through, so
--fingerprint still matches) leaves the device enrolled with updates off, never with the relay's key."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from hub import admin
from sync.store import DeviceStore
from tests.support.hub import LiveHub, lingong
from wire import releases
from wire.protocol import ENROLL_PATH

KEY = releases.new_private_key()
EVIL = releases.new_private_key()


def own_address() -> str:
    """This machine's address on its network (not loopback): what a device far from the hub dials."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.connect(("192.0.2.1", 9))  # UDP: no packet is sent, the kernel only picks the route
        address = s.getsockname()[0]
    if address.startswith("127."):
        pytest.skip("this machine has no address but loopback to put a plain-HTTP relay on")
    return address


class Relay:
    """A man in the middle on the plain-HTTP path: forwards everything to the hub and, when `swap`,
    rewrites only the enrolment answer's update key to its own."""

    def __init__(self, upstream: str):
        self.swap = False
        relay = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
                answer = requests.post(upstream + self.path, data=body, headers=headers, timeout=30)
                content = answer.content
                if relay.swap and self.path == ENROLL_PATH and answer.ok:
                    content = json.dumps({**answer.json(), "update_public_key": releases.public_text(EVIL)}).encode()
                self.send_response(answer.status_code)
                self.send_header("Content-Type", answer.headers.get("Content-Type", "application/json"))
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer((own_address(), 0), Handler)
        host, port = self.server.server_address[:2]
        self.url = f"http://{host}:{port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def relay(tmp_path, sqlite_url):
    hub = LiveHub(tmp_path / "hub", sqlite_url, LINGONG_UPDATE_PUBLIC_KEY=releases.public_text(KEY))
    hub.seed(postings=3)
    hub.start()
    relay = Relay(hub.url)
    relay.hub = hub
    yield relay
    relay.close()
    hub.stop()


def enroll_through(relay: Relay, home, *extra: str):
    hub = relay.hub
    code = hub.add_device("kiosk", 1)
    given = ("--hub", relay.url, "--code", code, "--fingerprint", admin.key_fingerprint(hub.settings), *extra)
    out = lingong("enroll", *given, home=home)
    store = DeviceStore.in_home(home)
    try:
        return store.enrollment().update_key, out.stderr
    finally:
        store.close()


def test_a_swapped_update_key_is_never_kept(relay, tmp_path):
    genuine = releases.key_fingerprint(releases.public_text(KEY))
    relay.swap = True
    kept, said = enroll_through(relay, tmp_path / "a", "--update-fingerprint", genuine)
    assert kept == "" and "does not match --update-fingerprint" in said and "OFF" in said
    # Without the update fingerprint over plain HTTP, nothing vouches for the key: none is kept.
    kept, said = enroll_through(relay, tmp_path / "b")
    assert kept == "" and "--update-fingerprint" in said


def test_the_genuine_update_key_with_its_fingerprint_is_kept(relay, tmp_path):
    genuine = releases.key_fingerprint(releases.public_text(KEY))
    kept, said = enroll_through(relay, tmp_path / "a", "--update-fingerprint", genuine.upper().replace("-", " "))
    assert kept == releases.public_text(KEY) and "OFF" not in said
    kept, said = enroll_through(relay, tmp_path / "b")
    assert kept == "" and "OFF" in said  # the same genuine key, unvouched for over plain HTTP
