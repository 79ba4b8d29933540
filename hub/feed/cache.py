"""This process's window on the change log: recent changes in memory, long polls woken on new ones."""

from __future__ import annotations

import asyncio
import bisect
import gzip
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass

import anyio

from hub.db import Database
from wire.protocol import DELETE, PUT

from . import service
from .alarms import Alarms
from .live import LiveDocs
from .scope import Scope, View, parse
from .service import NOTIFY_CHANNEL
from .waiters import Waiters

log = logging.getLogger(__name__)


# Shared answers: those over ANSWER_KEEP_MAX bytes (a device far behind) are not kept, and all of
# them together stay under ANSWERS_BUDGET until the next change clears them.
ANSWER_KEEP_MAX = 64 * 1024
# How long a request waits for this process's feed to read up to the cursor a device holds (one
# that another hub process gave it a moment before this one had read as far), before it is
# refused as a cursor the hub does not have (410: a snapshot, costly at a city's size).
CATCH_UP_S = 2.0  # ten times the default feed_poll_s; PostgreSQL's NOTIFY is sooner still
CATCH_UP_MAX = 1_000  # changes ahead of this process: past that, no process gave that cursor
# While PostgreSQL's LISTEN connection is up, every commit that records a change notifies this
# process at once and looking on a timer is only a net (for a notification lost as the listener
# reconnects, it looks at once anyway): every LISTENING_POLL_S, not every feed_poll_s.
LISTENING_POLL_S = 2.0
# The listening connection is asked for a reply this often, within LISTEN_REPLY_S: one dropped
# without a word (a NAT, a failover) is found in seconds, not at TCP's keep-alive two hours on.
LISTEN_CHECK_S = 30.0
LISTEN_REPLY_S = 5.0
ANSWERS_BUDGET = 16 * 1024 * 1024


class ResetNeeded(Exception):
    """The cursor is older than this process's window, newer than its head, or from a timeline
    a restore threw away."""


@dataclass(frozen=True, slots=True)
class Entry:
    seq: int
    kind: str
    entity_id: int
    op: str
    doc: str
    scope: Scope
    prev: Scope | None

    def item_for(self, view: View) -> str | None:
        """The JSON of this change as `view` must receive it, or None if it does not concern it."""
        if self.op == PUT and view.sees(self.kind, self.scope):
            return f'{{"seq":{self.seq},"k":"{self.kind}","id":{self.entity_id},"op":"{PUT}","d":{self.doc}}}'
        was_visible = self.prev is not None and view.sees(self.kind, self.prev)
        if (self.op == DELETE and (was_visible or view.sees(self.kind, self.scope))) or (
            self.op == PUT and was_visible
        ):
            # Deleted, or moved out of this device's sight: a tombstone carrying the filter fields.
            doc = (
                self.doc
                if self.op == DELETE
                else service.dumps({"id": self.entity_id, "reason": "scope", **self.scope.tombstone_fields()})
            )
            return f'{{"seq":{self.seq},"k":"{self.kind}","id":{self.entity_id},"op":"{DELETE}","d":{doc}}}'
        return None

    @classmethod
    def of_row(cls, row) -> Entry:
        return cls(row.seq, row.kind, row.entity_id, row.op, row.doc, parse(row.scope), parse(row.prev_scope))


class FeedCache:
    """Holds the newest `window` changes; `head` is the newest sequence number this process knows."""

    def __init__(self, db: Database, *, window: int, poll_s: float):
        self.db = db
        self.window = window
        self.poll_s = poll_s
        self.head = 0
        self.floor = 0  # every change with seq > floor is in memory
        self._seqs: list[int] = []
        self._entries: list[Entry] = []
        # (after, seq) of each restore in the window: cursors strictly between were issued by a
        # hub whose later changes the restore lost (hub.feed.service.mark_restored).
        self._lost: list[tuple[int, int]] = []
        self._listeners: list[Callable[[list[Entry]], None]] = []
        # Each encoded answer, for the head it was made at: a publish wakes every device that sees
        # the same things at the same cursor, and all of them get the bytes the first one caused.
        self._answers: dict[tuple, tuple[int, bytes | None, bool]] = {}
        self._answer_bytes = 0
        self._private: list[int] = []  # seqs of device-private changes (their answers are not shared)
        self._changed = asyncio.Event()  # long polls wake on any change
        self.alarms = Alarms()  # the streams' keep-alives and write deadlines
        self.waiters = Waiters(self.alarms)  # streams wake on the changes that concern them
        self._dirty = asyncio.Event()
        self.live = LiveDocs()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tasks: list[asyncio.Task] = []
        self.draining = False  # the process is shutting down: long polls answer at once
        self._listening = False  # PostgreSQL notifies this process of every change

    # ---- lifecycle -------------------------------------------------------------------------
    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        head, rows, live = await anyio.to_thread.run_sync(self._load_start)
        for kind, ident, doc, scope in live:
            self.live.put(kind, ident, doc, parse(scope))
        self._entries = [Entry.of_row(r) for r in rows]
        self._seqs = [e.seq for e in self._entries]
        self._private = [e.seq for e in self._entries if e.scope.device is not None]
        self._note_restores(self._entries)
        self.head = head
        if len(rows) >= self.window:
            self.floor = rows[0].seq - 1
        self._tasks.append(asyncio.create_task(self._refresher(), name="feed-refresher"))
        if self.db.dialect == "postgresql":
            self._tasks.append(asyncio.create_task(self._listen_postgres(), name="feed-listener"))

    async def stop(self, timeout: float = 5.0) -> None:
        for task in self._tasks:
            task.cancel()
        if self._tasks:
            _, pending = await asyncio.wait(self._tasks, timeout=timeout)
            for task in pending:  # shutting down must not hang on a stuck database call
                log.warning("feed task %s did not stop within %.0f s", task.get_name(), timeout)
        self._tasks.clear()

    def on_entries(self, listener: Callable[[list[Entry]], None]) -> None:
        self._listeners.append(listener)

    def drain(self) -> None:
        """Wakes every waiting long poll so it answers now (the process is about to stop)."""

        def wake() -> None:
            self.draining = True
            changed, self._changed = self._changed, asyncio.Event()
            changed.set()
            self.waiters.wake_all()

        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(wake)

    def poke(self) -> None:
        """Something committed a change: refresh soon. Safe to call from any thread."""
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._dirty.set)

    # ---- reading -----------------------------------------------------------------------------
    def items(self, since: int, view: View, limit: int = 5000) -> tuple[int, list[str]]:
        """Changes after `since` that concern `view`, and the cursor the device may store after them."""
        if since < self.floor or since > self.head or any(after < since < seq for after, seq in self._lost):
            raise ResetNeeded
        items: list[str] = []
        cursor = self.head
        start = bisect.bisect_right(self._seqs, since)
        for entry in self._entries[start:]:
            item = entry.item_for(view)
            if item is not None:
                items.append(item)
                if len(items) >= limit:
                    cursor = entry.seq
                    break
        return cursor, items

    def answer(
        self, since: int, view: View, gzip_above: int | None, *, line: bool = False
    ) -> tuple[int, bytes | None, bool]:
        """`items` as the response body — (cursor, body or None when nothing concerns `view`,
        gzipped) — made once per head for all devices that see the same shared documents from the
        same cursor (and accept the same encoding). `line`: as one line of a stream (newline-ended,
        never gzipped), so that writing it to a hall of streams is one socket write each.
        Raises ResetNeeded as `items` does."""
        private = bool(self._private) and self._private[-1] > since
        key = (view if private else view.shared_key, since, gzip_above, line)
        found = self._answers.get(key)
        if found is not None:
            return found
        cursor, items = self.items(since, view)
        body, zipped = None, False
        if items:
            body = f'{{"cursor":{cursor},"changes":[{",".join(items)}]}}'.encode() + (b"\n" if line else b"")
            if not line and gzip_above is not None and len(body) > gzip_above:
                body, zipped = gzip.compress(body, compresslevel=5), True
        size = len(body) if body is not None else 0
        # Bounded in bytes, not entries: one device walking through old cursors must not pin a
        # body per cursor until the next publish. A long catch-up is one device's: not kept.
        if size <= ANSWER_KEEP_MAX:
            if self._answer_bytes + size > ANSWERS_BUDGET:
                self._answers.clear()
                self._answer_bytes = 0
            self._answers[key] = (cursor, body, zipped)
            self._answer_bytes += size
        return cursor, body, zipped

    def own_change(self, device: int, since: int, cursor: int) -> bool:
        """Whether a change after `since` up to `cursor` is `device`'s own document (its
        configuration, and with it what it sees, or its revocation)."""
        for seq in self._private[bisect.bisect_right(self._private, since) :]:
            if seq > cursor:
                break
            if self._entries[bisect.bisect_left(self._seqs, seq)].scope.device == device:
                return True
        return False

    async def wait_for(self, view: View, since: int, timeout: float) -> None:
        """Waits until a change after `since` concerns `view` (or may: a device's own document), or
        the timeout passes; at once if the feed is already past `since`."""
        if self.head <= since and not self.draining:
            await self.waiters.wait(view, timeout)

    async def reach(self, cursor: int, timeout: float = CATCH_UP_S) -> None:
        """Waits, at most `timeout`, until this process's feed has read up to `cursor`. Devices
        reconnect to whichever hub process takes the connection, and one may have read less of
        the database than the process that answered the device last. Only a cursor the database
        already holds is waited for (and read at once, not at the next poll); one it does not (a
        hub restored from an older backup, a made-up number) is refused by `items` straight away."""
        if cursor <= self.head or self.draining or cursor - self.head > CATCH_UP_MAX:
            return
        if await anyio.to_thread.run_sync(self._database_head) < cursor:
            return
        self._dirty.set()
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        while self.head < cursor and not self.draining and (left := end - loop.time()) > 0:
            await self.wait_beyond(self.head, left)

    def _database_head(self) -> int:
        with self.db.read() as session:
            return service.head(session)

    async def wait_beyond(self, seq: int, timeout: float) -> bool:
        """Waits until something newer than `seq` is known, or the timeout passes."""
        if self.head > seq:
            return True
        changed = self._changed
        try:
            async with asyncio.timeout(timeout):
                await changed.wait()
        except TimeoutError:
            pass
        return self.head > seq

    # ---- keeping up ------------------------------------------------------------------------------
    def _load_start(self):
        """The head, the newest `window` changes and every live document, all as of one moment."""
        with self.db.read() as session:
            service.consistent_reads(session)
            head = service.head(session)
            rows = service.read_latest(session, self.window)
            live = service.live_documents(session)
            session.expunge_all()
            return head, rows, live

    def _load_since(self, seq: int):
        with self.db.read() as session:
            rows = service.read_since(session, seq, limit=10_000)
            session.expunge_all()
            return rows

    def _note_restores(self, entries: list[Entry]) -> None:
        for e in entries:
            if e.kind == service.RESTORED:
                self._lost.append((json.loads(e.doc)["after"], e.seq))

    def _append(self, entries: list[Entry]) -> None:
        if not entries:
            return
        self._note_restores(entries)
        self._entries.extend(entries)
        self._seqs.extend(e.seq for e in entries)
        self._private.extend(e.seq for e in entries if e.scope.device is not None)
        self._answers.clear()  # made for the old head
        self._answer_bytes = 0
        for e in entries:
            self.live.apply(e.kind, e.entity_id, e.op, e.doc, e.scope)
        self.head = entries[-1].seq
        excess = len(self._entries) - self.window
        if excess > self.window // 4:  # trim in chunks: list deletion at the front is O(n)
            self.floor = self._seqs[excess - 1]
            del self._entries[:excess], self._seqs[:excess]
            del self._private[: bisect.bisect_right(self._private, self.floor)]
        for listener in self._listeners:
            listener(entries)
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()
        self.waiters.wake(entries)

    async def _refresher(self) -> None:
        while True:
            try:
                await asyncio.wait_for(
                    self._dirty.wait(), max(self.poll_s, LISTENING_POLL_S) if self._listening else self.poll_s
                )
            except TimeoutError:
                pass
            self._dirty.clear()
            try:
                while True:
                    rows = await anyio.to_thread.run_sync(self._load_since, self.head)
                    self._append([Entry.of_row(r) for r in rows if r.seq > self.head])
                    if len(rows) < 10_000:
                        break
            except Exception:  # the database may be restarting: keep serving, try again
                log.exception("feed refresh failed")
                await asyncio.sleep(1)

    async def _listen_postgres(self) -> None:
        import psycopg

        url = self.db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
                    await conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    self._listening = True
                    self.poke()  # anything committed while we were not listening
                    while True:
                        async for _ in conn.notifies(timeout=LISTEN_CHECK_S):
                            self._dirty.set()
                        async with asyncio.timeout(LISTEN_REPLY_S):
                            await conn.execute("SELECT 1")
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("feed listener lost its connection; reconnecting", exc_info=True)
                await asyncio.sleep(1)
            finally:
                self._listening = False
                self._dirty.set()  # look now, and on the short timer until it listens again
