"""The sync agent: keeps the device store current from the feed and drains the outbox, offline first."""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from floor import __version__
from wire import protocol

from .errors import Forbidden, HubRejected, HubUnreachable, ResetRequired, Unauthorized
from .session import HubSession, RetryPolicy
from .store import DeviceStore

log = logging.getLogger(__name__)

# How long to wait between attempts while the hub is unreachable (full jitter up to the cap).
OFFLINE_BACKOFF = RetryPolicy(attempts=1, base_s=0.5, cap_s=8.0)
# How long to long-poll after the hub answered 404 for the change stream before trying it again.
LONG_POLLS_FOR_S = 600.0


@dataclass
class LinkStatus:
    """What the screens show about the link; read from any thread."""

    online: bool = False
    last_ok: float | None = None
    problem: str = ""
    revoked: bool = False
    bootstraps: int = 0
    applied_batches: int = 0
    events_acknowledged: int = 0


def scope_key(device_doc: dict | None) -> tuple:
    """The parts of a device's configuration that change which documents it receives."""
    if not device_doc:
        return ()
    filters = (device_doc.get("config") or {}).get("filters") or {}
    return (
        device_doc.get("station"),
        tuple(sorted(filters.get("trades") or ())),
        tuple(sorted(filters.get("categories") or ())),
        filters.get("employer"),
    )


class SyncAgent:
    """Two threads: one pulls (snapshot, then the change stream), one pushes the outbox and heartbeats."""

    def __init__(
        self,
        store: DeviceStore,
        session: HubSession | None = None,
        *,
        longpoll_s: float = 25.0,
        heartbeat_s: float = 60.0,
        on_change: Callable[[list[dict]], None] | None = None,
        state: Callable[[], dict] | None = None,
        on_answer: Callable[[dict], None] | None = None,
    ):
        enrollment = store.enrollment()
        self.device_id = enrollment.device_id
        self.store = store
        self.session = session or HubSession(enrollment.hub_url, enrollment.token)
        self.longpoll_s = longpoll_s
        self.heartbeat_s = heartbeat_s
        self.on_change = on_change
        self.state = state
        self.on_answer = on_answer  # the heartbeat's answer (a release on offer: device/update)
        self.status = LinkStatus(last_ok=store.last_sync_ok())
        self._stop = threading.Event()
        # Set when either loop reaches the hub after a time without it: the other, backing off (up
        # to OFFLINE_BACKOFF's cap), tries again at once — a worker's application waiting in the
        # outbox goes as soon as the link is known to be back, not seconds later.
        self._hub_back = threading.Event()
        self._threads: list[threading.Thread] = []
        self._rng = random.Random()
        # The hub's change stream (one response held open, a line per batch); long polls for a
        # while when the hub answers 404 for it (a hub older than streams, or a proxy mid-deploy).
        self.streams = True
        self._long_polls_until = 0.0

    # ---- lifecycle ---------------------------------------------------------------------------
    def start(self) -> None:
        for name, target in (("sync-pull", self._pull_loop), ("sync-push", self._push_loop)):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self, timeout: float = 2.0) -> None:
        """Stops both threads. A long poll in flight cannot be interrupted; its daemon thread is
        left to finish it and will apply nothing afterwards."""
        self._stop.set()
        self._hub_back.set()
        self.store.outbox_changed.set()
        self.session.close()
        for thread in self._threads:
            thread.join(timeout if thread.name != "sync-pull" else 0.2)
        self._threads.clear()

    @property
    def running(self) -> bool:
        return any(t.is_alive() for t in self._threads)

    @property
    def streaming(self) -> bool:
        """Whether the next pull follows the change stream (else a long poll)."""
        return self.streams and time.monotonic() >= self._long_polls_until

    # ---- pulling ---------------------------------------------------------------------------------
    def sync_once(self, wait: float = 0.0) -> int:
        """One pull: a snapshot if the store has no cursor, else one feed request. Returns changes applied."""
        cursor = self.store.cursor
        if cursor is None:
            return self._bootstrap()
        new_cursor, changes = self.session.changes(cursor, wait)
        if self._stop.is_set():
            return 0
        self._take(cursor, new_cursor, changes)
        return len(changes)

    def follow(self) -> int:
        """Follows the hub's change stream from the store's cursor until the hub ends it, the
        device's own configuration changed what it sees, or the agent stops; returns the lines
        read (a snapshot, when the store has no cursor, counts as many)."""
        cursor = self.store.cursor
        if cursor is None:
            self._bootstrap()
            return 2
        lines = 0
        for new_cursor, changes in self.session.stream(cursor, self.longpoll_s):
            if self._stop.is_set():
                break
            lines += 1
            self._take(cursor, new_cursor, changes)
            self._online()
            cursor = self.store.cursor
            if cursor is None:  # what it sees changed: a snapshot next
                break
        return lines

    def _take(self, cursor: int, new_cursor: int, changes: list[dict]) -> None:
        if changes:
            mine = any(c["k"] == "device" and c["id"] == self.device_id for c in changes)
            old_scope = scope_key(self.store.doc("device", self.device_id)) if mine else None
            self.store.apply_changes(new_cursor, changes)
            self.status.applied_batches += 1
            if mine and scope_key(self.store.doc("device", self.device_id)) != old_scope:
                # Other documents are now in or out of sight: the feed alone will not bring them.
                self.store.forget_cursor()
            self._changed(changes)
        elif new_cursor > cursor:
            self.store.advance_cursor(new_cursor)
        else:
            self.store.mark_sync_ok()

    def _bootstrap(self) -> int:
        device = self.session.device_doc()
        cursor, body = self.session.snapshot()
        _, documents = protocol.decode_snapshot(body)
        count = self.store.replace_all(cursor, [*documents, ("device", device)])
        self.status.bootstraps += 1
        self._changed([])
        return count

    def _pull_loop(self) -> None:
        failures = 0
        while not self._stop.is_set():
            try:
                if self.streaming:
                    lines = self.follow()
                    if lines < 2:  # ended at once (a hub shutting down): do not reconnect in a tight loop
                        self._stop.wait(self._rng.uniform(0.1, 1.0))
                else:
                    self.sync_once(wait=self.longpoll_s)
            except ResetRequired:
                self.store.forget_cursor()
                continue
            except Unauthorized as exc:
                self._offline(f"revoked: {exc.detail}", revoked=True)
                failures += 1
            except (HubUnreachable, HubRejected) as exc:
                if isinstance(exc, HubRejected) and exc.status in (404, 405) and self.streaming:
                    log.info("the hub has no change stream (an older hub?): long polls for %d s", LONG_POLLS_FOR_S)
                    self._long_polls_until = time.monotonic() + LONG_POLLS_FOR_S
                    continue
                if isinstance(exc, HubRejected) and exc.status == 422:
                    # The hub refuses the cursor this device holds (out of its range): start afresh.
                    log.warning("the hub refused our cursor (%s): taking a snapshot", exc.detail)
                    self.store.forget_cursor()
                self._offline(str(exc))
                failures += 1
            except Exception as exc:  # a screen must never die of its link
                log.exception("sync pull failed")
                self._offline(f"{type(exc).__name__}")
                failures += 1
            else:
                failures = 0
                self._online()
                continue
            self._hub_back.wait(OFFLINE_BACKOFF.delay(min(failures, 6), self._rng))  # (stop sets it too)
            self._hub_back.clear()

    # ---- pushing ---------------------------------------------------------------------------------
    def push_once(self) -> int:
        """Sends queued events until the outbox is empty; returns how many the hub took in."""
        taken = 0
        while True:
            pending = self.store.outbox.pending(protocol.MAX_EVENTS_PER_BATCH)
            if not pending:
                return taken
            answer = self.session.post_events(pending, self.store.outbox.acked_through())
            if answer.get("resend_from") is not None:  # a restored hub: what it lost goes first
                if self.store.outbox.resend_after(answer["resend_from"] - 1):
                    continue
                return taken  # nothing kept to send again: do not spin (the hub takes the batch next time)
            kinds = {e["n"]: e["kind"] for e in pending}
            results = [{**r, "kind": kinds.get(r["n"], "")} for r in answer["results"]]
            self.store.outbox.acknowledge(answer["applied_through"], results)
            done = sum(1 for e in pending if e["n"] <= answer["applied_through"])
            self.status.events_acknowledged += done
            taken += done
            if done == 0:  # the hub took nothing: do not spin
                return taken

    def _push_loop(self) -> None:
        """Sleeps until the outbox has something (a user action signals it), a heartbeat is due,
        or a failed send is due for another try; an idle device does no work at all."""
        failures = 0
        next_beat = time.monotonic()
        while not self._stop.is_set():
            if self.store.outbox.count() or failures:
                try:
                    self.push_once()
                    if failures:
                        self._hub_back.set()  # the pull loop may be backing off: the hub is there
                    failures = 0
                except Forbidden as exc:
                    log.error("hub refuses this device's events: %s", exc.detail)
                    failures += 1
                except Unauthorized:
                    failures += 1
                except (HubUnreachable, HubRejected) as exc:
                    log.info("outbox waits: %s", exc)
                    failures += 1
                except Exception:
                    log.exception("sync push failed")
                    failures += 1
            if time.monotonic() >= next_beat:
                self._beat()
                next_beat = time.monotonic() + self.heartbeat_s
            until_beat = max(0.0, next_beat - time.monotonic())
            wait = min(until_beat, OFFLINE_BACKOFF.delay(min(failures, 6), self._rng)) if failures else until_beat
            self.store.outbox_changed.wait(wait)
            self.store.outbox_changed.clear()

    def _beat(self) -> None:
        state = {
            "app_version": __version__,
            "cursor": self.store.cursor or 0,
            "outbox": self.store.outbox.count(),
            "last_sync_ok": self.status.last_ok,
            "clock": time.time(),
        }
        if self.state is not None:
            try:
                state.update(self.state())
            except Exception:
                log.exception("device state for the heartbeat failed")
        try:
            answer = self.session.heartbeat(state)
        except Exception as exc:
            log.debug("heartbeat not sent: %s", exc)
            return
        if not isinstance(answer, dict):  # (a proxy's page, a hub's bug: nothing to take from it)
            log.warning("the heartbeat's answer is not an object; ignored")
            return
        hub_has = answer.get("events_through")
        if self.on_answer is not None:
            try:
                self.on_answer(answer)
            except Exception:
                log.exception("the heartbeat's answer could not be taken")
        # A hub restored from an older backup, and this device has nothing queued to tell it by:
        # what it lost goes again now, not at the next worker's tap. (Guarded: a store that cannot
        # be written now must not end the thread that drains the outbox.)
        try:
            acked = self.store.outbox.acked_through()
            lost = isinstance(hub_has, int) and acked is not None and hub_has < acked
            if lost and self.store.outbox.resend_after(hub_has):
                self.store.outbox_changed.set()
        except Exception:
            log.exception("the events the hub lacks could not be queued again; trying at the next heartbeat")

    # ---- status ------------------------------------------------------------------------------------
    def _online(self) -> None:
        back = not self.status.online
        self.status.online, self.status.problem, self.status.revoked = True, "", False
        self.status.last_ok = time.time()
        if back:  # the push loop may be backing off with events queued: the hub is there
            self.store.outbox_changed.set()

    def _offline(self, problem: str, revoked: bool = False) -> None:
        if self.status.online or self.status.problem != problem:
            log.info("hub link down: %s", problem)
        self.status.online, self.status.problem, self.status.revoked = False, problem, revoked

    def _changed(self, changes: list[dict]) -> None:
        if self.on_change is not None:
            try:
                self.on_change(changes)
            except Exception:
                log.exception("change listener failed")
