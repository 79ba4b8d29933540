"""Choosing a driver by configuration: sam:/dev/ttyUSB0, sam:socket://host:port, pcsc, pcsc:NAME, wedge, sim."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .reader import Event, Reader

SPECS = "sam:PORT-OR-URL, pcsc, pcsc:READER NAME, wedge, sim"
# pyserial opens many kinds of URL; a card reader is a device file or a serial server. (spy://
# would copy the card traffic, names and ID numbers, into a log file; alt:// and hwgrep:// pick
# other ports; loop:// talks to nobody.)
SERIAL_SCHEMES = ("socket://", "rfc2217://")


def open_reader(spec: str, *, home: Path | None = None, on_event: Callable[[Event], None] | None = None) -> Reader:
    """A reader for `spec` (not started). ValueError names what is wrong with a bad spec."""
    kind, _, arg = spec.strip().partition(":")
    if kind == "sam":
        if not arg:
            raise ValueError("sam needs a port or pyserial URL: sam:/dev/ttyUSB0, sam:socket://host:port")
        if not ((arg.startswith("/") and "://" not in arg) or arg.startswith(SERIAL_SCHEMES)):
            raise ValueError(
                f"sam takes a device path (/dev/ttyUSB0, or a link to one) or a serial server "
                f"({', '.join(SERIAL_SCHEMES)}), not {arg.split('/', 1)[0]!r}"
            )
        from .drivers.sam import SamReader
        from .transports.serial_port import SerialPort

        return SamReader(lambda: SerialPort(arg), on_event=on_event)
    if kind == "pcsc":
        from .drivers.pcsc import PcscReader

        return PcscReader(arg or None, on_event=on_event)
    if kind == "wedge":
        from .drivers.wedge import WedgeReader

        return WedgeReader(on_event=on_event)
    if kind == "sim":
        from .drivers.sim import SimReader

        return SimReader(home, feed_file=Path(arg) if arg else None, on_event=on_event)
    raise ValueError(f"unknown reader {spec!r}; use one of: {SPECS}")
