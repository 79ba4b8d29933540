"""The whole HTTP seam between a device and the hub: one requests session, retries, backoff, Retry-After."""

from __future__ import annotations

import email.utils
import json as jsonlib
import os
import random
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import urlencode

import requests
import urllib3.exceptions as urllib3_errors

from floor import __version__
from wire import protocol

from .errors import Forbidden, HubRejected, HubUnreachable, ResetRequired, Unauthorized

# Worth another try: the hub or something in front of it is busy, restarting or overloaded.
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
NETWORK_ERRORS = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with full jitter, so a hall of devices does not retry in step."""

    attempts: int = 4
    base_s: float = 0.5
    cap_s: float = 30.0
    retry_after_cap_s: float = 300.0

    def delay(self, attempt: int, rng: random.Random = random._inst) -> float:
        return rng.uniform(0, min(self.cap_s, self.base_s * 2**attempt))


def retry_after(response: requests.Response) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date), if there is one."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    if value.strip().isascii() and value.strip().isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _detail(response: requests.Response) -> object:
    try:
        return response.json().get("error", response.text)
    except ValueError:
        return response.text[:200]


# The longest line a stream may send: far above the largest first line (5,000 changes, a few MB),
# far below what would fill a device's memory.
MAX_LINE_BYTES = 32 << 20


def _lines(raw) -> Iterator[bytes]:
    """The non-empty lines of a streamed body as their bytes arrive — chunked or not (a proxy may
    re-frame it): read1 gives what has come, where read(n) would wait for n bytes."""
    pending = bytearray()
    while data := raw.read1(65536):
        pending += data
        while (end := pending.find(b"\n")) >= 0:
            line = bytes(pending[:end]).strip()
            del pending[: end + 1]
            if line:
                yield line
        if len(pending) > MAX_LINE_BYTES:
            raise HubUnreachable(f"a stream's line over {MAX_LINE_BYTES} bytes")
    if pending.strip():
        raise HubUnreachable("a stream's last line cut short")


def _stream_line(line: bytes) -> tuple[int, list[dict]]:
    """(cursor, changes) of one line, or HubUnreachable for anything a device cannot use: what a
    broken proxy or a hostile hub may write must not reach the store."""
    try:
        body = jsonlib.loads(line)
    except ValueError:
        raise HubUnreachable("a stream's line is not JSON") from None
    return _checked(body)


def _checked(body: object) -> tuple[int, list[dict]]:
    """(cursor, changes) of a feed answer, or HubUnreachable if a device cannot use it."""
    cursor = body.get("cursor") if isinstance(body, dict) else None
    changes = body.get("changes", []) if isinstance(body, dict) else None
    if type(cursor) is not int or not 0 <= cursor <= protocol.MAX_CURSOR:
        raise HubUnreachable("a feed answer without a usable cursor")
    if not isinstance(changes, list) or not all(isinstance(c, dict) for c in changes):
        raise HubUnreachable("a feed answer whose changes are not a list of objects")
    return cursor, changes


class HubSession:
    """Every call a device makes to the hub goes through here."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        retry: RetryPolicy = RetryPolicy(),
        connect_timeout: float = 5.0,
        read_timeout: float = 15.0,
    ):
        self.base_url = base_url.rstrip("/")
        self.retry = retry
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self._closed = threading.Event()
        self.wire_in = 0  # bytes received, headers included (station links are often metered)
        self.wire_out = 0
        self._http = requests.Session()
        # Proxies from the environment are read once here, not on every request (requests would
        # walk os.environ for each call: a measurable cost on a long-polling device).
        self._http.proxies.update(requests.utils.get_environ_proxies(self.base_url))
        # A hub behind a city's own certificate authority: the device trusts the CA file named as
        # for any requests program (REQUESTS_CA_BUNDLE, set by whoever installs the device), read
        # once too. The hub's key is pinned at enrollment either way.
        self._verify: str | bool = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
        self._http.trust_env = False
        # HTTP/1.1 keeps connections alive without asking; every header costs on every long poll.
        self._http.headers.clear()
        self._http.headers["User-Agent"] = f"lingong/{__version__}"
        self._http.headers["Accept-Encoding"] = "gzip"
        if token:
            self._http.headers["Authorization"] = f"Bearer {token}"
        # Session headers are merged into one prepared request per method, once; each call sends a
        # copy. requests would otherwise re-merge every setting on every call, which is most of a
        # long-polling device's CPU.
        self._templates: dict[str, requests.PreparedRequest] = {}

    def close(self) -> None:
        """Stops retries waiting in other threads and closes the connections."""
        self._closed.set()
        self._http.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        json: object = None,
        params: dict | None = None,
        headers: dict | None = None,
        read_timeout: float | None = None,
        retry: RetryPolicy | None = None,
        stream: bool = False,
    ) -> requests.Response:
        """Sends, retrying network errors and retryable statuses; 2xx/304/410 come back, other
        4xx raise HubRejected (401 Unauthorized, 403 Forbidden), exhaustion raises HubUnreachable."""
        policy = retry or self.retry
        timeout = (self.connect_timeout, read_timeout or self.read_timeout)
        for attempt in range(policy.attempts):
            try:
                response = self._send(method, path, json, params, headers, timeout, stream)
            except NETWORK_ERRORS as exc:
                problem, wait = f"{type(exc).__name__}", policy.delay(attempt)
            else:
                self._account(response, streamed=stream and response.status_code == 200)
                status = response.status_code
                if status < 400 or status in (304, 410):
                    return response
                if status == 401:
                    raise Unauthorized(status, _detail(response))
                if status == 403:
                    raise Forbidden(status, _detail(response))
                if status not in RETRY_STATUSES:
                    raise HubRejected(status, _detail(response))
                hinted = retry_after(response)
                problem = f"HTTP {status}"
                wait = min(hinted, policy.retry_after_cap_s) if hinted is not None else policy.delay(attempt)
            if attempt + 1 == policy.attempts or self._closed.wait(wait):
                break
        raise HubUnreachable(f"{method} {path}: {problem}")

    def _send(
        self,
        method: str,
        path: str,
        body: object,
        params: dict | None,
        headers: dict | None,
        timeout: tuple[float, float],
        stream: bool = False,
    ) -> requests.Response:
        template = self._templates.get(method)
        if template is None:
            template = self._templates[method] = self._http.prepare_request(requests.Request(method, self.base_url))
        prepared = template.copy()
        prepared.url = self.base_url + path + (f"?{urlencode(params)}" if params else "")
        if headers:
            prepared.headers.update(headers)
        if body is not None:
            prepared.prepare_body(data=None, files=None, json=body)
        return self._http.send(
            prepared,
            timeout=timeout,
            allow_redirects=False,
            proxies=self._http.proxies,
            stream=stream,
            verify=self._verify,
            cert=None,
        )

    def _account(self, response: requests.Response, streamed: bool = False) -> None:
        """Counts the bytes of a call; a stream's body is counted line by line as it is read."""
        request = response.request
        self.wire_out += (
            len(f"{request.method} {request.path_url} HTTP/1.1\r\n")
            + sum(len(k) + len(v) + 4 for k, v in request.headers.items())
            + 2
            + len(request.body or b"")
        )
        if streamed:
            raw = 0
        else:
            body = response.content  # read fully here, so the raw stream's position is the wire size
            raw = response.raw.tell() if hasattr(response.raw, "tell") else len(body)
        self.wire_in += (
            len("HTTP/1.1 200 OK\r\n") + sum(len(k) + len(v) + 4 for k, v in response.headers.items()) + 2 + raw
        )

    # ---- the protocol's calls -------------------------------------------------------------------
    def enroll(self, code: str, app_version: str = __version__) -> dict:
        return self.request("POST", protocol.ENROLL_PATH, json={"code": code, "app_version": app_version}).json()

    def device_doc(self) -> dict:
        return self.request("GET", f"{protocol.API}/devices/me").json()

    def snapshot(self) -> tuple[int, dict]:
        response = self.request("GET", protocol.SNAPSHOT_PATH, read_timeout=120)
        body = response.json()
        return body["cursor"], body

    def changes(self, since: int, wait: float) -> tuple[int, list[dict]]:
        """(cursor, changes) after `since`; an empty list when the hub had nothing for us."""
        wait = min(wait, protocol.MAX_WAIT_S)
        response = self.request(
            "GET", protocol.CHANGES_PATH, params={"since": since, "wait": wait}, read_timeout=wait + self.read_timeout
        )
        if response.status_code == 410:
            raise ResetRequired(_detail(response))
        if response.status_code == 304:
            cursor = protocol.parse_etag(response.headers.get("ETag"))
            return (cursor if cursor is not None else since), []
        try:
            body = response.json()
        except ValueError:
            raise HubUnreachable("a feed answer that is not JSON") from None
        return _checked(body)

    def stream(self, since: int, beat: float) -> Iterator[tuple[int, list[dict]]]:
        """(cursor, changes) for each line of the hub's change stream, from after `since` on; a
        keep-alive line gives no changes. Ends when the hub ends the stream (the caller reconnects
        from its cursor). Raises ResetRequired for a cursor the hub no longer has, HubRejected
        (404) from a hub older than streams, and HubUnreachable for the network's errors and for
        any line it cannot use (a broken link: it reconnects from the cursor it holds)."""
        beat = max(1.0, min(beat, protocol.MAX_BEAT_S))
        response = self.request(
            "GET",
            protocol.STREAM_PATH,
            params={"since": since, "beat": beat},
            read_timeout=beat + self.read_timeout,  # a line comes at least every `beat` seconds
            stream=True,
        )
        with response:
            if response.status_code == 410:
                raise ResetRequired(_detail(response))
            try:
                for line in _lines(response.raw):
                    self.wire_in += len(line) + 8  # the line, its newline and the chunk's framing
                    yield _stream_line(line)
            except NETWORK_ERRORS + (urllib3_errors.HTTPError, OSError) as exc:
                raise HubUnreachable(f"GET {protocol.STREAM_PATH}: {type(exc).__name__}") from exc

    def post_events(self, events: list[dict], acked_through: int | None = None) -> dict:
        """`acked_through`: the highest number the hub acknowledged before; a hub that holds less
        (restored from a backup) takes nothing and answers `resend_from`."""
        body = {"events": events, **({"acked_through": acked_through} if acked_through is not None else {})}
        return self.request("POST", protocol.EVENTS_PATH, json=body).json()

    def lookup_worker(self, sealed_person: str) -> dict:
        """What the hub knows of a worker (their intention, a masked phone, what they applied to)."""
        return self.request(
            "POST",
            protocol.WORKER_LOOKUP_PATH,
            json={"person": sealed_person},
            retry=RetryPolicy(attempts=1),
            read_timeout=3.0,
        ).json()

    def check_in(self, sealed_person: str) -> dict:
        """A card at a booth: the room of the worker's interview now, or the booth's next free slots."""
        return self.request(
            "POST",
            protocol.INTERVIEW_CHECKIN_PATH,
            json={"person": sealed_person},
            retry=RetryPolicy(attempts=2),
            read_timeout=5.0,
        ).json()

    def download_release(self, release_id: int, out: BinaryIO, size: int) -> None:
        """A release's wheel into `out`, streamed (a wheel is tens of MB; a device has little memory).
        The path is built here from the id alone; more than `size` bytes, or fewer, is an error. No
        retries: the next heartbeat offers the release again."""
        path = protocol.RELEASE_WHEEL_PATH.format(release_id=int(release_id))
        response = self._http.get(
            self.base_url + path,
            timeout=(self.connect_timeout, self.read_timeout),
            headers={"Accept-Encoding": "identity"},
            allow_redirects=False,
            stream=True,
            verify=self._verify,
            proxies=self._http.proxies,
        )
        with response:
            if response.status_code != 200:
                if response.status_code == 401:
                    raise Unauthorized(401, _detail(response))
                raise HubRejected(response.status_code, _detail(response))
            got = 0
            # Content-Encoding is not undone: the wheel is sent as it is stored, and hashed as received.
            for chunk in response.raw.stream(1 << 16, decode_content=False):
                got += len(chunk)
                if got > size:
                    raise HubRejected(200, "the release is larger than its signed size")
                out.write(chunk)
                self.wire_in += len(chunk)
            if got != size:
                raise HubUnreachable(f"release {release_id}: {got} of {size} bytes")

    def heartbeat(self, state: dict) -> dict:
        """The device's state to the hub; the answer says how far the hub holds this device's events."""
        response = self.request("POST", protocol.HEARTBEAT_PATH, json=state, retry=RetryPolicy(attempts=1))
        try:
            answer = response.json() if response.content else {}
        except ValueError:
            answer = {}
        return answer if isinstance(answer, dict) else {}
