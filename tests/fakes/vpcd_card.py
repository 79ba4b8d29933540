"""A virtual smart card for pcscd's vpcd driver (Debian's vsmartcard-vpcd), over its TCP protocol.

Each message is a 2-byte big-endian length and a payload. One-byte payloads are control: 0 power
off, 1 power on, 2 reset, 4 "send your ATR"; longer payloads are command APDUs, answered with a
response APDU. Connecting inserts the card into "Virtual PCD 00 00"; closing removes it."""

from __future__ import annotations

import socket
import threading
import time

from cardreader.sim import SimulatedCard

VPCD_PORT = 35963
READER_NAME_PREFIX = "Virtual PCD 00 00"
ATR = bytes.fromhex("3B8880010000000000000000")  # a plain T=1 ATR


class VirtualCard:
    def __init__(self, brain: SimulatedCard, port: int = VPCD_PORT):
        self.brain = brain
        self.port = port
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None

    def insert(self, timeout: float = 10.0) -> VirtualCard:
        deadline = time.monotonic() + timeout
        while True:
            try:
                self._sock = socket.create_connection(("127.0.0.1", self.port), timeout=2)
                break
            except OSError as exc:
                if time.monotonic() > deadline:
                    raise AssertionError(f"vpcd is not listening on port {self.port}: is pcscd running?") from exc
                time.sleep(0.1)
        self._sock.settimeout(None)
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        return self

    def remove(self) -> None:
        if self._sock is not None:
            try:
                self._sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self._sock.close()
            self._sock = None
        if self._thread is not None:
            self._thread.join(5)

    def _recv_exact(self, n: int) -> bytes | None:
        data = b""
        while len(data) < n:
            try:
                chunk = self._sock.recv(n - len(data))
            except OSError:
                return None
            if not chunk:
                return None
            data += chunk
        return data

    def _send(self, payload: bytes) -> None:
        self._sock.sendall(len(payload).to_bytes(2, "big") + payload)

    def _serve(self) -> None:
        while self._sock is not None:
            header = self._recv_exact(2)
            if header is None:
                return
            payload = self._recv_exact(int.from_bytes(header, "big"))
            if payload is None:
                return
            if len(payload) == 1:
                if payload[0] == 4:
                    self._send(ATR)
                continue  # power on / off / reset need no answer
            data, sw1, sw2 = self.brain.transmit(payload)
            try:
                self._send(bytes(data) + bytes([sw1, sw2]))
            except OSError:
                return
