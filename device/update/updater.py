"""A running device's updater: download, verify, install, switch, restart in the background; confirm when healthy."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from wire.releases import digest, wheel_name

from .errors import UpdateError
from .faults import checkpoint
from .install import install
from .layout import Layout, fsync_dir
from .switch import HEALTH_LIMIT_S, begin_trial, confirm, remember_failure, tidy, trial_numbers
from .verify import Offer, check_file, check_offer, offer_of

log = logging.getLogger(__name__)

# fetch(release id, file to write, the signed size): the hub session's download (sync/session.py).
Fetch = Callable[[int, BinaryIO, int], None]


class _FirstWrite:
    """The download's file, with the "download" kill point after its first chunk (a partial file)."""

    def __init__(self, f: BinaryIO):
        self.f, self.written = f, 0

    def write(self, data: bytes) -> int:
        n = self.f.write(data)
        self.written += len(data)
        if self.written == len(data):
            self.f.flush()
            checkpoint("download")
        return n


class Updater:
    def __init__(
        self,
        layout: Layout | None,
        running: str,
        key_text: str,
        fetch: Fetch,
        restart: Callable[[], None],
        health: Callable[[], bool],
        *,
        health_limit_s: float = HEALTH_LIMIT_S,
        poll_s: float = 1.0,
        pin_trusted: bool = False,
    ):
        self.layout = layout
        self.running = running
        self.key_text = key_text
        self.fetch = fetch
        self.restart = restart
        self.health = health
        self.health_limit_s = health_limit_s
        self.poll_s = poll_s
        self.pin_trusted = pin_trusted  # the hub is reached over TLS or loopback (verify.offer_of)
        self._latest: Offer | None = None
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._doing = ""  # downloading / installing, while it is under way
        self._working: Offer | None = None  # the offer being taken
        self._confirmed = False
        self._thread: threading.Thread | None = None

    # ---- called from the link ---------------------------------------------------------------------
    def offer(self, answer: dict) -> None:
        """A heartbeat answer: the release it offers, if any, is looked at in the updater's thread."""
        found = offer_of(answer, pin_trusted=self.pin_trusted)
        if found is not None and found.version != self.running:
            self._latest = found
            self._wake.set()

    def state(self) -> dict:
        """This device's version and update state for the heartbeat."""
        if self.layout is None:
            return {"update": "unmanaged"}
        state = self.layout.load()
        report = state.report
        out = {
            "good_version": self.layout.pointed(self.layout.good) or "",
            "update": report.get("update", "ok"),
            "update_version": report.get("version", ""),
            "update_detail": report.get("detail", ""),
        }
        working = self._working
        if self._doing and working is not None:
            out.update(update=self._doing, update_version=working.version, update_detail="")
        return {k: v for k, v in out.items() if isinstance(v, str)}

    # ---- the thread --------------------------------------------------------------------------------
    def start(self) -> None:
        if self.layout is None:
            return
        state = self.layout.load()
        if state.trial and state.trial.get("version") == self.running:
            checkpoint("start")
        self._thread = threading.Thread(target=self._loop, name="updater", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.poll_s)
            self._wake.clear()
            if self._stop.is_set():
                return
            try:
                self._watch_trial()
                offer, self._latest = self._latest, None
                if offer is not None:
                    self.apply(offer)
            except Exception:  # the device keeps running its version whatever happens here
                log.exception("update step failed")
                self._doing = ""

    def _watch_trial(self) -> None:
        """On trial: confirm once healthy; past the deadline unhealthy, restart so that guard rolls back."""
        if self._confirmed:
            return
        state = self.layout.load()
        trial = state.trial
        if not trial or trial.get("version") != self.running:
            self._confirmed = True
            return
        if self.health():
            with self.layout.locked():
                if confirm(self.layout, self.running):
                    log.info("version %s confirmed healthy", self.running)
            self._confirmed = True
        elif (numbers := trial_numbers(trial)) is None or time.time() > numbers[1]:
            log.error("version %s not healthy in time: restarting for the guard to roll back", self.running)
            self._confirmed = True
            self.restart()

    # ---- one update --------------------------------------------------------------------------------
    def apply(self, offer: Offer) -> bool:
        """Takes one offer as far as it goes. True when it switched and asked for a restart."""
        layout = self.layout
        with layout.locked():
            state = layout.load()
            if state.trial or offer.key in state.failed or offer.version == self.running:
                return False
            self._working = offer
            try:
                check_offer(offer, self.key_text, self.running)
            except UpdateError as exc:
                # Nothing was fetched, and anyone can send an offer: nothing is remembered of it (a
                # record per forged offer would grow without bound), only told to the hub.
                log.warning("update to %s refused: %s", offer.version, exc.message)
                self._working = None
                if state.report.get("detail") != exc.message[:200]:
                    state.tell("refused", offer.version, exc.message)
                    layout.save(state)
                return False
            try:
                if not layout.complete(offer.version):
                    tidy(layout, keep={layout.pointed(layout.good) or ""}, download=wheel_name(offer.version))
                    self._doing = "downloading"
                    wheel = self._download(offer)
                    checkpoint("verify")
                    try:
                        check_file(wheel, offer)
                    except UpdateError:
                        wheel.unlink(missing_ok=True)
                        raise
                    self._doing = "installing"
                    try:
                        install(layout, offer.version, wheel)
                    except OSError as exc:  # a full disk, most likely: nothing wrong with the release
                        raise UpdateError("install", f"安装没有完成：{exc.strerror or exc}", final=False) from exc
            except UpdateError as exc:
                self._doing = ""
                log.warning("update to %s not done: %s", offer.version, exc.message)
                if exc.final:
                    remember_failure(layout, state, offer.key, offer.version, exc.reason, exc.message)
                else:
                    state.tell("waiting", offer.version, exc.message)
                    layout.save(state)
                return False
            self._doing = ""
            begin_trial(layout, state, offer.version, offer.key, self.health_limit_s)
        log.info("switched to %s: restarting", offer.version)
        checkpoint("restart")
        self.restart()
        return True

    def _download(self, offer: Offer) -> Path:
        downloads = self.layout.downloads
        downloads.mkdir(parents=True, exist_ok=True)
        final = downloads / wheel_name(offer.version)  # named from the signed, validated version only
        if final.is_file() and digest(final) == (offer.signed.sha256, offer.signed.size):
            return final
        part = final.with_name(final.name + ".part")
        try:
            with open(part, "wb") as f:
                self.fetch(offer.release_id, _FirstWrite(f), offer.signed.size)
                f.flush()
                os.fsync(f.fileno())
        except Exception as exc:
            part.unlink(missing_ok=True)
            raise UpdateError("download", f"下载没有完成：{type(exc).__name__}", final=False) from exc
        os.replace(part, final)
        fsync_dir(downloads)
        return final
