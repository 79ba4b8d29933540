"""Call lists made when a posting is published, call marks, graded help, and 新 for the kiosk."""

from __future__ import annotations

import datetime as dt
import math

from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import Session, object_session

from floor.phone import mask_phone
from hub.applications.models import Application
from hub.db import insert_ignore
from hub.errors import Invalid, NotFound
from hub.postings.models import Posting
from hub.staff.service import Principal
from hub.stations.models import Station
from hub.stations.service import own_point
from hub.training import signups as training
from hub.workers.models import Worker

from .cache import index
from .matching import PostingFacts
from .models import CallStatus, HelpKind, OutreachCall, WorkerHelp

CALL_LIST = 100  # the best this many fitting workers are kept on a posting's call list
NEW_AT_KIOSK = 3  # the top new matches a worker's next card puts first, marked 新
LONG_WAIT_DAYS = 30

CALL_WORDS = {"pending": "未打", "reached": "接通", "declined": "不感兴趣", "applied": "已报名", "no_number": "空号"}
HELP_WORDS = {"long_waiting": "长期未就业", "older": "大龄", "disabled": "残疾", "low_income": "低收入"}


def facts_of(p: Posting) -> PostingFacts:
    """A posting as ranking sees it; one without a place of its own (its point the station's, or
    none) has no point: no distance on the call list, nearness weighed as unknown."""
    session = object_session(p)
    placed = own_point(p.lat, p.lon, session.scalars(select(Station))) if session is not None else True
    return PostingFacts(
        id=p.id,
        trade=p.trade_id,
        category=p.trade.category_id,
        district=p.district,
        pay_max_fen=p.pay_max_fen,
        pay_unit=p.pay_unit.value,
        settlement=p.settlement.value,
        work_start=p.work_start,
        work_end=p.work_end,
        lat=p.lat if placed else math.nan,
        lon=p.lon if placed else math.nan,
        urgent=p.urgent,
        certificate=p.certificate,
    )


def call_station(p: Posting, worker_station: int | None) -> int | None:
    """The station that calls: the worker's own where the posting is shown there, else the posting's."""
    shown = None if p.all_stations else sorted(s.id for s in p.stations)
    if worker_station is not None and (shown is None or worker_station in shown):
        return worker_station
    return shown[0] if shown else None


def on_published(session: Session, p: Posting, today: dt.date) -> int:
    """Ranks the registered workers for a newly published posting and keeps its call list."""
    applied = frozenset(session.scalars(select(Application.worker_id).where(Application.posting_id == p.id)))
    certified = training.completed_in(session, p.trade_id) if p.certificate else frozenset()
    ranked, _found = index(session).rank(facts_of(p), today, applied=applied, certified=certified, limit=CALL_LIST)
    if not ranked:
        return 0
    stations = {
        wid: sid
        for wid, sid in session.execute(
            select(Worker.id, Worker.registered_station_id).where(Worker.id.in_([r.worker_id for r in ranked]))
        )
    }
    known = set(session.scalars(select(OutreachCall.worker_id).where(OutreachCall.posting_id == p.id)))
    kept = 0
    for rank, r in enumerate(ranked, start=1):
        station = call_station(p, stations.get(r.worker_id))
        if station is None or r.worker_id in known:
            continue
        session.add(
            OutreachCall(
                posting_id=p.id,
                worker_id=r.worker_id,
                station_id=station,
                rank=rank,
                score=r.score,
                reasons=[["cert", None]] * r.certified + [[x.code, x.value] for x in r.reasons],
                helped=r.helped,
            )
        )
        kept += 1
    session.flush()
    return kept


def call_list(session: Session, posting_id: int, by: Principal) -> list[dict]:
    """The calls on one posting that the staff member's stations make (administrators: all);
    the phone only of workers who said the station may call them."""
    query = (
        select(OutreachCall, Worker)
        .join(Worker, Worker.id == OutreachCall.worker_id)
        .where(OutreachCall.posting_id == posting_id)
        .order_by(OutreachCall.rank)
    )
    if not by.is_admin:
        query = query.where(OutreachCall.station_id.in_(by.station_ids or {-1}))
    now = dt.datetime.now(dt.UTC)
    return [
        {
            "id": c.id,
            "rank": c.rank,
            "name": w.name_masked or "（未留姓名）",
            "reasons": c.reasons,
            "helped": c.helped,
            "phone": w.phone if (w.contact_consent_at and w.phone) else "",
            "phone_hidden": mask_phone(w.phone) if (w.phone and not w.contact_consent_at) else "",
            "status": c.status.value,
            "station_id": c.station_id,
            "waiting_days": (now - w.registered_at).days if w.registered_at else None,
            "worker_id": w.id,
        }
        for c, w in session.execute(query)
    ]


def may_see_posting(session: Session, posting_id: int, by: Principal) -> Posting:
    """A posting whose call list this staff member may open: one shown at (or called from) their station."""
    posting = session.get(Posting, posting_id)
    if posting is None:
        raise NotFound(f"没有编号为 {posting_id} 的岗位", code="posting.not_found")
    if by.is_admin or posting.all_stations or {s.id for s in posting.stations} & by.station_ids:
        return posting
    calls = session.scalar(
        select(func.count())
        .select_from(OutreachCall)
        .where(OutreachCall.posting_id == posting_id, OutreachCall.station_id.in_(by.station_ids or {-1}))
    )
    if not calls:
        raise NotFound(f"没有编号为 {posting_id} 的岗位", code="posting.not_found")
    return posting


def mark_call(session: Session, call_id: int, status: str, by: Principal) -> OutreachCall:
    """接通/不感兴趣/已报名/空号 on one call of the staff member's station (another's: not found)."""
    call = session.get(OutreachCall, call_id)
    if call is None or not by.may_station(call.station_id):
        raise NotFound("没有这个电话记录", code="outreach.call_not_found")
    try:
        chosen = CallStatus(status)
    except ValueError:
        raise Invalid("没有这个结果", code="outreach.status_unknown", field="status") from None
    if chosen is CallStatus.PENDING:
        raise Invalid("请选接通、不感兴趣、已报名或空号", code="outreach.status_unknown", field="status")
    call.status, call.marked_at, call.marked_by = chosen, dt.datetime.now(dt.UTC), by.user_id
    return call


def set_help(
    session: Session, worker_id: int, kinds: list[str], consent: bool, by: Principal, station_id: int | None
) -> WorkerHelp | None:
    """Marks (or, with no kinds, unmarks) a worker for graded help; marking needs their consent."""
    worker = session.get(Worker, worker_id)
    if worker is None or worker.registered_at is None:
        raise NotFound("没有这位登记的人", code="outreach.worker_not_found")
    found = session.get(WorkerHelp, worker_id)
    if not kinds:
        if found is not None:
            session.delete(found)
        return None
    if any(k not in HelpKind._value2member_map_ for k in kinds) or len(kinds) > len(HelpKind):
        raise Invalid("没有这种帮扶类别", code="outreach.help_kind", field="kinds")
    if not consent:
        raise Invalid("请先问本人是否同意，勾选“本人同意”", code="outreach.help_consent", field="consent")
    now = dt.datetime.now(dt.UTC)
    if found is None:
        # Two staff marking the same worker at once: one row, the later press's choice (a plain
        # INSERT would fail the slower of the two on its primary key).
        insert_ignore(
            session, WorkerHelp.__table__, {"worker_id": worker_id, "kinds": [], "consent_at": now, "updated_at": now}
        )
        found = session.get(WorkerHelp, worker_id, populate_existing=True, with_for_update=True)
    found.kinds, found.station_id, found.marked_by, found.updated_at = sorted(set(kinds)), station_id, by.user_id, now
    session.flush()
    return found


def long_waiting(session: Session, now: dt.datetime, station_ids: set[int] | None = None) -> int:
    """Registered workers waiting more than 30 days since registration without a placement."""
    placed = select(Application.worker_id).where(Application.hired_at.is_not(None))
    query = (
        select(func.count())
        .select_from(Worker)
        .where(
            Worker.registered_at.is_not(None),
            Worker.registered_at < now - dt.timedelta(days=LONG_WAIT_DAYS),
            Worker.id.not_in(placed),
        )
    )
    if station_ids is not None:
        query = query.where(Worker.registered_station_id.in_(station_ids or {-1}))
    return session.scalar(query) or 0


def new_for_kiosk(session: Session, worker_id: int, now: dt.datetime) -> list[int]:
    """The top postings found for this worker since their last card (not seen at a kiosk yet, still
    open), best first; marked seen, so the next card shows them as ordinary matches."""
    rows = list(
        session.execute(
            select(OutreachCall.id, OutreachCall.posting_id)
            .join(Posting, Posting.id == OutreachCall.posting_id)
            .where(
                OutreachCall.worker_id == worker_id,
                OutreachCall.seen_at.is_(None),
                Posting.status == "open",
                Posting.valid_to > now,
            )
            .order_by(OutreachCall.score.desc(), OutreachCall.posting_id)
        )
    )
    if rows:
        session.execute(
            update(OutreachCall)
            .where(and_(OutreachCall.worker_id == worker_id, OutreachCall.seen_at.is_(None)))
            .values(seen_at=now)
        )
    return [pid for _cid, pid in rows[:NEW_AT_KIOSK]]
