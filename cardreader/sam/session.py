"""One conversation with a SAM reader over a byte connection: find, select, read, and the rest."""

from __future__ import annotations

import time

from ..connection import ByteConnection
from ..errors import FrameError, NoCard, ReaderUnavailable, StatusError
from ..identity import Identity
from . import frames
from .frames import FrameReader, Response
from .text import TEXT_LEN, decode_text


def decode_read(response: Response) -> Identity:
    """The Identity in the answer to a read command (30 01, or 30 10 with fingerprint). The photo
    is proprietary WLT data: it is never decoded, kept or even sliced out."""
    if response.sw3 != frames.SW_SUCCESS:
        raise StatusError(response.sw3, response.meaning)
    data = response.data
    if len(data) < 4:
        raise FrameError(f"read answer carries {len(data)} data bytes, too few for the length fields")
    text_len, photo_len = int.from_bytes(data[0:2], "big"), int.from_bytes(data[2:4], "big")
    if 4 + text_len + photo_len == len(data):
        offset = 4
    elif len(data) >= 6 and 6 + text_len + photo_len + int.from_bytes(data[4:6], "big") == len(data):
        offset = 6  # the variant with a fingerprint length field
    else:
        raise FrameError(
            f"read answer lengths (text {text_len}, photo {photo_len}) do not add up to its {len(data)} data bytes"
        )
    if text_len != TEXT_LEN:
        raise FrameError(f"text block of {text_len} bytes, expected {TEXT_LEN}")
    return decode_text(data[offset : offset + text_len])


def decode_read_frame(frame: bytes) -> Identity:
    """`lingong card decode`: one whole read response frame to an Identity, or a precise error."""
    return decode_read(frames.parse_response(frame))


class SamSession:
    """Commands and their answers. A corrupt or partial frame is skipped over (resynchronising
    on the next preamble); only silence past the timeout ends a command."""

    def __init__(self, connection: ByteConnection, *, timeout: float = 1.5):
        self.connection = connection
        self.timeout = timeout
        self.frames = FrameReader()

    def transceive(self, cmd: tuple[int, int], data: bytes = b"") -> Response:
        self.frames.clear()  # a late answer to an earlier command must not be taken for this one
        self.connection.write(frames.command(cmd, data))
        deadline = time.monotonic() + self.timeout
        while True:
            frame = self.frames.next_frame()
            if frame is not None:
                return frames.parse_response(frame)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ReaderUnavailable(
                    f"the reader did not answer command {cmd[0]:02X} {cmd[1]:02X} within {self.timeout:.1f} s"
                )
            self.frames.feed(self.connection.read(4096, remaining))

    def _expect(self, response: Response, *ok: int) -> Response:
        if response.sw3 not in ok:
            raise StatusError(response.sw3, response.meaning)
        return response

    def reset(self) -> None:
        self._expect(self.transceive(frames.RESET_SAM), frames.SW_SUCCESS)

    def status(self) -> None:
        self._expect(self.transceive(frames.SAM_STATUS), frames.SW_SUCCESS)

    def sam_id(self) -> str:
        return self._expect(self.transceive(frames.READ_SAM_ID), frames.SW_SUCCESS).data.hex().upper()

    def find_card(self) -> bool:
        """True when a card is on the reader (9F), False when none is (80)."""
        response = self.transceive(frames.FIND_CARD)
        if response.sw3 == 0x80:
            return False
        self._expect(response, frames.SW_CARD_FOUND)
        return True

    def select_card(self) -> None:
        self._expect(self.transceive(frames.SELECT_CARD), frames.SW_SUCCESS)

    def read(self) -> Identity:
        return decode_read(self.transceive(frames.READ_TEXT_PHOTO))

    def read_card(self) -> Identity:
        """The whole cycle: find → select → read; NoCard when nothing is on the reader."""
        if not self.find_card():
            raise NoCard(0x80, "no card on the reader")
        self.select_card()
        return self.read()
