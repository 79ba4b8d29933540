"""The registered workers' index for 岗位找人, kept current without rebuilding it at each registration:
built once (seconds for a city), then topped up with the workers registered since (milliseconds),
and rebuilt only when the top-up grows large or a worker left (erased)."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hub.stations.models import Station
from hub.trades.models import Trade
from hub.workers.models import Worker

from .matching import TopUp, WorkerIndex, WorkerRow
from .models import WorkerHelp

REBUILD_AFTER = 20_000  # workers registered since the build: past this, build again
MARGIN = dt.timedelta(seconds=30)
REGISTERED = Worker.registered_at.is_not(None)


@dataclass(frozen=True)
class _Kept:
    key: tuple  # what the database said when this view was made
    url: str
    base: WorkerIndex
    base_count: int
    base_newest: dt.datetime | None
    helped: frozenset[int]
    view: WorkerIndex | TopUp


_kept: dict[str, _Kept] = {}
_lock = threading.Lock()


def _rows(session: Session, *where) -> tuple[list[WorkerRow], dict[int, int]]:
    places = {s.id: (s.lat, s.lon) for s in session.scalars(select(Station))}
    rows = [
        WorkerRow(wid, intention or {}, *places.get(sid, (None, None)))
        for wid, intention, sid in session.execute(
            select(Worker.id, Worker.intention, Worker.registered_station_id).where(REGISTERED, *where)
        )
    ]
    return rows, {tid: cid for tid, cid in session.execute(select(Trade.id, Trade.category_id))}


def build(session: Session) -> WorkerIndex:
    """Every registered worker, from scratch."""
    rows, category_of = _rows(session)
    helped = frozenset(session.scalars(select(WorkerHelp.worker_id)))
    return WorkerIndex(rows, category_of).with_helped(helped)


def index(session: Session) -> WorkerIndex | TopUp:
    """The index as the database stands: the one kept when nothing changed, the kept one topped up
    with the workers registered since, or a new one."""
    url = session.get_bind().url.render_as_string()
    # Two cheap questions, both answered from the narrow index ix_workers_updated_registered: how
    # many registered, and the latest change to any worker.
    count = session.scalar(select(func.count()).select_from(Worker).where(REGISTERED))
    newest = session.scalar(select(func.max(Worker.updated_at)))
    help_count, help_newest = session.execute(select(func.count(), func.max(WorkerHelp.updated_at))).one()
    key = (url, count, newest, help_count, help_newest)
    with _lock:
        kept = _kept.get("index")
    if kept is not None and kept.key == key:
        return kept.view
    helped = frozenset(session.scalars(select(WorkerHelp.worker_id)))
    if kept is not None and kept.url == url:
        base = kept.base if helped == kept.helped else kept.base.with_helped(helped)
        # Re-read a margin before the build's newest too: a registration committed just after the
        # build, stamped a moment before a later one the build saw, is not missed.
        since = [] if kept.base_newest is None else [Worker.updated_at > kept.base_newest - MARGIN]
        rows, category_of = _rows(session, *since) if since else ([], {})
        joined = sum(1 for r in rows if r.id not in base._row)
        if since and len(rows) <= REBUILD_AFTER and count == kept.base_count + joined:
            view = TopUp(base, WorkerIndex(rows, category_of).with_helped(helped)) if rows else base
            _keep(_Kept(key, url, base, kept.base_count, kept.base_newest, helped, view))
            return view
    base = build(session)  # first use, a worker erased or unregistered, or too many since the build
    _keep(_Kept(key, url, base, count, newest, helped, base))
    return base


def _keep(kept: _Kept) -> None:
    with _lock:
        _kept["index"] = kept


def index_now() -> WorkerIndex | TopUp | None:
    """The index as last kept (for tests and benches), without asking the database."""
    with _lock:
        kept = _kept.get("index")
    return kept.view if kept is not None else None
