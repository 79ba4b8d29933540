"""The simulated reader: identities tapped from a file, a local socket (`lingong card tap`), or code.

The socket speaks one line per command: `tap NUMBER [NAME]` or `remove`. It listens on a Unix
socket in the device's state folder, private to its owner."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable
from pathlib import Path

from floor import idnumber

from ..identity import Identity
from ..reader import CardInserted, CardRemoved, Event, Reader, ReaderState
from ..sim import resident

SOCKET_NAME = "card.sock"


def parse_line(line: str) -> Identity | None:
    """`NUMBER[,NAME]` or `NUMBER NAME` → a resident-ID identity; ValueError on a bad number."""
    text = line.strip()
    if not text or text.startswith("#"):
        return None
    number, _, name = text.replace(",", " ", 1).partition(" ")
    if not idnumber.is_valid(number):
        raise ValueError("not a valid ID number (check digit)")
    return resident(number, name.strip())


class SimReader(Reader):
    name = "sim"

    def __init__(
        self,
        home: Path | None = None,
        *,
        feed_file: Path | None = None,
        interval_s: float = 20.0,
        on_event: Callable[[Event], None] | None = None,
    ):
        super().__init__(on_event)
        self.socket_path = Path(home) / SOCKET_NAME if home is not None else None
        self.feed_file = feed_file
        self.interval_s = interval_s
        self._lock = threading.Lock()
        self.card: Identity | None = None

    def tap(self, identity: Identity) -> None:
        """A card laid on the reader (any card already there is taken off first)."""
        with self._lock:
            if self.card is not None:
                self._emit(CardRemoved())
            self.card = identity
            self._set_state(ReaderState.CARD, "simulated")
            self._emit(CardInserted(identity))

    def remove(self) -> None:
        with self._lock:
            if self.card is not None:
                self.card = None
                self._set_state(ReaderState.READY, "simulated")
                self._emit(CardRemoved())

    def run(self) -> None:
        self._set_state(ReaderState.READY, "simulated")
        threads = []
        if self.socket_path is not None:
            threads.append(threading.Thread(target=self._serve_socket, daemon=True, name="sim-reader-socket"))
        if self.feed_file is not None:
            threads.append(threading.Thread(target=self._replay_file, daemon=True, name="sim-reader-file"))
        for t in threads:
            t.start()
        self._stop.wait()
        # A tap that stops a `card read` (its card is what it waited for) is answered before the
        # process ends: the socket thread finishes the command in hand and takes its socket away.
        for t in threads:
            t.join(2.0)

    def _replay_file(self) -> None:
        """Taps each identity of the file in turn, leaving each on the reader for `interval_s`."""
        while not self._stop.is_set():
            for line in Path(self.feed_file).read_text(encoding="utf-8").splitlines():
                try:
                    identity = parse_line(line)
                except ValueError:
                    continue
                if identity is None:
                    continue
                self.tap(identity)
                if self._stop.wait(self.interval_s):
                    return
                self.remove()
                if self._stop.wait(2.0):
                    return

    def _serve_socket(self) -> None:
        path = self.socket_path
        staging = path.with_name(f".{path.name}.{os.getpid()}")
        staging.unlink(missing_ok=True)
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(str(staging))
        os.chmod(staging, 0o600)
        server.listen(4)
        os.replace(staging, path)  # the path appears only once it accepts connections
        server.settimeout(0.5)
        try:
            while not self._stop.is_set():
                try:
                    client, _ = server.accept()
                except TimeoutError:
                    continue
                with client:
                    # (generous: on a loaded machine the line may come a few seconds after the connect)
                    client.settimeout(10.0)
                    try:
                        line = client.makefile("r", encoding="utf-8").readline()
                        client.sendall(self._command(line).encode() + b"\n")
                    except OSError:
                        pass
        finally:
            server.close()
            path.unlink(missing_ok=True)

    def _command(self, line: str) -> str:
        verb, _, rest = line.strip().partition(" ")
        if verb == "remove":
            self.remove()
            return "ok removed"
        if verb == "tap":
            try:
                identity = parse_line(rest)
            except ValueError as exc:
                return f"error {exc}"
            if identity is None:
                return "error tap needs an ID number"
            self.tap(identity)
            return f"ok {identity.masked_number}"
        return "error unknown command (tap NUMBER [NAME] | remove)"


def send(home: Path, line: str, timeout: float = 12.0) -> str:
    """What `lingong card tap` does: one command to a running simulated reader."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(timeout)
        s.connect(str(Path(home) / SOCKET_NAME))
        s.sendall(line.encode() + b"\n")
        return s.makefile("r", encoding="utf-8").readline().strip()
