"""An emulated SAM reader on one end of a socat pseudo-terminal pair; the driver opens the other.

Killing socat is a USB reader pulled out; starting it again with the same links plugs it back."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest
import serial

from cardreader.sam.frames import FrameReader
from cardreader.sim import SamEngine


class PtyReader:
    def __init__(self, folder: Path, engine: SamEngine | None = None):
        if shutil.which("socat") is None:
            pytest.fail("socat is not installed: run the suite with `make test`, which installs it")
        self.folder = folder
        self.host_end = folder / "ttyREADER"  # what the driver opens
        self.device_end = folder / "ttyDEVICE"  # where the emulator sits
        self.engine = engine or SamEngine()
        self.faults: list[bytes | str] = []
        self._socat: subprocess.Popen | None = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._listening = threading.Event()

    @property
    def spec(self) -> str:
        return f"sam:{self.host_end}"

    def plug(self) -> PtyReader:
        self._socat = subprocess.Popen(
            ["socat", f"pty,raw,echo=0,link={self.host_end}", f"pty,raw,echo=0,link={self.device_end}"],
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 5
        while not (self.host_end.exists() and self.device_end.exists()):
            if time.monotonic() > deadline:
                raise AssertionError("socat did not make the pseudo-terminals")
            time.sleep(0.02)
        self._stop.clear()
        self._listening.clear()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        # A reader is plugged in once it answers: wait until the emulator has its end open.
        if not self._listening.wait(5):
            raise AssertionError("the emulated reader did not open its end of the line")
        return self

    def unplug(self) -> None:
        self._stop.set()
        if self._socat is not None:
            self._socat.terminate()
            self._socat.wait(5)
            self._socat = None
        if self._thread is not None:
            self._thread.join(5)

    def _serve(self) -> None:
        port = serial.Serial(str(self.device_end), 115200, timeout=0.05)
        self._listening.set()
        frames = FrameReader(min_length=3)
        try:
            while not self._stop.is_set():
                try:
                    data = port.read(4096)
                except (serial.SerialException, OSError):
                    return
                frames.feed(data)
                while (command := frames.next_frame()) is not None:
                    answer = self.engine.respond(command)
                    fault = self.faults.pop(0) if self.faults else None
                    if isinstance(fault, bytes):
                        answer = fault + answer
                    elif fault == "corrupt":
                        answer = answer[:-1] + bytes([answer[-1] ^ 0x5A])
                    elif fault == "truncate":
                        answer = answer[: len(answer) // 2]
                    try:
                        port.write(answer)
                    except (serial.SerialException, OSError):
                        return
        finally:
            port.close()
