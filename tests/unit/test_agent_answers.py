"""The sync agent takes a heartbeat's answer only when it is one: whatever else a proxy or a broken
hub answers, the thread that drains the outbox lives on."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sync.agent import SyncAgent
from sync.store import DeviceStore, Enrollment
from wire import sealed


class Answers(BaseHTTPRequestHandler):
    body = b"[]"

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *_args):
        pass


@pytest.mark.parametrize("body", [b"[]", b'"ok"', b"null", b"3", json.dumps({"events_through": "x"}).encode()])
def test_a_heartbeat_answer_that_is_not_an_object_is_ignored(tmp_path, body):
    Answers.body = body
    server = ThreadingHTTPServer(("127.0.0.1", 0), Answers)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    store = DeviceStore(tmp_path / "device.db")
    key = sealed.generate_private_key()
    hub = f"http://127.0.0.1:{server.server_address[1]}"
    store.save_enrollment(Enrollment(hub, 7, "tok", "kiosk", 1, sealed.public_key_text(key)), event_base=0)
    taken = []
    agent = SyncAgent(store, on_answer=taken.append)
    try:
        agent._beat()  # raises nothing
        assert len(taken) <= 1 and all(isinstance(t, dict) for t in taken)  # (only an object reaches the updater)
    finally:
        store.close()
        server.shutdown()
