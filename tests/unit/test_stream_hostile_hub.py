"""HubSession.stream against a hub that writes raw bytes: what a broken or hostile hub may send a device."""

import json
import socket
import threading

import pytest

from sync import session as session_module
from sync.errors import HubUnreachable
from sync.session import HubSession, RetryPolicy

HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\n"


class RawHub:
    """Accepts one connection at a time, reads the request, and lets `answer(conn)` write anything."""

    def __init__(self, answer):
        self.answer = answer
        self.sent = 0  # bytes the answer got onto the socket before the device hung up
        self.done = threading.Event()  # the test is over: answers that hold the connection stop
        self._sock = socket.create_server(("127.0.0.1", 0))
        self.port = self._sock.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            with conn:
                request = b""
                while b"\r\n\r\n" not in request:
                    got = conn.recv(4096)
                    if not got:
                        break
                    request += got
                try:
                    self.answer(self, conn)
                except OSError:  # the device hung up: what it did is what the test looks at
                    pass

    def send(self, conn, data: bytes) -> None:
        conn.sendall(data)
        self.sent += len(data)

    def close(self):
        self.done.set()
        self._sock.close()


def chunk(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(data), data)


def chunked_lines(*lines: bytes):
    def answer(hub, conn):
        hub.send(conn, HEAD + b"Transfer-Encoding: chunked\r\n\r\n")
        for line in lines:
            hub.send(conn, chunk(line + b"\n"))
        hub.send(conn, b"0\r\n\r\n")

    return answer


def session_for(hub: RawHub, read_timeout: float = 5.0) -> HubSession:
    return HubSession(f"http://127.0.0.1:{hub.port}", "tok", retry=RetryPolicy(attempts=1), read_timeout=read_timeout)


@pytest.fixture
def raw_hub():
    made = []

    def make(answer) -> RawHub:
        made.append(RawHub(answer))
        return made[-1]

    yield make
    for hub in made:
        hub.close()


def test_a_line_on_a_stream_without_chunked_framing_arrives_as_it_is_written(raw_hub):
    def answer(hub, conn):
        # HTTP/1.0-style framing, as some proxies re-frame a streamed response: the body ends when
        # the connection closes. The line is there; the rest of the stream is still to come.
        hub.send(conn, HEAD + b"Connection: close\r\n\r\n" + b'{"cursor":5}\n')
        hub.done.wait(20)

    hub = raw_hub(answer)
    lines = session_for(hub, read_timeout=2.0).stream(3, beat=1)
    try:
        assert next(lines) == (5, [])
    finally:
        hub.done.set()
        lines.close()


def test_a_line_without_end_is_refused_before_it_fills_the_device(raw_hub, monkeypatch):
    # The limit the fix would add, lowered so the test sends little (a real one: well above the
    # largest first line, 5,000 changes).
    monkeypatch.setattr(session_module, "MAX_LINE_BYTES", 1 << 20, raising=False)
    piece = b"x" * (1 << 20)

    def answer(hub, conn):
        hub.send(conn, HEAD + b"Transfer-Encoding: chunked\r\n\r\n" + chunk(b'{"cursor":5,"changes":["'))
        for _ in range(32):
            hub.send(conn, chunk(piece))
        hub.send(conn, b"0\r\n\r\n")

    hub = raw_hub(answer)
    with pytest.raises(HubUnreachable):
        list(session_for(hub).stream(3, beat=1))
    assert hub.sent < 16 << 20  # it hung up soon after the limit, not at the end of 32 MB


CHANGE = {"seq": 9, "k": "trade", "id": 1, "op": "put", "d": {"id": 1, "name": "钢筋"}}


@pytest.mark.parametrize(
    "line",
    [
        b"<html>captive portal</html>",
        b"[1, 2]",
        b'"cursor"',
        b'{"changes": []}',
        b'{"cursor": "x"}',
        b'{"cursor": NaN}',
        b'{"cursor": 12, "changes": [',  # cut on its way
        b'{"cursor": 1e999}',
        b'{"cursor": 12, "changes": {"k": "posting"}}',
        b'{"cursor": 12, "changes": "abc"}',
        b'{"cursor": 12, "changes": [1, 2]}',
        json.dumps({"cursor": -1, "changes": [CHANGE]}).encode(),
        json.dumps({"cursor": 2**63, "changes": [CHANGE]}).encode(),
    ],
)
def test_a_line_a_device_cannot_use_is_a_broken_line(raw_hub, line):
    """Each such line ends the stream as a broken link (HubUnreachable: reconnect from the cursor
    held), never as something the agent applies or an error of another kind."""
    hub = raw_hub(chunked_lines(line))
    with pytest.raises(HubUnreachable):
        list(session_for(hub).stream(3, beat=1))
