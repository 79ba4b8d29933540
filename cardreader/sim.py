"""Simulated readers and cards: the device side of both protocols, for the demo and as the test
transport. Real transports (a pseudo-terminal, pcscd's virtual reader) can wrap the same engines."""

from __future__ import annotations

import datetime as dt
import os
import threading

from floor import idnumber

from .errors import ReaderUnavailable
from .identity import LONG_TERM, Identity, Kind, Sex
from .nations import NATIONS, OTHER
from .pcsc import socialsecurity as ssc
from .sam import frames
from .sam.text import encode_text

PHOTO_LEN = 1024


class SamEngine:
    """Answers GA/T 467 command frames the way a certified reader does.

    `read_once`: after a successful read, find answers 80 (no card) while the same card stays on
    the reader — what many models do, and why drivers treat a run of 80s as removal."""

    def __init__(self, *, read_once: bool = True):
        self.card: Identity | None = None
        self.read_once = read_once
        self._read_done = False
        self.fail_reads = 0  # answer this many reads with 41 (read failed)
        self.commands: list[tuple[int, int]] = []

    def place(self, identity: Identity | None) -> None:
        self.card, self._read_done = identity, False

    def remove(self) -> None:
        self.place(None)

    def respond(self, command: bytes) -> bytes:
        if len(command) < 10 or command[:5] != frames.PREAMBLE:
            return frames.response(0x21)
        if frames.checksum(command[5:-1]) != command[-1]:
            return frames.response(0x10)
        cmd = (command[7], command[8])
        self.commands.append(cmd)
        if cmd in (frames.RESET_SAM, frames.SAM_STATUS):
            return frames.response(frames.SW_SUCCESS)
        if cmd == frames.READ_SAM_ID:
            return frames.response(frames.SW_SUCCESS, bytes(range(16)))
        if cmd == frames.FIND_CARD:
            present = self.card is not None and not (self.read_once and self._read_done)
            return frames.response(frames.SW_CARD_FOUND, bytes(4)) if present else frames.response(0x80)
        if cmd == frames.SELECT_CARD:
            return frames.response(frames.SW_SUCCESS, bytes(8)) if self.card else frames.response(0x81)
        if cmd == frames.READ_TEXT_PHOTO:
            if self.card is None:
                return frames.response(0x41)
            if self.fail_reads:
                self.fail_reads -= 1
                return frames.response(0x41)
            self._read_done = True
            text = encode_text(self.card)
            photo = os.urandom(PHOTO_LEN)  # opaque WLT bytes: nobody may depend on them
            data = len(text).to_bytes(2, "big") + len(photo).to_bytes(2, "big") + text + photo
            return frames.response(frames.SW_SUCCESS, data)
        return frames.response(0x21)


class SimulatedSerial:
    """A ByteConnection to a SamEngine in memory. `faults` may hold bytes to slip in before the
    next answer (garbage), or the words "corrupt" / "truncate" for the next answer."""

    def __init__(self, engine: SamEngine):
        self.engine = engine
        self.faults: list[bytes | str] = []
        self.unplugged = False
        self._pending = bytearray()
        self._ready = threading.Condition()

    def write(self, data: bytes) -> None:
        if self.unplugged:
            raise ReaderUnavailable("simulated reader unplugged")
        answer = self.engine.respond(bytes(data))
        fault = self.faults.pop(0) if self.faults else None
        if isinstance(fault, bytes):
            answer = fault + answer
        elif fault == "corrupt":
            answer = answer[:-1] + bytes([answer[-1] ^ 0xFF])
        elif fault == "truncate":
            answer = answer[: len(answer) // 2]
        with self._ready:
            self._pending += answer
            self._ready.notify_all()

    def read(self, size: int, timeout: float) -> bytes:
        if self.unplugged:
            raise ReaderUnavailable("simulated reader unplugged")
        with self._ready:
            if not self._pending:
                self._ready.wait(timeout)
            out = bytes(self._pending[:size])
            del self._pending[:size]
            return out

    def close(self) -> None:
        pass


class SimulatedCard:
    """A CardConnection: a social-security card (give `identity`) or any other card (chip only).
    `chunked` answers reads with 61 xx so the reader must send GET RESPONSE."""

    def __init__(
        self,
        identity: Identity | None = None,
        *,
        serial: bytes = bytes.fromhex("0123456789ABCDEF"),
        chunked: bool = False,
    ):
        self.identity = identity
        self.serial = serial
        self.chunked = chunked
        self.apdus: list[bytes] = []
        self._selected = None
        self._pending = b""

    def _records(self) -> dict[tuple[str, int], bytes]:
        i = self.identity
        name = i.name.encode("gbk").ljust(30, b" ")
        sex = {"male": b"1", "female": b"2"}.get(i.sex.value, b"0")
        nation = bytes.fromhex(f"{_nation_code(i.nation):02d}")
        return {
            ("ef05", 0x07): i.card_number.encode().ljust(9, b" ")[:9],
            ("ef06", 0x08): i.reveal_number().encode(),
            ("ef06", 0x09): name,
            ("ef06", 0x0A): sex,
            ("ef06", 0x0B): nation,
            ("ef06", 0x0D): bytes.fromhex(i.birth.strftime("%Y%m%d")),
        }

    def _answer(self, data: bytes) -> tuple[bytes, int, int]:
        if self.chunked and data:
            self._pending = data
            return b"", 0x61, len(data)
        return data, 0x90, 0x00

    def transmit(self, apdu: bytes) -> tuple[bytes, int, int]:
        apdu = bytes(apdu)
        self.apdus.append(apdu)
        if apdu[:4] == bytes.fromhex("00C00000"):
            data, self._pending = self._pending, b""
            return data, 0x90, 0x00
        if apdu == ssc.GET_CHIP_SERIAL:
            return self._answer(self.serial)
        if apdu == ssc.SELECT_SSC:
            if self.identity is None:
                return b"", 0x6A, 0x82
            self._selected = "ef05"
            return b"", 0x90, 0x00
        if apdu == ssc.SELECT_EF06 and self.identity is not None:
            self._selected = "ef06"
            return b"", 0x90, 0x00
        if apdu[:2] == b"\x00\xb2" and self._selected:
            value = self._records().get(("ef05" if apdu[3] == ssc.EF05_SFI_P2 else self._selected, apdu[2]))
            if value is None:
                return b"", 0x6A, 0x83
            return self._answer(bytes([apdu[2], len(value)]) + value)
        return b"", 0x6D, 0x00

    def close(self) -> None:
        pass


def _nation_code(nation: str | None) -> int:
    for code, name in {**NATIONS, **OTHER}.items():
        if nation in (name, name + "族"):
            return code
    return 1


def resident(number: str, name: str = "", **fields) -> Identity:
    """A resident-ID Identity for a number (and optional name) as `lingong card tap` makes it."""
    number = idnumber.normalize(number)
    defaults = dict(
        sex=Sex(idnumber.sex(number)),
        nation="汉族",
        birth=idnumber.birth_date(number),
        valid_from=dt.date.today() - dt.timedelta(days=365),
        valid_to=LONG_TERM,
    )
    defaults.update(fields)
    return Identity(kind=Kind.RESIDENT_ID, _number=number, name=name, **defaults)
