"""ISO 7816-4 command APDUs and status words, with GET RESPONSE and wrong-length retries handled."""

from __future__ import annotations

from ..connection import CardConnection
from ..errors import CardDataError, StatusError

SW_OK = 0x9000
GET_RESPONSE = bytes.fromhex("00C00000")
SW_MEANINGS = {
    0x6281: "part of the data may be corrupted",
    0x6700: "wrong length",
    0x6982: "security status not satisfied",
    0x6985: "conditions of use not satisfied",
    0x6A81: "function not supported",
    0x6A82: "file or application not found",
    0x6A83: "record not found",
    0x6A86: "incorrect P1 P2",
    0x6B00: "wrong parameters P1 P2",
    0x6D00: "instruction not supported",
    0x6E00: "class not supported",
    0x6F00: "no precise diagnosis",
}


def meaning(sw: int) -> str:
    return SW_MEANINGS.get(sw, "card refused the command")


def transmit(connection: CardConnection, apdu: bytes) -> bytes:
    """Sends `apdu` and returns its data; StatusError (keeping the SW) for anything but 90 00.
    61 xx is answered with GET RESPONSE; 6C xx (wrong Le) is retried with the length the card named."""
    data, sw1, sw2 = connection.transmit(apdu)
    if sw1 == 0x6C and len(apdu) >= 5:
        data, sw1, sw2 = connection.transmit(apdu[:-1] + bytes([sw2]))
    out = bytes(data)
    rounds = 0
    while sw1 == 0x61:
        rounds += 1
        if rounds > 32:
            raise StatusError(0x6100 | sw2, "the card keeps answering 61 xx")
        data, sw1, sw2 = connection.transmit(GET_RESPONSE + bytes([sw2 or 0]))
        out += bytes(data)
    sw = (sw1 << 8) | sw2
    if sw != SW_OK:
        raise StatusError(sw, meaning(sw), raw=out)
    return out


def read_record(connection: CardConnection, number: int, p2: int, le: int) -> bytes:
    return transmit(connection, bytes([0x00, 0xB2, number, p2, le]))


def tlv_value(record: bytes, tag: int | None = None) -> bytes:
    """The value of a `tag len value` record (tag checked when given)."""
    if len(record) < 2:
        raise CardDataError(f"record of {len(record)} bytes has no tag and length")
    if tag is not None and record[0] != tag:
        raise CardDataError(f"record tag {record[0]:02X}, expected {tag:02X}")
    length = record[1]
    if length > len(record) - 2:
        raise CardDataError(f"record says {length} value bytes, carries {len(record) - 2}")
    return record[2 : 2 + length]
