"""Every counter, gauge and histogram the hub keeps, in one place, with bounded labels only.

No label ever carries a path with ids in it, a name, a phone, a device's name or id, or any value a
caller chose: routes are their templates, event kinds come from the wire contract, reasons from the
hub's own codes. With several worker processes (`lingong hub --workers N`) prometheus-client's
multiprocess mode adds the processes' values up (see hub.server and hub.metrics.router)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

# Long polls are held up to 25 s: the buckets reach past that so they do not all land in +Inf.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30)

REQUESTS = Counter(
    "lingong_http_requests", "Requests answered, by route template, method and status", ["route", "method", "status"]
)
LATENCY = Histogram(
    "lingong_http_request_duration_seconds",
    "Time to answer, by route template and method (long polls include their wait)",
    ["route", "method"],
    buckets=LATENCY_BUCKETS,
)
LONG_POLLS = Gauge(
    "lingong_feed_long_polls_open",
    "Change-feed requests held open now, waiting for a change",
    multiprocess_mode="livesum",
)
STREAMS = Gauge(
    "lingong_feed_streams_open",
    "Change streams devices hold open now",
    multiprocess_mode="livesum",
)
EVENTS = Counter(
    "lingong_events",
    "Device events taken in, by kind and outcome (applied, rejected, duplicate)",
    ["kind", "status"],
)
EVENT_BATCHES_REFUSED = Counter(
    "lingong_event_batches_refused", "Whole event batches refused, by the hub's code", ["code"]
)
SEALED_OPEN_FAILURES = Counter(
    "lingong_sealed_open_failures", "Sealed event bodies the hub could not open (wrong key, context or damage)"
)
ENROLL_FAILURES = Counter("lingong_enroll_failures", "Refused device enrollments, by the hub's code", ["code"])
LOGIN_FAILURES = Counter(
    "lingong_login_failures", "Refused staff sign-ins, by reason (password step or second factor)", ["reason"]
)
RATE_LIMITED = Counter("lingong_rate_limited", "Requests refused by a rate limit, by the limit's name", ["limit"])
DB_CONNECTIONS_IN_USE = Gauge(
    "lingong_db_connections_in_use", "Database connections checked out of the pools now", multiprocess_mode="livesum"
)
DB_POOL_CAPACITY = Gauge(
    "lingong_db_pool_size", "Connections each pool keeps open (overflow comes on top)", multiprocess_mode="livesum"
)

# Route labels for what matched no route, so that probes of random paths add one series, not many.
UNMATCHED = "(unmatched)"
