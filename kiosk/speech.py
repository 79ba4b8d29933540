"""Reading aloud in Mandarin through espeak-ng (its `cmn` voice), when the machine has it."""

from __future__ import annotations

import logging
import shutil
import subprocess
import threading
from pathlib import Path

log = logging.getLogger(__name__)

VOICES = {"zh": "cmn", "en": "en"}


class Speaker:
    """One utterance at a time; a new one cuts the old. With `record_to`, utterances are written
    as WAV files there instead of played (tests, and machines without speakers)."""

    def __init__(self, record_to: Path | None = None, command: str = "espeak-ng"):
        self.command = shutil.which(command)
        self.record_to = Path(record_to) if record_to else None
        self._proc: subprocess.Popen | None = None
        self._lock = threading.Lock()
        self.spoken = 0

    @property
    def available(self) -> bool:
        return self.command is not None

    def say(self, text: str, lang: str = "zh") -> None:
        if not self.available or not text:
            return
        args = [self.command, "-v", VOICES.get(lang, "cmn"), "-s", "140"]  # a little slower than default
        if self.record_to is not None:
            self.record_to.mkdir(parents=True, exist_ok=True)
            args += ["-w", str(self.record_to / f"utterance-{self.spoken + 1:03d}.wav")]
        with self._lock:
            self.stop_locked()
            try:
                # The text goes on standard input: never on a command line other users can list.
                self._proc = subprocess.Popen(
                    args + ["--stdin"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
                )
                self._proc.stdin.write(text.encode("utf-8"))
                self._proc.stdin.close()
                self.spoken += 1
            except OSError as exc:
                log.warning("speech failed: %s", exc)

    def stop(self) -> None:
        with self._lock:
            self.stop_locked()

    def stop_locked(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
        self._proc = None

    def wait(self, timeout: float = 10.0) -> None:
        proc = self._proc
        if proc is not None:
            proc.wait(timeout)
