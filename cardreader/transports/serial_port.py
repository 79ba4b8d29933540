"""A SAM reader's serial line through pyserial: a device path or any pyserial URL (socket://…)."""

from __future__ import annotations

import serial

from ..errors import ReaderUnavailable

BAUDRATE = 115200  # GA/T 467 default, 8N1


class SerialPort:
    """ByteConnection over pyserial. Any failure of the port (a USB reader pulled out) becomes
    ReaderUnavailable, so drivers handle one kind of trouble."""

    def __init__(self, url: str, baudrate: int = BAUDRATE):
        try:
            self._port = serial.serial_for_url(
                url, baudrate=baudrate, bytesize=8, parity="N", stopbits=1, timeout=0.1, write_timeout=1.0
            )
        except (serial.SerialException, OSError, ValueError) as exc:
            raise ReaderUnavailable(f"cannot open {url}: {exc}") from None
        self.url = url

    def write(self, data: bytes) -> None:
        try:
            self._port.write(data)
            self._port.flush()
        except (serial.SerialException, OSError) as exc:
            raise ReaderUnavailable(f"{self.url}: {exc}") from None

    def read(self, size: int, timeout: float) -> bytes:
        try:
            self._port.timeout = max(0.0, timeout)
            first = self._port.read(1)  # wait for the answer to begin
            if not first:
                return b""
            self._port.timeout = 0
            return first + self._port.read(max(0, size - 1))
        except (serial.SerialException, OSError, TypeError) as exc:
            raise ReaderUnavailable(f"{self.url}: {exc}") from None

    def close(self) -> None:
        try:
            self._port.close()
        except (serial.SerialException, OSError):
            pass
