"""The hub and its devices hold to one contract (wire/): the documents the hub writes have exactly
the keys wire.documents names, and the hub's checks of each event body take exactly the keys
wire.events names."""

import pytest

from hub.events import handlers
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
