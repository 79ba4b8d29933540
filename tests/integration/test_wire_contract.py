"""The hub and its devices hold to one contract (wire/): the documents the hub writes have exactly
the keys wire.documents names, and the hub's checks of each event body take exactly the keys
wire.events names."""

import pytest

from hub.events import handlers
from hub.postings.models import Posting
from hub.postings.service import own_place
from tests.support.hub import posting_body
from wire import events, protocol
from wire.documents import POSTING_KEYS


def test_a_published_posting_is_the_wire_documents_posting(hub):
    made = hub.ok("POST", "/api/v1/postings", json=posting_body())
    _, device = hub.device()
    r = hub.client.get("/api/v1/sync/snapshot", headers=device)
    _, docs = protocol.decode_snapshot(r.json())
    posting = next(d for k, d in docs if k == "posting" and d["id"] == made["id"])
    assert set(posting) == POSTING_KEYS


def test_a_posting_says_whether_its_point_is_its_own(hub):
    """A station's point (the console's stand-in when staff set none) and 0,0 are not the job's own
    place: devices then show and weigh no distance (floor.matching.placed)."""
    station = next(s for s in hub.ok("GET", "/api/v1/stations") if s["id"] == 1)
    points = {"own": (28.2512, 112.9871), "station": (station["lat"], station["lon"])}
    made = {
        name: hub.ok("POST", "/api/v1/postings", json=posting_body(lat=lat, lon=lon))["id"]
        for name, (lat, lon) in points.items()
    }
    _, device = hub.device()
    _, docs = protocol.decode_snapshot(hub.client.get("/api/v1/sync/snapshot", headers=device).json())
    own = {d["id"]: d["own_place"] for k, d in docs if k == "posting"}
    assert {name: own[pid] for name, pid in made.items()} == {"own": True, "station": False}
    # (the API refuses 0,0; postings from before its checks may hold it)
    assert not own_place(Posting(lat=0.0, lon=0.0), []) and own_place(Posting(lat=28.2512, lon=112.9871), [])


@pytest.mark.parametrize("kind", sorted(events.BODIES))
def test_the_hubs_checks_of_an_event_take_the_wire_events_keys(kind):
    model = {
        "application": handlers.ApplicationBody,
        "booking": handlers.BookingBody,
        "registration": handlers.RegistrationBody,
        "visits": handlers.VisitsBody,
        "play": handlers.PlayBody,
        "report": handlers.ReportBody,
    }[kind]
    taken = {field.alias or name for name, field in model.model_fields.items()}
    sent = set(events.BODIES[kind].__annotations__) | ({events.SEALED} if kind in events.SEALED_KINDS else set())
    assert taken == sent
    assert kind in protocol.EVENT_KINDS
