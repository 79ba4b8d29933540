"""Choosing a driver by configuration: sam:/dev/ttyUSB0, sam:socket://host:port, pcsc, pcsc:NAME, wedge, sim."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .reader import Event, Reader

SPECS = "sam:PORT-OR-URL, pcsc, pcsc:READER NAME, wedge, sim"


def open_reader(spec: str, *, home: Path | None = None, on_event: Callable[[Event], None] | None = None) -> Reader:
    """A reader for `spec` (not started). ValueError names what is wrong with a bad spec."""
    kind, _, arg = spec.strip().partition(":")
    if kind == "sam":
        if not arg:
            raise ValueError("sam needs a port or pyserial URL: sam:/dev/ttyUSB0, sam:socket://host:port")
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
