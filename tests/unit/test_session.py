"""The HTTP seam against a real little HTTP server: retries, backoff, Retry-After, what is not retried."""

import http.server
import json
import threading
import time

import pytest

from sync.errors import HubRejected, HubUnreachable, ResetRequired, Unauthorized
from sync.session import HubSession, RetryPolicy, retry_after
from tests.support.hub import free_port


class Script(http.server.BaseHTTPRequestHandler):
    """Answers each request with the next (status, headers, body) of the server's script."""

    def do_GET(self):
        self.server.seen.append((time.monotonic(), self.path, dict(self.headers)))
        status, headers, body = (
            self.server.script.pop(0) if self.server.script else (200, {}, {"cursor": 1, "changes": []})
        )
        data = json.dumps(body).encode() if body is not None else b""
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_POST = do_GET

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Script)
    srv.script, srv.seen = [], []
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield srv
    srv.shutdown()


def session(server, **kw):
    return HubSession(f"http://127.0.0.1:{server.server_port}", "tok", **kw)


def test_retry_after_is_honoured(server):
    server.script = [(503, {"Retry-After": "1"}, {"error": "busy"}), (200, {}, {"cursor": 3, "changes": []})]
    s = session(server, retry=RetryPolicy(attempts=3, base_s=0.01))
    assert s.changes(0, 0) == (3, [])
    (t1, _, _), (t2, path, headers) = server.seen
    assert t2 - t1 >= 0.95
    assert headers["Authorization"] == "Bearer tok" and "gzip" in headers["Accept-Encoding"]
    assert "since=0" in path


def test_backoff_gives_up_with_hub_unreachable(server):
    server.script = [(502, {}, None)] * 5
    s = session(server, retry=RetryPolicy(attempts=3, base_s=0.01, cap_s=0.05))
    with pytest.raises(HubUnreachable, match="HTTP 502"):
        s.changes(0, 0)
    assert len(server.seen) == 3


def test_client_errors_are_not_retried(server):
    server.script = [(401, {}, {"error": "unknown or revoked device token"})]
    with pytest.raises(Unauthorized) as err:
        session(server).changes(0, 0)
    assert err.value.status == 401 and "revoked" in str(err.value.detail)
    server.script = [(422, {}, {"error": "since: bad"})]
    with pytest.raises(HubRejected):
        session(server).changes(0, 0)
    assert len(server.seen) == 2


def test_not_modified_and_reset(server):
    server.script = [(304, {"ETag": '"12"'}, None), (410, {}, {"error": "take a snapshot"})]
    s = session(server)
    assert s.changes(5, 0) == (12, [])
    with pytest.raises(ResetRequired):
        s.changes(5, 0)


def test_refused_connections_are_retried_then_reported():
    s = HubSession(f"http://127.0.0.1:{free_port()}", retry=RetryPolicy(attempts=2, base_s=0.01))
    with pytest.raises(HubUnreachable, match="ConnectionError"):
        s.device_doc()


def test_close_interrupts_a_waiting_retry(server):
    server.script = [(503, {"Retry-After": "30"}, None)]
    s = session(server, retry=RetryPolicy(attempts=3))
    threading.Timer(0.3, s.close).start()
    started = time.monotonic()
    with pytest.raises(HubUnreachable):
        s.changes(0, 0)
    assert time.monotonic() - started < 5


def test_retry_after_forms():
    class R:
        def __init__(self, v):
            self.headers = {"Retry-After": v} if v else {}

    assert retry_after(R("7")) == 7
    assert 50 < retry_after(R(time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 60)))) <= 60
    assert retry_after(R("soon")) is None and retry_after(R(None)) is None


def test_jitter_stays_within_the_exponential_envelope():
    policy = RetryPolicy(base_s=0.5, cap_s=8)
    for attempt in range(8):
        delays = [policy.delay(attempt) for _ in range(200)]
        assert min(delays) >= 0 and max(delays) <= min(8, 0.5 * 2**attempt)
        assert len(set(delays)) > 100


@pytest.mark.parametrize(
    "given, kept",
    [
        ("https://hub.example.cn/", "https://hub.example.cn"),
        ("http://10.0.0.5:8470", "http://10.0.0.5:8470"),
        ("javascript:alert(1)", ""),  # a hub's answer never becomes another scheme on a screen
        ("file:///etc/passwd", ""),
        ("https://", ""),
        ("https://hub.example.cn/p\n1", ""),
        (None, ""),
        (12, ""),
        ("https://" + "a" * 400 + ".cn", ""),
    ],
)
def test_the_hubs_public_address_is_kept_only_as_a_web_address(given, kept):
    from sync.enroll import web_address

    assert web_address(given) == kept
