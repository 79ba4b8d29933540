"""GET /metrics in Prometheus text format: the instruments of every hub process, and at each scrape
the feed's head and the fleet's state as the hub knows it from heartbeats (online, offline, how
far behind the head), counted in bounded groups, never one series per device.

Guarded: with LINGONG_METRICS_TOKEN set, only `Authorization: Bearer <token>`; without one, only
a connection from this machine's loopback that no proxy relayed (nginx on the same machine would
otherwise make every outside request look local)."""

from __future__ import annotations

import datetime as dt
import hmac
import ipaddress
import os

import anyio
from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy import BigInteger, cast, select

from hub.devices.models import Device
from hub.errors import Forbidden, Unauthenticated

router = APIRouter(tags=["health"])

ONLINE_WITHIN = dt.timedelta(minutes=3)  # three missed heartbeats (as the console's devices page)
# How far behind the head an online device's last reported cursor is, in changes.
BEHIND = ((0, "0"), (10, "1-10"), (100, "11-100"), (1000, "101-1000"))
OVER = "over-1000"
_RELAYED = ("x-forwarded-for", "x-real-ip", "forwarded", "x-forwarded-proto")


def _allowed(request: Request) -> None:
    token = request.app.state.settings.metrics_token
    if token:
        given = request.headers.get("authorization", "")
        scheme, _, value = given.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip().encode(), token.encode()):
            raise Unauthenticated("监控数据：需要 LINGONG_METRICS_TOKEN 的令牌（Bearer）", code="metrics.token")
        return
    host = request.client.host if request.client else ""
    try:
        local = ipaddress.ip_address(host).is_loopback
    except ValueError:
        local = False
    if not local or any(h in request.headers for h in _RELAYED):
        raise Forbidden("监控数据只给本机（不经代理）看；从别处看请设 LINGONG_METRICS_TOKEN", code="metrics.local_only")


def fleet(session, head: int, now: dt.datetime) -> list[GaugeMetricFamily]:
    """Enrolled, unrevoked devices by kind and state, and online ones by how far behind."""
    rows = session.execute(
        # BIGINT: after a restore the feed goes on from the clock in microseconds, past 32 bits
        # (as_integer() casts to INTEGER, which PostgreSQL then refuses for the whole scrape).
        select(Device.kind, Device.last_seen_at, cast(Device.state["cursor"].as_string(), BigInteger)).where(
            Device.enrolled_at.is_not(None), Device.revoked_at.is_(None)
        )
    ).all()
    states: dict[tuple[str, str], int] = {}
    behind: dict[tuple[str, str], int] = {}
    worst: dict[str, int] = {}
    for kind, seen, cursor in rows:
        kind = kind.value
        if seen is not None and seen.tzinfo is None:
            seen = seen.replace(tzinfo=dt.UTC)
        state = "never_seen" if seen is None else "online" if now - seen < ONLINE_WITHIN else "offline"
        states[kind, state] = states.get((kind, state), 0) + 1
        if state != "online":
            continue
        lag = max(0, head - int(cursor or 0))
        group = next((name for limit, name in BEHIND if lag <= limit), OVER)
        behind[kind, group] = behind.get((kind, group), 0) + 1
        worst[kind] = max(worst.get(kind, 0), lag)
    devices = GaugeMetricFamily(
        "lingong_devices",
        "Enrolled devices by kind and state (online: a heartbeat within 3 min)",
        labels=["kind", "state"],
    )
    for (kind, state), count in sorted(states.items()):
        devices.add_metric([kind, state], count)
    lagging = GaugeMetricFamily(
        "lingong_devices_behind",
        "Online devices by how many changes their last reported cursor is behind the feed's head",
        labels=["kind", "behind"],
    )
    for (kind, group), count in sorted(behind.items()):
        lagging.add_metric([kind, group], count)
    most = GaugeMetricFamily(
        "lingong_device_lag_max_changes", "The most changes any online device of a kind is behind", labels=["kind"]
    )
    for kind, lag in sorted(worst.items()):
        most.add_metric([kind], lag)
    return [devices, lagging, most]


class _Snapshot:
    """A collector that hands out figures read once for this scrape."""

    def __init__(self, families: list) -> None:
        self.families = families

    def collect(self):
        return iter(self.families)


def _read(state) -> list:
    head = state.feed.head
    with state.db.read() as session:
        families = fleet(session, head, dt.datetime.now(dt.UTC))
    feed = GaugeMetricFamily("lingong_feed_head", "The change feed's newest sequence number (this process's view)")
    feed.add_metric([], head)
    return [feed, *families]


def exposition(families: list) -> bytes:
    """The instruments (every worker's, added up, when the hub runs several) and this scrape's
    figures read from the database."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        instruments = CollectorRegistry()
        MultiProcessCollector(instruments)
    else:
        instruments = REGISTRY  # one process: its own instruments, and its CPU and memory
    read = CollectorRegistry(auto_describe=False)
    read.register(_Snapshot(families))
    return generate_latest(instruments) + generate_latest(read)


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    """The hub's figures for Prometheus (see the module's docstring for who may read them)."""
    _allowed(request)
    families = await anyio.to_thread.run_sync(_read, request.app.state)
    body = await anyio.to_thread.run_sync(exposition, families)
    return Response(body, media_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})
