"""The wire between devices and the hub, defined once for both sides: paths, kinds, snapshot codec."""

from __future__ import annotations

import hashlib
import json
import secrets
import string
from collections.abc import Iterable, Iterator

API = "/api/v1"
ENROLL_PATH = f"{API}/devices/enroll"
SYNC_PREFIX = f"{API}/sync/"  # the devices' own routes: no pages, no staff, no audit
SNAPSHOT_PATH = f"{API}/sync/snapshot"
CHANGES_PATH = f"{API}/sync/changes"
# The same changes as a stream, one JSON line per batch (see hub.feed.stream): a device holds one
# response open and the hub writes each batch to it, so a delivery costs the hub a socket write
# and not a request. A line without "changes" is a keep-alive carrying the cursor.
STREAM_PATH = f"{API}/sync/stream"
EVENTS_PATH = f"{API}/sync/events"
HEARTBEAT_PATH = f"{API}/sync/heartbeat"
WORKER_LOOKUP_PATH = f"{API}/workers/lookup"
INTERVIEW_CHECKIN_PATH = f"{API}/interviews/checkin"
# A release's wheel, for the devices it is rolled out to (wire/releases.py); the id is the hub's
# record number, the only part of the path a device takes from the hub (as an integer).
RELEASE_WHEEL_PATH = f"{API}/sync/releases/{{release_id}}/wheel"

# Long polls are held under 30 s (RFC 6202); the hub caps what a device asks for.
MAX_WAIT_S = 25
# A stream says something at least every `beat` seconds (the device's asked, at most this), so a
# device knows a silent link from a quiet market and proxies do not time it out.
MAX_BEAT_S = 25
# The largest cursor the hub takes (hub.feed.params): a sequence number, or a restore's marker
# (microseconds since 1970, hub.feed.service.mark_restored).
MAX_CURSOR = 2**62

# What devices hold, in the order a snapshot lists them (referenced kinds before referencing ones).
DOC_KINDS = (
    "category",
    "trade",
    "station",
    "employer",
    "posting",
    "slot",
    "course",
    "departure",
    "fair",
    "team",
    "announcement",
    "figures",
    "market",
    "device",
)

# What devices send up through the outbox.
EVENT_KINDS = ("application", "registration", "booking", "play", "checkin", "visits")
# Device kinds, and which event kinds each may send.
DEVICE_KINDS = ("kiosk", "display", "booth")
ALLOWED_EVENTS = {
    "kiosk": frozenset({"application", "registration", "booking", "visits"}),
    "booth": frozenset({"application", "registration", "booking", "checkin"}),
    "display": frozenset({"play"}),
}
# 举报 (hub.trust): a worker reports a posting at a kiosk, sealed like an application.
EVENT_KINDS += ("report",)
ALLOWED_EVENTS["kiosk"] |= {"report"}
# 技能培训 (hub.training): a seat on a course, taken with the card at a kiosk, sealed like an application.
EVENT_KINDS += ("course_signup",)
ALLOWED_EVENTS["kiosk"] |= {"course_signup"}
# 包车 (hub.buses): a seat on a chartered bus, taken with the card at a kiosk, sealed like an application.
EVENT_KINDS += ("bus_signup",)
ALLOWED_EVENTS["kiosk"] |= {"bus_signup"}
# 招聘会叫号 (hub.fairs): a number at a booth, taken with the card at a kiosk in the hall, sealed.
EVENT_KINDS += ("fair_ticket",)
ALLOWED_EVENTS["kiosk"] |= {"fair_ticket"}
MAX_EVENTS_PER_BATCH = 200

PUT, DELETE = "put", "del"


def etag(cursor: int) -> str:
    return f'"{cursor}"'


def parse_etag(value: str | None) -> int | None:
    if not value:
        return None
    value = value.strip()
    if value.startswith("W/"):
        value = value[2:]
    try:
        return int(value.strip('"'))
    except ValueError:
        return None


def encode_snapshot(cursor: int, docs: Iterable[tuple[str, dict]]) -> bytes:
    """Columnar JSON: each kind's keys once, then one array per document (small after gzip)."""
    tables: dict[str, dict] = {}
    for kind, doc in docs:
        table = tables.setdefault(kind, {"cols": list(doc), "rows": []})
        cols = table["cols"]
        for key in doc:
            if key not in cols:
                cols.append(key)
        table["rows"].append(doc)
    for table in tables.values():
        cols = table["cols"]
        table["rows"] = [[doc.get(c) for c in cols] for doc in table["rows"]]
    body = {"cursor": cursor, "kinds": tables}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def decode_snapshot(body: dict) -> tuple[int, Iterator[tuple[str, dict]]]:
    """The cursor, and every (kind, document) of a decoded snapshot body."""
    if not isinstance(body, dict) or not isinstance(body.get("cursor"), int):
        raise ValueError("snapshot without a cursor")

    def docs() -> Iterator[tuple[str, dict]]:
        for kind, table in body.get("kinds", {}).items():
            cols = table["cols"]
            for row in table["rows"]:
                yield kind, dict(zip(cols, row))

    return body["cursor"], docs()


def booking_code(device_id: int, n: int) -> str:
    """The code on an interview booking's receipt (like an application's, marked as a booking)."""
    return f"M{device_id}-{n:04d}"


def signup_code(device_id: int, n: int) -> str:
    """The code on a course sign-up's receipt (like an application's, marked as training: 培)."""
    return f"P{device_id}-{n:04d}"


def bus_code(device_id: int, n: int) -> str:
    """The code on a bus seat's receipt (like an application's, marked as a bus: B)."""
    return f"B{device_id}-{n:04d}"


def ticket_secret() -> str:
    """The key to a fair number's phone page, drawn by the kiosk: 32 letters (about 180 bits) and no
    digit — a run of digits could read as an ID number or a phone, which the outbox refuses in clear."""
    return "".join(secrets.choice(string.ascii_letters) for _ in range(32))


def ticket_code(device_id: int, n: int) -> str:
    """A fair number's event, known before the hub answers with the number itself (A023)."""
    return f"F{device_id}-{n:04d}"


# The `reason` of an applied application whose posting had ended (closed, filled, run out) by the
# time it reached the hub, the kiosk having been offline: it stands, and the station offers similar work.
POSTING_ENDED = "posting_ended"


def application_code(device_id: int, n: int) -> str:
    """The code on a kiosk's receipt, known before the hub answers: device and event number."""
    return f"{device_id}-{n:04d}"


def digest(rows: Iterable[tuple[str, int, str]], now: float) -> str:
    """A hash of the live shared documents (kind, id, JSON) a device holds or should hold."""
    h = hashlib.sha256()
    for kind, ident, doc in sorted(rows, key=lambda r: (r[0], r[1])):
        if kind == "device":
            continue
        to = json.loads(doc).get("to")
        if isinstance(to, int) and to <= now:
            continue
        h.update(f"{kind}\x00{ident}\x00{doc}\x00".encode())
    return h.hexdigest()
