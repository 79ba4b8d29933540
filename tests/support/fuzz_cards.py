"""Coverage-guided fuzzing of the card parsers with atheris (libFuzzer):
`python -m tests.support.fuzz_cards sam|pcsc [libFuzzer flags…] [CORPUS…]`.

Any input must end in an Identity or in the package's own CardReaderError; anything else is a
crash, which libFuzzer reports (writing the input to crash-…) and exits non-zero."""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from cardreader.errors import CardReaderError
    from cardreader.identity import Identity
    from cardreader.pcsc.socialsecurity import identify
    from cardreader.sam.frames import FrameReader
    from cardreader.sam.session import decode_read_frame


def sam(data: bytes) -> None:
    try:
        decode_read_frame(data)
    except CardReaderError:
        pass
    reader = FrameReader()
    reader.feed(data)
    while reader.next_frame() is not None:
        pass


class FuzzedCard:
    """A social-security card whose every answer (status and bytes) comes from the fuzzer."""

    STATUS = ((0x90, 0x00), (0x90, 0x00), (0x90, 0x00), (0x6A, 0x82), (0x61, 0x10), (0x6C, 0x05), (0x6F, 0x00))

    def __init__(self, fdp: atheris.FuzzedDataProvider) -> None:
        self.fdp = fdp

    def transmit(self, apdu):
        sw1, sw2 = self.STATUS[self.fdp.ConsumeIntInRange(0, len(self.STATUS) - 1)]
        value = self.fdp.ConsumeBytes(self.fdp.ConsumeIntInRange(0, 80))
        if apdu[1] == 0xB2 and self.fdp.ConsumeBool():  # a well-formed record around the value
            value = bytes([apdu[2], len(value)]) + value
        return list(value), sw1, sw2


def pcsc(data: bytes) -> None:
    try:
        if not isinstance(identify(FuzzedCard(atheris.FuzzedDataProvider(data))), Identity):
            raise AssertionError("identify returned something other than an Identity")
    except CardReaderError:
        pass


if __name__ == "__main__":
    target = {"sam": sam, "pcsc": pcsc}[sys.argv[1]]
    atheris.Setup([sys.argv[0], *sys.argv[2:]], target)
    atheris.Fuzz()
