"""GA/T 467 frames: building commands, checking responses, and finding frames in a byte stream."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import FrameError

PREAMBLE = bytes.fromhex("AAAAAA9669")
HEADER_LEN = len(PREAMBLE) + 2  # preamble + LEN
MAX_LEN = 0x1000  # a read with fingerprint is about 2.3 KB; anything longer is garbage

# Commands: (CMD, PARA)
RESET_SAM = (0x10, 0xFF)
SAM_STATUS = (0x11, 0xFF)
READ_SAM_ID = (0x12, 0xFF)
FIND_CARD = (0x20, 0x01)
SELECT_CARD = (0x20, 0x02)
READ_TEXT_PHOTO = (0x30, 0x01)
READ_TEXT_PHOTO_FINGER = (0x30, 0x10)
READ_NEW_ADDRESS = (0x30, 0x03)

# SW3, the status byte of every response.
SW_SUCCESS = 0x90
SW_CARD_FOUND = 0x9F
SW_NO_CONTENT = 0x91
STATUS_MEANINGS = {
    0x90: "success",
    0x9F: "card found",
    0x10: "checksum error in the command",
    0x11: "length error",
    0x21: "bad command",
    0x23: "operation not authorised",
    0x24: "unknown error",
    0x31: "card and SAM failed to authenticate each other",
    0x32: "card and SAM failed to authenticate each other",
    0x33: "information verification error",
    0x40: "wrong card type",
    0x41: "card read failed",
    0x47: "random-number fetch failed",
    0x60: "SAM self-test failed",
    0x66: "SAM not authorised",
    0x80: "no card on the reader",
    0x81: "select card failed",
    0x91: "no content",
}


def checksum(body: bytes) -> int:
    """XOR of every byte after the preamble up to the checksum (LEN included)."""
    value = 0
    for b in body:
        value ^= b
    return value


def command(cmd: tuple[int, int], data: bytes = b"") -> bytes:
    """A complete command frame."""
    body = (len(data) + 3).to_bytes(2, "big") + bytes(cmd) + data
    return PREAMBLE + body + bytes([checksum(body)])


def response(sw3: int, data: bytes = b"", sw1: int = 0, sw2: int = 0) -> bytes:
    """A complete response frame (what a reader sends; the simulator and tests use it)."""
    body = (len(data) + 4).to_bytes(2, "big") + bytes([sw1, sw2, sw3]) + data
    return PREAMBLE + body + bytes([checksum(body)])


@dataclass(frozen=True)
class Response:
    sw1: int
    sw2: int
    sw3: int
    data: bytes

    @property
    def meaning(self) -> str:
        return STATUS_MEANINGS.get(self.sw3, "unknown status")


def parse_response(frame: bytes) -> Response:
    """Checks one whole response frame; FrameError names exactly what is wrong."""
    if len(frame) < HEADER_LEN:
        raise FrameError(f"frame truncated: {len(frame)} bytes, not even a header")
    if frame[:5] != PREAMBLE:
        raise FrameError(f"wrong preamble {frame[:5].hex(' ').upper()} (expected AA AA AA 96 69)")
    length = int.from_bytes(frame[5:7], "big")
    if length < 4:
        raise FrameError(f"length {length} is too short for a response (at least 4)")
    if length > MAX_LEN:
        raise FrameError(f"length {length} is beyond any reader's frame")
    if len(frame) < HEADER_LEN + length:
        raise FrameError(f"frame truncated: LEN says {length} bytes follow, {len(frame) - HEADER_LEN} do")
    if len(frame) > HEADER_LEN + length:
        raise FrameError(f"{len(frame) - HEADER_LEN - length} bytes after the end of the frame")
    body = frame[5:-1]
    if checksum(body) != frame[-1]:
        raise FrameError(f"checksum mismatch: frame says {frame[-1]:02X}, bytes give {checksum(body):02X}")
    return Response(frame[7], frame[8], frame[9], bytes(frame[10:-1]))


class FrameReader:
    """Cuts a byte stream into response frames. On garbage, a corrupt frame or a frame cut short
    by a new one, it skips to the next preamble: one bad frame never ends the session."""

    def __init__(self, min_length: int = 4) -> None:
        self._buffer = bytearray()
        self.min_length = min_length  # 4 for responses; a reader (or its emulator) reads commands: 3
        self.discarded = 0  # bytes thrown away while resynchronising (for diagnostics)

    def feed(self, data: bytes) -> None:
        self._buffer += data

    def clear(self) -> None:
        self.discarded += len(self._buffer)
        self._buffer.clear()

    def next_frame(self) -> bytes | None:
        """The next complete, well-formed frame, or None until more bytes arrive."""
        while True:
            start = self._buffer.find(PREAMBLE)
            if start < 0:
                keep = len(PREAMBLE) - 1  # a preamble may be split across reads
                if len(self._buffer) > keep:
                    self.discarded += len(self._buffer) - keep
                    del self._buffer[:-keep]
                return None
            if start:
                self.discarded += start
                del self._buffer[:start]
            if len(self._buffer) < HEADER_LEN:
                return None
            length = int.from_bytes(self._buffer[5:7], "big")
            if not self.min_length <= length <= MAX_LEN:
                self._skip_preamble()
                continue
            end = HEADER_LEN + length
            # A preamble inside the declared length means this frame was cut short by a new one.
            nxt = self._buffer.find(PREAMBLE, 1, end)
            if nxt > 0:
                self.discarded += nxt
                del self._buffer[:nxt]
                continue
            if len(self._buffer) < end:
                return None
            frame = bytes(self._buffer[:end])
            if checksum(frame[5:-1]) != frame[-1]:
                self._skip_preamble()
                continue
            del self._buffer[:end]
            return frame

    def _skip_preamble(self) -> None:
        self.discarded += 1
        del self._buffer[:1]
