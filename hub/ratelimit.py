"""Rate limits for the public and costly routes, held in the database so that they hold across hub
processes and machines: one counter row per key and time window, the key kept only as a keyed hash
(a phone number must not sit in the database for being rate-limited)."""

from __future__ import annotations

import hashlib
import hmac
import math
import time
from dataclasses import dataclass

from sqlalchemy import BigInteger, Column, Integer, String, Table, select, text

from hub.db import Base, Database
from hub.errors import TooMany
from hub.metrics.instruments import RATE_LIMITED

rate_hits = Table(
    "rate_hits",
    Base.metadata,
    Column("bucket", String(32), primary_key=True),  # HMAC of the limit's name and the key
    Column("window", BigInteger, primary_key=True),  # start of the window, epoch seconds
    Column("hits", Integer, nullable=False),
)

_UPSERT = text(
    'INSERT INTO rate_hits (bucket, "window", hits) VALUES (:b, :w, 1) '
    'ON CONFLICT (bucket, "window") DO UPDATE SET hits = rate_hits.hits + 1 RETURNING hits'
)


@dataclass(frozen=True)
class RateLimit:
    """At most `limit` hits per `per_s` seconds for each key, as a sliding window estimated from
    two fixed ones (the previous window's count weighted by how much of it still overlaps)."""

    name: str
    limit: int
    per_s: int
    message: str = "尝试次数太多，请稍后再试"


class Limiter:
    """Counts hits in their own short transactions: a refused or failed action still counts."""

    def __init__(self, db: Database, secret: bytes, clock=time.time) -> None:
        self.db = db
        self._key = hmac.new(secret, b"rate-limit", hashlib.sha256).digest()
        self.clock = clock

    def _bucket(self, rule: RateLimit, key: str) -> str:
        return hmac.new(self._key, f"{rule.name}\x00{key}".encode(), hashlib.sha256).hexdigest()[:32]

    def hit(self, rule: RateLimit, key: str) -> None:
        """Counts one hit; TooMany (with the seconds to wait) when the limit is passed."""
        now = self.clock()
        window = int(now // rule.per_s) * rule.per_s
        bucket = self._bucket(rule, key)
        with self.db.write() as session:
            current = session.execute(_UPSERT, {"b": bucket, "w": window}).scalar_one()
            previous = (
                session.scalar(
                    select(rate_hits.c.hits).where(
                        rate_hits.c.bucket == bucket, rate_hits.c.window == window - rule.per_s
                    )
                )
                or 0
            )
        elapsed = (now - window) / rule.per_s
        if current + previous * (1 - elapsed) <= rule.limit:
            return
        RATE_LIMITED.labels(rule.name).inc()
        raise TooMany(rule.message, code="rate.too_many", retry_after=_wait(current, previous, elapsed, rule))


def _wait(current: int, previous: int, elapsed: float, rule: RateLimit) -> int:
    """Seconds until the estimate falls back to the limit (whole seconds, at least one)."""
    if current >= rule.limit or previous == 0:
        seconds = (1 - elapsed) * rule.per_s  # this window must end first
    else:
        # current + previous * (1 - t) ≤ limit  ⇔  t ≥ 1 − (limit − current) / previous
        seconds = (1 - (rule.limit - current) / previous - elapsed) * rule.per_s
    return max(1, math.ceil(seconds))


class Limits:
    """The hub's limits. A market hall's visitors share one address (its Wi-Fi), so the phone page
    counts per address generously and per phone number tightly."""

    def __init__(self, limiter: Limiter, enroll_per_minute: int = 10) -> None:
        self.limiter = limiter
        self.enroll = RateLimit("enroll", enroll_per_minute, 60)  # guessing one-time codes, per address
        self.login = RateLimit("login", 10, 60)  # password guesses per address and name
        self.login_address = RateLimit("login-address", 60, 600)  # and per address, whatever the name
        self.second_factor = RateLimit("second-factor", 10, 600)  # codes per account, from anywhere
        self.phone_apply = RateLimit("phone-apply", 60, 600, "提交太频繁了，请过几分钟再试")  # per address
        self.phone_apply_number = RateLimit("phone-apply-number", 5, 3600, "这个手机号报名太频繁了，请过一会儿再试")
        self.order_post = RateLimit("order-post", 20, 600, "提交太频繁了，请过几分钟再试，或直接打驿站电话")
        self.order_post_number = RateLimit(
            "order-post-number", 3, 3600, "这个手机号提交的订单太多了，请过一会儿再试，或直接打驿站电话"
        )
        self.worker_lookup = RateLimit("worker-lookup", 30, 60)  # per kiosk: a visit a minute and then some
        self.checkin = RateLimit("checkin", 30, 60)  # per booth

    def hit(self, rule: RateLimit, key: str) -> None:
        self.limiter.hit(rule, key)
