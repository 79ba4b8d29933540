"""hub/ready.py: READY=1 reaches systemd's notify socket (a path or an abstract name), and only once
the hub's own /healthz says the database answers; outside systemd nothing is sent."""

from __future__ import annotations

import json
import os
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from hub import ready


@pytest.fixture
def health():
    """A stand-in /healthz on a loopback port: a real HTTP server whose answer the test sets."""
    state = {"status": "degraded"}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = json.dumps(state).encode()
            self.send_response(200 if self.path == "/healthz" else 404)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    yield state, server.server_address[1]
    server.shutdown()
    server.server_close()


def test_serving_means_healthz_says_ok(health):
    state, port = health
    assert not ready.serving("127.0.0.1", port)  # up, but its database unreachable
    state["status"] = "ok"
    assert ready.serving("0.0.0.0", port)  # a hub bound to every address is asked on loopback
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    assert not ready.serving("127.0.0.1", closed)


def test_ready_reaches_the_notify_socket_once_serving(health, tmp_path, monkeypatch):
    state, port = health
    state["status"] = "ok"
    path = str(tmp_path / "notify")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as listener:
        listener.bind(path)
        listener.settimeout(10)
        monkeypatch.setenv("NOTIFY_SOCKET", path)
        thread = ready.announce_when_serving("127.0.0.1", port)
        assert "NOTIFY_SOCKET" not in os.environ  # worker processes do not inherit it
        assert listener.recv(1024).decode().splitlines()[0] == "READY=1"
        thread.join(5)


def test_abstract_socket_and_no_systemd(monkeypatch):
    name = f"lingong-ready-test-{os.getpid()}"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as listener:
        listener.bind("\0" + name)
        listener.settimeout(5)
        assert ready.notify("READY=1", "@" + name)
        assert listener.recv(64) == b"READY=1"
    monkeypatch.delenv("NOTIFY_SOCKET", raising=False)
    assert ready.announce_when_serving("127.0.0.1", 1) is None
    assert not ready.notify("READY=1", None)
