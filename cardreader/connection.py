"""The two small abstract connections every reader sits on: a byte stream and a smart-card slot."""

from __future__ import annotations

from typing import Protocol


class ByteConnection(Protocol):
    """A serial line to a SAM reader (a real port, a pseudo-terminal, or the simulator)."""

    def write(self, data: bytes) -> None: ...

    def read(self, size: int, timeout: float) -> bytes:
        """Up to `size` bytes, waiting at most `timeout` seconds; b"" when nothing came."""
        ...

    def close(self) -> None: ...


class CardConnection(Protocol):
    """A card in a PC/SC slot (pyscard, or the simulator)."""

    def transmit(self, apdu: bytes) -> tuple[bytes, int, int]:
        """Sends one command APDU; returns (data, SW1, SW2)."""
        ...

    def close(self) -> None: ...
