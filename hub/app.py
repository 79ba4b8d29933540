"""The hub's FastAPI application, built by a factory: nothing is opened or read at import time."""

from __future__ import annotations

import gc
import logging
import signal
import threading
from contextlib import asynccontextmanager
from pathlib import Path

import anyio
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from floor import __version__, logs

from . import migrate
from .audit.middleware import AuditTrail
from .db import Database
from .devices.auth import DeviceAuth
from .errors import HubError
from .feed.cache import FeedCache
from .feed.snapshot import SnapshotCache
from .feed.stream import SERVER_SEND
from .keys import load_or_create
from .market import publish as market_publish
from .metrics import pool as metrics_pool
from .metrics.middleware import RequestMetrics
from .privacy import retention
from .ratelimit import Limiter, Limits
from .settings import Settings
from .web.edge import CleanAddresses
from .web.headers import SecurityHeaders

log = logging.getLogger("hub")


class HubApp(FastAPI):
    """FastAPI, with the server's own `send` left on each request's scope for the change stream's
    lines (hub.feed.stream.SERVER_SEND): every middleware here acts on an answer's start (its
    status, its headers, the audit entry), none on its body, and a city's streams write hundreds
    of thousands of lines a minute through those five layers for nothing."""

    async def __call__(self, scope, receive, send) -> None:
        scope[SERVER_SEND] = send
        await super().__call__(scope, receive, send)


def create_app(settings: Settings | None = None) -> HubApp:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        logs.stacks_on_signal()  # a worker process too: kill -USR1 shows where a wedged one waits
        db = Database(settings.db_url)
        metrics_pool.watch(db.engine)
        # Every process checks (uvicorn may start a worker again long after the others, on code
        # installed since); on a current database that is one statement, without Alembic.
        await anyio.to_thread.run_sync(migrate.at_start, db.engine, settings.home, settings.migrate_on_start)
        feed = FeedCache(db, window=settings.feed_window, poll_s=settings.feed_poll_s)
        db.on_feed_change(feed.poke)
        keys = load_or_create(settings.home)
        app.state.settings = settings
        app.state.db = db
        app.state.keys = keys
        app.state.feed = feed
        app.state.snapshots = SnapshotCache(feed)
        app.state.device_auth = DeviceAuth(db, feed)
        app.state.limits = Limits(Limiter(db, keys.id_secret), settings.enroll_per_minute)
        from .events.router import intake_limiter  # (the routes are imported with the app)

        app.state.intake = intake_limiter()  # batches applied at a time in this process
        await feed.start()
        _drain_on_exit_signals(feed)
        # What the process has loaded by now (the code, the feed's window and live documents) lives
        # as long as it does: kept out of the collector's way, a full collection does not walk it
        # again each time (gc.freeze, as long-running servers use it). Given back at the end: a
        # process that starts app after app (the tests) would otherwise keep each one's cycles.
        # (No gc.collect() first: 0.2 s of CPU at each start, a third of an in-process test's.)
        gc.freeze()
        stop = anyio.Event()
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(retention.run_forever, db, settings, stop)
            tasks.start_soon(market_publish.run_forever, db, stop)  # first at once, then every 5 min
            try:
                yield
            finally:
                stop.set()
                await feed.stop()
                gc.unfreeze()
        metrics_pool.unwatch(db.engine)
        db.dispose()

    # Bodies over the limit get 413 before they are read whole (Starlette's body limit).
    # FastAPI's OpenTelemetry hooks are off: nothing is exported, they look up providers on
    # every request, and their exception logs could carry request contents off the machine.
    # The API reference pages are off unless asked for, and then served from the hub itself.
    app = HubApp(
        title="lingong hub",
        version=__version__,
        lifespan=lifespan,
        max_body_size=settings.max_body_bytes,
        docs_url=None,
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    _error_handlers(app)
    _routes(app)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "web" / "static"), name="static")
    if settings.api_docs:
        from .web import docs

        docs.mount(app)
    # Outermost last: the client's address is settled first (only trusted proxies may restate it),
    # then hostile addresses are refused, then every answer gets its security headers, and staff
    # actions their audit entries.
    app.add_middleware(AuditTrail)
    app.add_middleware(SecurityHeaders, https=settings.https)
    app.add_middleware(CleanAddresses)
    app.add_middleware(RequestMetrics)  # counts what the middlewares inside refuse, too
    if settings.trusted_proxies:
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
    return app


def _drain_on_exit_signals(feed: FeedCache) -> None:
    """Chains onto the server's SIGTERM/SIGINT handlers (uvicorn installs them before the app
    starts) so that held long polls answer at once instead of being cut at the grace period."""
    if threading.current_thread() is not threading.main_thread():
        return  # an in-process test client: no signals to chain
    for sig in (signal.SIGTERM, signal.SIGINT):
        previous = signal.getsignal(sig)
        if callable(previous):

            def handler(signum, frame, previous=previous):
                feed.drain()
                previous(signum, frame)

            signal.signal(sig, handler)


def _routes(app: FastAPI) -> None:
    from .announcements.router import router as announcements
    from .buses.router import router as buses
    from .devices.router import router as devices
    from .employers.router import router as employers
    from .events.router import router as events
    from .fairs.router import router as fairs
    from .feed.router import router as feed
    from .interviews.router import router as interviews
    from .market.router import router as market
    from .metrics.router import router as metrics
    from .postings.router import router as postings
    from .releases.router import router as releases
    from .stations.router import router as stations
    from .teams.router import router as teams
    from .trades.router import router as trades
    from .training.router import router as training
    from .web.console import router as console
    from .web.fair_pages import router as fair_pages
    from .web.household import router as household_pages
    from .web.interview import router as interview_pages
    from .web.market_page import router as market_page
    from .web.offer_pages import router as offer_pages
    from .web.phone import router as phone_pages
    from .web.phone_report import router as phone_reports
    from .workers.router import router as workers

    for router in (
        feed,
        events,
        devices,
        stations,
        trades,
        employers,
        postings,
        announcements,
        releases,
        workers,
        interviews,
        training,
        buses,
        fairs,
        teams,
        market,
        metrics,
        phone_pages,
        phone_reports,
        market_page,
        household_pages,
        interview_pages,
        fair_pages,
        offer_pages,
        console,
    ):
        # The routers' own routes, not include_router(): FastAPI 0.165 wraps an included router
        # and builds each of its 180 routes again for every new app at its first request (0.17 s
        # of CPU; a test process starts hundreds of apps). The routes carry their routers' prefixes
        # and tags already, include_router() here added none, and the app's body limit is its
        # middleware's (AppBodyLimitMiddleware): what each route answers is the same.
        app.router.routes.extend(router.routes)

    @app.get("/healthz", tags=["health"])
    def healthz(request: Request) -> dict:
        """Answers without credentials: is this process up, and can it reach its database?"""
        state = request.app.state
        try:
            with state.db.read() as session:
                session.execute(text("SELECT 1"))
            database = "ok"
        except OperationalError:
            database = "unreachable"
        return {
            "status": "ok" if database == "ok" else "degraded",
            "database": database,
            "feed_head": state.feed.head,
            "version": __version__,
        }


def _error_handlers(app: FastAPI) -> None:
    from fastapi.responses import RedirectResponse

    from .staff.cookie import ACCOUNT_PATH, LoginRequired, PasswordChangeRequired

    @app.exception_handler(LoginRequired)
    async def login_first(_request: Request, _exc: LoginRequired) -> RedirectResponse:
        return RedirectResponse("/staff/login", status_code=303)

    @app.exception_handler(PasswordChangeRequired)
    async def new_password_first(_request: Request, _exc: PasswordChangeRequired) -> RedirectResponse:
        return RedirectResponse(ACCOUNT_PATH, status_code=303)

    @app.exception_handler(HubError)
    async def hub_error(_request: Request, exc: HubError) -> JSONResponse:
        return JSONResponse(exc.body(), status_code=exc.status, headers=exc.headers())

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"error": str(exc.detail)}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        fields = []
        for err in exc.errors():
            loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "header")]
            message = err.get("msg", "invalid").removeprefix("Value error, ")
            fields.append({"field": ".".join(loc) or "body", "message": message})
        first = fields[0] if fields else {"field": "body", "message": "invalid"}
        return JSONResponse(
            {"error": f"{first['field']}: {first['message']}", "field": first["field"], "fields": fields},
            status_code=422,
        )

    @app.exception_handler(IntegrityError)
    async def conflict(_request: Request, exc: IntegrityError) -> JSONResponse:
        log.warning("integrity error: %s", type(exc.orig).__name__)
        return JSONResponse({"error": "conflicts with an existing record"}, status_code=409)

    @app.exception_handler(DBAPIError)
    async def database_trouble(request: Request, exc: DBAPIError) -> JSONResponse:
        """The database failed the request (unreachable, a lock, a trigger, a constraint it checks):
        the transaction rolled back, nothing was kept, and the caller may try again. Only the
        error's class is logged: its text can quote the values (names, phones) it was given."""
        log.error("database error on %s %s: %s", request.method, request.url.path, type(exc.orig).__name__)
        return JSONResponse(
            {"error": "the database could not complete this; nothing was saved, try again"},
            status_code=503,
            headers={"Retry-After": "5"},
        )
