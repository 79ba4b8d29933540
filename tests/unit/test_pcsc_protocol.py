"""The social-security card application and chip serials, against the simulated card."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cardreader.errors import CardDataError, StatusError
from cardreader.identity import Identity, Kind, Sex
from cardreader.pcsc import apdu
from cardreader.pcsc.socialsecurity import identify
from cardreader.sim import SimulatedCard

HOLDER = Identity(
    kind=Kind.SOCIAL_SECURITY,
    _number="440524188001010014",
    name="李四",
    sex=Sex.MALE,
    nation="壮族",
    birth=dt.date(1880, 1, 1),
    card_number="A12345678",
)


@pytest.mark.parametrize("chunked", [False, True])
def test_social_security_card(chunked):
    card = SimulatedCard(HOLDER, chunked=chunked)
    assert identify(card) == HOLDER
    assert card.apdus[0] == bytes.fromhex("00A404000F7378312E73682EC9E7BBE1B1A3D5CF")
    assert bytes.fromhex("00B2072C0B") in card.apdus and bytes.fromhex("00A4020002EF06") in card.apdus
    if chunked:
        assert any(a[:4] == bytes.fromhex("00C00000") for a in card.apdus)


def test_any_other_card_gives_an_anonymous_chip_serial():
    got = identify(SimulatedCard(None, serial=bytes.fromhex("0011223344556677")))
    assert got.kind is Kind.CHIP_SERIAL and got.reveal_number() == "0011223344556677"
    assert got.to_json()["id_valid"] is None and got.name == ""


class WrongLe:
    def __init__(self):
        self.sent = []

    def transmit(self, a):
        self.sent.append(a)
        return (b"", 0x6C, 0x04) if a[-1] != 4 else (b"\x07\x02ok", 0x90, 0x00)


def test_wrong_length_is_retried_with_the_length_the_card_names():
    card = WrongLe()
    assert apdu.transmit(card, bytes.fromhex("00B2072C0B")) == b"\x07\x02ok"
    assert card.sent[-1][-1] == 4


def test_status_words_are_kept():
    class Refuses:
        def transmit(self, a):
            return b"", 0x69, 0x82

    with pytest.raises(StatusError) as err:
        apdu.transmit(Refuses(), b"\x00\xa4\x04\x00")
    assert err.value.status == 0x6982 and "security status" in str(err.value)


@pytest.mark.parametrize("record", [b"", b"\x07", b"\x07\x09abc", b"\x08\x01a"])
def test_malformed_records(record):
    with pytest.raises(CardDataError):
        apdu.tlv_value(record, 0x07)


class HostileCard:
    """A card that answers every command with what hypothesis draws: any status, any bytes (records
    often well-formed around them, so the parsing behind the TLV layer is reached too)."""

    def __init__(self, data):
        self.data = data

    def transmit(self, apdu):
        sw1, sw2 = self.data.draw(
            st.sampled_from([(0x90, 0x00)] * 12 + [(0x6A, 0x82), (0x61, 0x10), (0x6C, 0x05), (0x6F, 0x00)])
        )
        value = self.data.draw(
            st.one_of(st.binary(max_size=80), st.from_regex(r"[0-9X ]{0,20}", fullmatch=True).map(str.encode))
        )
        if apdu[1] == 0xB2 and self.data.draw(st.booleans()):  # a well-formed record around any value
            value = bytes([apdu[2], min(len(value), 255)]) + value
        return list(value), sw1, sw2


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_any_card_answer_is_an_identity_or_a_card_error(data):
    """Social-security record parsing under fuzzing: garbage yields the package's own errors only."""
    from cardreader.errors import CardReaderError

    try:
        assert isinstance(identify(HostileCard(data)), Identity)
    except CardReaderError:
        pass
