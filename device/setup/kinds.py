"""What each kind of device needs on its machine: Debian packages, the program it runs, its reader."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import SetupError

PREFIX = "/opt/lingong"  # versions/<v>/ (one venv each), current → the one to run, good → the last proved healthy
STATE = "/var/lib/lingong"  # LINGONG_HOME: enrollment, the store, machine.toml
USER = "lingong"
READER_LINK = "lingong-reader"  # /dev/lingong-reader: the udev rule's stable name for a SAM serial reader
# The USB-serial bridges SAM ID-card readers are built on (CH340, PL2303, CP210x, FTDI): most
# stations' readers (华视, 神思, 精伦) enumerate as one of these.
SERIAL_BRIDGES = ("1a86:7523", "067b:2303", "10c4:ea60", "0403:6001")
USB_ID = re.compile(r"^[0-9a-f]{4}:[0-9a-f]{4}$")

# Every screen: cage (one full-screen program, no desktop) and Xwayland (Kivy's SDL may draw
# through X under cage); cage's own dependencies bring the rest of the graphics stack.
SCREEN = ("cage", "xwayland", "libgl1-mesa-dri", "libegl1", "python3-venv")
READERS = {"sam": (), "pcsc": ("pcscd", "libccid"), "wedge": (), "sim": ()}


@dataclass(frozen=True)
class Kind:
    name: str  # kiosk | display | booth
    verb: str  # what `lingong …` runs
    title: str
    packages: tuple[str, ...]  # beyond SCREEN and the reader's
    reads_cards: bool


KINDS = {
    "kiosk": Kind("kiosk", "kiosk", "lingong kiosk (零工驿站自助机)", ("espeak-ng",), True),
    "display": Kind("display", "display", "lingong wall display (零工驿站招聘屏)", ("cec-utils",), False),
    "booth": Kind("booth", "kiosk", "lingong interview booth (视频面试间)", ("chromium", "espeak-ng"), True),
}


def kind(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise SetupError(f"unknown kind {name!r}: one of {', '.join(KINDS)}") from None


def packages(k: Kind, reader: str) -> list[str]:
    """The Debian packages this kind needs with this reader, in a stable order."""
    wanted = [*SCREEN, *k.packages, *(READERS[reader] if k.reads_cards else ())]
    return list(dict.fromkeys(wanted))


def usb_ids(given: list[str] | None) -> tuple[str, ...]:
    """The USB ids (vendor:product, hex) the reader rule matches: those given, else the usual bridges."""
    if not given:
        return SERIAL_BRIDGES
    ids = tuple(g.strip().lower() for g in given)
    bad = [g for g in ids if not USB_ID.match(g)]
    if bad:
        raise SetupError(f"not a USB id (vendor:product in hex, e.g. 1a86:7523): {', '.join(bad)}")
    return ids
