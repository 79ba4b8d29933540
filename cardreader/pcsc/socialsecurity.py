"""The social-security card (社会保障卡) application over PC/SC, and the chip serial of other cards.

Data types follow the card specification as we understand it: `an` fields are ASCII (names GBK),
`cn` fields are BCD. Sex and nation are one byte each; both the character/BCD forms and plain
binary codes are accepted, since readers of the reference saw both."""

from __future__ import annotations

import datetime as dt

from ..connection import CardConnection
from ..errors import CardDataError, StatusError
from ..identity import Identity, Kind, Sex
from ..nations import nation_name
from .apdu import read_record, tlv_value, transmit

# "sx1.sh.社会保障" in GBK: the card's application identifier.
SELECT_SSC = bytes.fromhex("00A404000F7378312E73682EC9E7BBE1B1A3D5CF")
SELECT_EF06 = bytes.fromhex("00A4020002EF06")
EF05_SFI_P2 = 0x2C  # read record by number in the EF with short file identifier 5
CURRENT_EF_P2 = 0x00
GET_CHIP_SERIAL = bytes.fromhex("0036000008")  # resident ID card on a plain contactless reader

# EF05 records
CARD_NUMBER = (0x07, 0x0B)  # (record, Le): 9 characters
# EF06 records
SOCIAL_SECURITY_NUMBER = (0x08, 0x14)  # 18 characters: the ID number
NAME = (0x09, 0x20)  # 30 bytes GBK
SEX = (0x0A, 0x03)
NATION = (0x0B, 0x03)
BIRTH = (0x0D, 0x06)  # BCD YYYYMMDD


def _text(value: bytes, encoding: str = "ascii") -> str:
    try:
        return value.decode(encoding).rstrip(" \x00\xff")
    except UnicodeDecodeError:
        raise CardDataError(f"field is not {encoding} text") from None


def _bcd(value: bytes) -> str:
    digits = value.hex()
    if not digits.isdigit():
        raise CardDataError(f"BCD field {digits.upper()} holds non-digits")
    return digits


def _sex(value: bytes) -> Sex:
    if not value:
        return Sex.UNKNOWN
    code = chr(value[0]) if value[0] >= 0x30 else str(value[0])
    return Sex.of_code(code)


def _nation(value: bytes) -> str | None:
    if not value:
        return None
    bcd = value.hex()
    code = int(bcd) if bcd.isdigit() else value[0]
    return nation_name(code)


class SocialSecuritySession:
    def __init__(self, connection: CardConnection):
        self.connection = connection

    def select(self) -> None:
        """StatusError (typically 6A82) when the card has no social-security application."""
        transmit(self.connection, SELECT_SSC)

    def _record(self, spec: tuple[int, int], p2: int, tag: int) -> bytes:
        number, le = spec
        return tlv_value(read_record(self.connection, number, p2, le), tag)

    def read(self) -> Identity:
        self.select()
        card_number = _text(self._record(CARD_NUMBER, EF05_SFI_P2, CARD_NUMBER[0]))
        transmit(self.connection, SELECT_EF06)
        number = _text(self._record(SOCIAL_SECURITY_NUMBER, CURRENT_EF_P2, SOCIAL_SECURITY_NUMBER[0])).upper()
        name = _text(self._record(NAME, CURRENT_EF_P2, NAME[0]), "gbk")
        sex = _sex(self._record(SEX, CURRENT_EF_P2, SEX[0]))
        nation = _nation(self._record(NATION, CURRENT_EF_P2, NATION[0]))
        born = _bcd(self._record(BIRTH, CURRENT_EF_P2, BIRTH[0]))
        try:
            birth = dt.date(int(born[0:4]), int(born[4:6]), int(born[6:8]))
        except ValueError:
            raise CardDataError(f"birth date {born} is not a date") from None
        if not number:
            raise CardDataError("the card carries no social security number")
        return Identity(
            kind=Kind.SOCIAL_SECURITY,
            _number=number,
            name=name,
            sex=sex,
            nation=nation,
            birth=birth,
            card_number=card_number,
        )


def chip_serial(connection: CardConnection) -> Identity:
    """An anonymous identity from the chip serial: it names a card, never a person."""
    serial = transmit(connection, GET_CHIP_SERIAL)
    if not serial:
        raise CardDataError("the card returned an empty serial")
    return Identity(kind=Kind.CHIP_SERIAL, _number=serial.hex().upper())


def identify(connection: CardConnection) -> Identity:
    """A social-security card's holder, or any other card's chip serial."""
    try:
        return SocialSecuritySession(connection).read()
    except StatusError:
        return chip_serial(connection)
