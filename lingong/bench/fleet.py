"""A fleet of simulated devices for the benchmarks: hundreds per process on one asyncio loop.

Each simulated device does a device's real work against the hub — enrollment, a snapshot into
its own `DeviceStore`, the change stream whose lines it stores there, and its workers' applications
through the real outbox (sealed, numbered, acknowledged) — but talks HTTP through one aiohttp
session instead of a `SyncAgent`'s two threads and `requests`. On a 2-core machine that runs the
hub too, 500 agents' thread and client overhead would be what the benchmark measured; real
kiosks each have a CPU of their own. Real agents run alongside as a control group (agents.py).
"""

from __future__ import annotations

import asyncio
import gzip
import json
import random
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import ClassVar

import aiohttp

from cardreader.fictional import person
from floor import logs
from sync.agent import scope_key
from sync.enroll import enroll
from sync.store import DeviceStore
from wire import protocol

# Devices of one process enrolling and taking their snapshot at the same time (a fleet being set
# up; what is measured starts once all are following the stream).
SETTING_UP_AT_ONCE = 8


class SimulatedDevice:
    def __init__(self, http: aiohttp.ClientSession, home: Path, kind: str, events: int):
        self.http = http
        self.kind = kind
        self.events = events
        self.store = DeviceStore.in_home(home)
        enrollment = self.store.enrollment()
        self.device_id = enrollment.device_id
        self.auth = {"Authorization": f"Bearer {enrollment.token}", "Accept-Encoding": "gzip"}
        self.received: list[tuple] = []
        self.created: list[str] = []
        self.bootstrap_s = 0.0
        self.postings: list[int] = []

    @property
    def cursor(self) -> int | None:
        return self.store.cursor

    def digest(self, now: float) -> str:
        return self.store.digest(now)

    async def _device(self) -> dict:
        """The device's own document (/devices/me), which a snapshot leaves out."""
        async with self.http.get(f"{protocol.API}/devices/me", headers=self.auth) as r:
            r.raise_for_status()
            return await r.json()

    async def bootstrap(self) -> None:
        t0 = time.monotonic()
        device = await self._device()
        async with self.http.get(protocol.SNAPSHOT_PATH, headers=self.auth) as r:
            body = await r.json()
        cursor, documents = protocol.decode_snapshot(body)
        self.store.replace_all(cursor, [*documents, ("device", device)])
        self.bootstrap_s = time.monotonic() - t0
        self.postings = self.store.posting_ids() if self.events else []

    async def poll(self, stop: asyncio.Event) -> None:
        """Follows the change stream until stopped, storing every change (the propagation being
        measured); reconnects from its cursor whenever the hub ends the stream."""
        while not stop.is_set():
            params = {"since": self.cursor, "beat": protocol.MAX_BEAT_S}
            try:
                async with self.http.get(
                    protocol.STREAM_PATH,
                    params=params,
                    headers=self.auth,
                    timeout=aiohttp.ClientTimeout(total=None, sock_connect=10, sock_read=protocol.MAX_BEAT_S + 15),
                ) as r:
                    if r.status == 410:
                        await self.bootstrap()
                        continue
                    if r.status != 200:
                        raise aiohttp.ClientResponseError(r.request_info, (), status=r.status)
                    async for line in r.content:
                        if line.strip():
                            self._take(json.loads(line))
            except (aiohttp.ClientError, TimeoutError, ValueError):
                await asyncio.sleep(0.5)

    def _take(self, body: dict) -> None:
        changes = body.get("changes")
        if not changes:
            self.store.advance_cursor(body["cursor"])
            return
        self.store.apply_changes(body["cursor"], changes)
        now = time.time()
        self.received.extend((now, c["k"], c["id"], c["op"], c["d"].get("ver")) for c in changes)

    async def apply_for_job(self, rng: random.Random) -> None:
        who = person(rng)
        with self.store.user_action() as action:
            action.emit(
                "application",
                {"posting": rng.choice(self.postings)},
                person={"id_number": who.id_number, "name": who.name, "phone": who.phone, "consent": True},
            )
        self.created.extend(action.uids)
        await self.push()

    async def push(self) -> None:
        """Sends the outbox until it is empty, dropping only what the hub reports applied."""
        while pending := self.store.outbox.pending(protocol.MAX_EVENTS_PER_BATCH):
            try:
                async with self.http.post(protocol.EVENTS_PATH, json={"events": pending}, headers=self.auth) as r:
                    if r.status != 200:
                        raise aiohttp.ClientResponseError(r.request_info, (), status=r.status)
                    answer = await r.json()
            except (aiohttp.ClientError, TimeoutError):
                await asyncio.sleep(0.5)
                continue
            self.store.outbox.acknowledge(answer["applied_through"], answer["results"])


def _dumps(doc: dict) -> str:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))  # as sync.store keeps a document


class LightDevice(SimulatedDevice):
    """For `lingong bench sync --light`. Five thousand devices each holding 22,000 postings in a
    database of their own would need about 100 GB of disk on the one machine that runs them all,
    and real kiosks each have their own. A light device holds the snapshot it took — shared, read
    only, with the devices of its process that took the same one (the same cursor and the same
    view: the hub makes one snapshot per view) — and every change it received since, on top, in
    memory. Enrollment and the outbox (sealed, numbered events) stay the real store's; what it
    holds is compared with the hub's by the same digest (`wire.protocol.digest`)."""

    bases: ClassVar[dict[tuple, dict[tuple[str, int], str]]] = {}
    latest: ClassVar[dict[tuple, dict[tuple[str, int], str]]] = {}  # by view
    digests: ClassVar[dict[tuple, str]] = {}

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.base: dict[tuple[str, int], str] = {}
        self.overlay: dict[tuple[str, int], str | None] = {}
        self._cursor: int | None = None

    @property
    def cursor(self) -> int | None:
        return self._cursor

    async def bootstrap(self) -> None:
        t0 = time.monotonic()
        device = await self._device()
        async with self.http.get(protocol.SNAPSHOT_PATH, headers=self.auth) as r:
            r.raise_for_status()
            raw = await r.read()
            cursor = protocol.parse_etag(r.headers.get("ETag"))
        key = (cursor, scope_key(device))
        base = self.bases.get(key)
        if base is None:
            if raw[:2] == b"\x1f\x8b":  # still gzipped (a session that leaves bodies as they came)
                raw = gzip.decompress(raw)
            cursor, documents = protocol.decode_snapshot(json.loads(raw))
            # The same view's earlier snapshot holds most of these documents already: share them.
            earlier = self.latest.get(key[1], {})
            base = {}
            for kind, doc in documents:
                text = _dumps(doc)
                held = earlier.get((kind, doc["id"]))
                base[(kind, doc["id"])] = held if held == text else text
            self.bases[key] = self.latest[key[1]] = base
        self.base, self.overlay, self._cursor = base, {("device", self.device_id): _dumps(device)}, cursor
        self.bootstrap_s = time.monotonic() - t0
        self.postings = [i for k, i in base if k == "posting"] if self.events else []

    def _take(self, body: dict) -> None:
        changes = body.get("changes") or []
        for c in changes:
            self.overlay[(c["k"], c["id"])] = _dumps(c["d"]) if c["op"] == protocol.PUT else None
        self._cursor = body["cursor"]
        if changes:
            now = time.time()
            self.received.extend((now, c["k"], c["id"], c["op"], c["d"].get("ver")) for c in changes)

    def digest(self, now: float) -> str:
        # Devices that took the same snapshot and the same changes since hold the same: one hash.
        key = (id(self.base), now, tuple(sorted((k, v) for k, v in self.overlay.items() if k[0] != "device")))
        found = self.digests.get(key)
        if found is None:
            docs = {**self.base, **self.overlay}
            rows = [(kind, ident, doc) for (kind, ident), doc in docs.items() if doc is not None]
            found = self.digests[key] = protocol.digest(rows, now)
        return found


async def _run(hub_url: str, specs: list[dict], control: Connection, seed: int) -> None:
    rng = random.Random(seed)
    connector = aiohttp.TCPConnector(limit=0, keepalive_timeout=60)
    # A stream's first line may carry thousands of changes (a device catching up): room for it.
    async with aiohttp.ClientSession(hub_url, connector=connector, auto_decompress=True, read_bufsize=2**22) as http:
        loop = asyncio.get_running_loop()
        room = asyncio.Semaphore(SETTING_UP_AT_ONCE)

        async def set_up(spec: dict) -> SimulatedDevice:
            async with room:
                await loop.run_in_executor(None, enroll, hub_url, spec["code"], Path(spec["home"]))
                kind = LightDevice if spec.get("light") else SimulatedDevice
                device = kind(http, Path(spec["home"]), spec["kind"], spec["events"])
                await device.bootstrap()
                return device

        devices = list(await asyncio.gather(*(set_up(spec) for spec in specs)))
        stop = asyncio.Event()
        polls = [asyncio.create_task(d.poll(stop)) for d in devices]
        control.send(("ready", [d.bootstrap_s for d in devices]))
        command, duration = await loop.run_in_executor(None, control.recv)
        assert command == "go"
        cpu_at_go = time.process_time()
        plan = sorted((rng.uniform(0, duration), d) for d in devices if d.kind == "kiosk" for _ in range(d.events))
        start = loop.time()
        applications = [asyncio.create_task(_at(start + at, d.apply_for_job(rng))) for at, d in plan]
        command, now = await loop.run_in_executor(None, control.recv)
        assert command == "finish"
        await asyncio.gather(*applications)
        for d in devices:
            await d.push()
        cpu_s = time.process_time() - cpu_at_go
        results = [
            {
                "device_id": d.device_id,
                "kind": d.kind,
                "bootstrap_s": d.bootstrap_s,
                "received": d.received,
                "created": d.created,
                "outbox": d.store.outbox.count(),
                "digest": d.digest(now),
            }
            for d in devices
        ]
        control.send(("results", results, cpu_s))
        # Still following the hub: a change it made on its own meanwhile (the market's figures,
        # checked every 5 minutes) reaches the devices a moment later, and the bench asks again.
        while (await loop.run_in_executor(None, control.recv))[0] == "digests":
            control.send([(d.device_id, d.digest(now)) for d in devices])
        stop.set()
        for task in polls:
            task.cancel()
        await asyncio.gather(*polls, return_exceptions=True)
    for d in devices:
        d.store.close()


async def _at(when: float, work) -> None:
    await asyncio.sleep(max(0.0, when - asyncio.get_running_loop().time()))
    await work


def worker(hub_url: str, specs: list[dict], control: Connection, seed: int) -> None:
    """Runs in its own process: ready → go(duration) → finish(now) → results."""
    logs.setup("WARNING")
    asyncio.run(_run(hub_url, specs, control, seed))
