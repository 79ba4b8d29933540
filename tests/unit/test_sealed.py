"""HPKE sealing: only the hub's key opens a body, and only as what it was sealed for."""

import pytest

from wire import sealed
from wire.errors import SealError


def test_seal_and_open_round_trip():
    key = sealed.generate_private_key()
    person = {"id_number": "11010519491231002X", "name": "张三", "phone": None}
    context = sealed.event_context(7, "application", 12)
    box = sealed.seal(sealed.public_key_text(key), person, context)
    assert box.startswith("v2.") and "张三" not in box
    assert sealed.open_sealed(key, box, context) == person
    assert sealed.seal(sealed.public_key_text(key), person, context) != box  # fresh ephemeral key each time


@pytest.mark.parametrize(
    "elsewhere",
    [
        sealed.event_context(8, "application", 12),  # another kiosk submits it
        sealed.event_context(7, "registration", 12),  # as another kind of event
        sealed.event_context(7, "application", 13),  # under another number
        sealed.lookup_context(7),  # an application's body replayed as a lookup
    ],
)
def test_a_body_does_not_open_anywhere_else(elsewhere):
    """Finding 3 of the security review: a constant label let kiosk B submit kiosk A's sealed body,
    or an application's body be replayed as a registration or a lookup."""
    key = sealed.generate_private_key()
    box = sealed.seal(sealed.public_key_text(key), {"a": 1}, sealed.event_context(7, "application", 12))
    with pytest.raises(SealError):
        sealed.open_sealed(key, box, elsewhere)


def test_wrong_key_and_garbage_are_refused():
    key, other = sealed.generate_private_key(), sealed.generate_private_key()
    context = sealed.lookup_context(1)
    box = sealed.seal(sealed.public_key_text(key), {"a": 1}, context)
    for bad in (box, "v2.AAAA", "plain", "v1." + box[3:]):
        with pytest.raises(SealError):
            sealed.open_sealed(other if bad == box else key, bad, context)


def test_fingerprint_is_stable_and_short():
    key = sealed.generate_private_key()
    text = sealed.public_key_text(key)
    assert sealed.fingerprint(text) == sealed.fingerprint(text)
    assert len(sealed.fingerprint(text)) == 24 and sealed.fingerprint(text).count("-") == 4
