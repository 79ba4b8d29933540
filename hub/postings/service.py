"""Publishing, editing, closing and filling postings; their documents and visibility for devices."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, object_session

from floor import timezone
from hub.employers.models import Employer
from hub.errors import Forbidden, Invalid, NotFound
from hub.feed import service as feed
from hub.feed.scope import Scope
from hub.outreach import service as outreach
from hub.staff.service import Principal
from hub.stations.models import Station
from hub.stations.service import own_point
from hub.trades.models import Trade
from hub.trust import gate as trust
from wire.documents import PostingDoc

from .models import Posting, PostingStatus, posting_stations
from .schemas import PostingIn, PostingPatch


def posting_scope(p: Posting) -> Scope:
    stations = None if p.all_stations else frozenset(s.id for s in p.stations)
    return Scope(stations=stations, trade=p.trade_id, category=p.trade.category_id, employer=p.employer_id)


def shown_at(p: Posting, station_id: int) -> bool:
    """Whether the posting is shown at this station (every station, or one of its own)."""
    return p.all_stations or any(s.id == station_id for s in p.stations)


def shown_here(session: Session, ids: Iterable[int], station_id: int) -> set[int]:
    """Which of these postings are shown at this station (shown_at), in one light statement: every
    wall's proof of play asks it, without loading the postings themselves."""
    listed = posting_stations.c
    here = select(listed.posting_id).where(listed.posting_id == Posting.id, listed.station_id == station_id).exists()
    return set(session.scalars(select(Posting.id).where(Posting.id.in_(set(ids)), or_(Posting.all_stations, here))))


def own_place(p: Posting, stations: Iterable[Station]) -> bool:
    """Whether the posting's point is its own (hub.stations.service.own_point)."""
    return own_point(p.lat, p.lon, stations)


def _stations(p: Posting) -> list[Station]:
    session = object_session(p)
    return list(session.scalars(select(Station))) if session is not None else []


def posting_doc(p: Posting, stations: list[Station] | None = None) -> PostingDoc:
    """What a kiosk or wall needs to show and match a posting (pay in fen, times in epoch s);
    `stations` every station, when the caller has them already (else they are read)."""
    return {
        "id": p.id,
        "title": p.title,
        "trade": p.trade_id,
        "category": p.trade.category_id,
        "employer": p.employer_id,
        "headcount": p.headcount,
        "filled": p.filled,
        "pay_min": p.pay_min_fen,
        "pay_max": p.pay_max_fen,
        "unit": p.pay_unit.value,
        "settle": p.settlement.value,
        "start": p.work_start.isoformat(),
        "end": p.work_end.isoformat() if p.work_end else None,
        "hours": p.daily_hours,
        "district": p.district,
        "address": p.address,
        "lat": round(p.lat, 5),
        "lon": round(p.lon, 5),
        "own_place": own_place(p, _stations(p) if stations is None else stations),
        "stations": None if p.all_stations else sorted(s.id for s in p.stations),
        "contact": p.contact_person,
        "phone": p.contact_phone,
        "req": p.requirements,
        "benefits": p.benefits,
        "age_min": p.age_min,
        "age_max": p.age_max,
        "urgent": p.urgent,
        "cert": p.certificate,
        "free": trust.free(p),  # 不收费: a verified employer, no sign found at screening
        "fast": _fast(p),
        "from": feed.epoch(p.valid_from),
        "to": feed.epoch(p.valid_to),
        "ver": p.version,
    }


def _fast(p: Posting) -> list[int] | None:
    """即时快招 as [from, interrupting card until, until] (epoch s), or None (hub.postings.fast)."""
    if p.fast_from is None or p.fast_to is None or p.fast_to <= p.fast_from:
        return None
    return [feed.epoch(p.fast_from), feed.epoch(p.fast_card_to or p.fast_from), feed.epoch(p.fast_to)]


def posting_change(p: Posting, stations: list[Station] | None = None) -> feed.Change:
    """Open postings with places are put; full or closed ones become tombstones on devices."""
    live = p.status is PostingStatus.OPEN and p.filled < p.headcount and trust.shown(p)  # (held: hub.trust)
    doc = posting_doc(p, stations) if live else None
    return feed.Change("posting", p.id, posting_scope(p), doc, reason=p.status.value)


def publish(session: Session, postings: Iterable[Posting]) -> None:
    postings = list(postings)
    if len(postings) > 1:
        trust.preload(session, postings)  # (their reviews in one query, not one each)
    stations = list(session.scalars(select(Station)))  # (own_place: read once, not once a posting)
    feed.record(session, [posting_change(p, stations) for p in postings])


# The rules between a posting's fields: (the fields each needs, is it broken, the refusal).
RULES = (
    (("pay_min_fen", "pay_max_fen"), lambda v: v["pay_max_fen"] < v["pay_min_fen"],
     lambda: Invalid("最高薪资不能低于最低薪资", code="posting.pay_range", field="pay_max_fen")),
    (("filled", "headcount"), lambda v: v["filled"] > v["headcount"],
     lambda: Invalid("已招人数不能超过招聘人数", code="posting.overfilled", field="filled")),
    (("work_start", "work_end"), lambda v: v["work_end"] < v["work_start"],
     lambda: Invalid("结束日期不能早于开工日期", code="posting.work_dates", field="work_end")),
    (("age_min", "age_max"), lambda v: v["age_min"] > v["age_max"],
     lambda: Invalid("年龄上限不能低于下限", code="posting.age_range", field="age_max")),
    (("valid_from", "valid_to"), lambda v: v["valid_to"] <= v["valid_from"],
     lambda: Invalid("下架时间必须晚于上架时间", code="posting.valid_range", field="valid_to")),
)  # fmt: skip


def problems(values: Mapping[str, Any]) -> list[Invalid]:
    """Every rule between fields that `values` break; a rule missing a value (a field left empty,
    or wrong on its own) is skipped — the console shows all of a form's errors at once."""
    return [
        refusal()
        for needs, broken, refusal in RULES
        if all(values.get(k) is not None for k in needs) and broken(values)
    ]


def check(p: Posting) -> None:
    """The rules between fields, for new and edited postings alike (the first one broken)."""
    found = problems({k: getattr(p, k) for needs, _, _ in RULES for k in needs})
    if found:
        raise found[0]


def _references(session: Session, p: Posting, station_ids: list[int] | None, by: Principal) -> None:
    trade = session.get(Trade, p.trade_id)
    if trade is None:
        raise Invalid(f"没有编号为 {p.trade_id} 的工种", code="posting.trade_unknown", field="trade_id")
    if session.get(Employer, p.employer_id) is None:
        raise Invalid(f"没有编号为 {p.employer_id} 的单位", code="posting.employer_unknown", field="employer_id")
    p.trade = trade
    if station_ids is None:
        if not by.is_admin:
            raise Invalid(
                "驿站工作人员只能发布到自己的驿站，请选择", code="posting.stations_needed", field="station_ids"
            )
        p.all_stations, p.stations = True, []
        return
    if not station_ids:
        raise Invalid("至少选择一个驿站，或选择全部驿站", code="posting.no_station", field="station_ids")
    stations = list(session.scalars(select(Station).where(Station.id.in_(station_ids))))
    if len(stations) != len(set(station_ids)):
        raise Invalid("选择的驿站里有不存在的", code="posting.station_unknown", field="station_ids")
    for sid in station_ids:
        if not by.may_station(sid):
            raise Forbidden(f"编号为 {sid} 的驿站不是您的", code="posting.station_not_yours", field="station_ids")
    p.all_stations, p.stations = False, stations


def create(session: Session, data: PostingIn, by: Principal) -> Posting:
    values = data.model_dump(exclude={"station_ids"})
    posting = Posting(**values)
    posting.status = PostingStatus.FULL if posting.filled >= posting.headcount else PostingStatus.OPEN
    _references(session, posting, data.station_ids, by)
    check(posting)
    trust.refuse_suspended(session, posting.employer_id)
    session.add(posting)
    session.flush()
    trust.screen(session, posting)  # a flag that holds keeps it off every screen until reviewed
    publish(session, [posting])
    if posting_change(posting).doc is not None:  # shown on devices now: 岗位找人 ranks the registered workers
        outreach.on_published(session, posting, dt.datetime.now(timezone.local()).date())
    return posting


def get(session: Session, posting_id: int) -> Posting:
    posting = session.get(Posting, posting_id)
    if posting is None:
        raise NotFound(f"没有编号为 {posting_id} 的岗位", code="posting.not_found")
    return posting


def may_edit(posting: Posting, by: Principal) -> bool:
    """Administrators change any posting; station staff those shown only at their own stations."""
    return by.is_admin or (not posting.all_stations and {s.id for s in posting.stations} <= by.station_ids)


def editable(session: Session, posting_id: int, by: Principal) -> Posting:
    posting = get(session, posting_id)
    if not may_edit(posting, by):
        raise Forbidden("发布到您的驿站以外的岗位只有管理员可以修改", code="posting.edit_forbidden")
    return posting


def update(session: Session, posting_id: int, patch: PostingPatch, by: Principal) -> Posting:
    posting = editable(session, posting_id, by)
    values = patch.model_dump(exclude_unset=True)
    stations_given = "station_ids" in values
    station_ids = values.pop("station_ids", None)
    for key, value in values.items():
        setattr(posting, key, value)
    if stations_given or "trade_id" in values or "employer_id" in values:
        current = None if posting.all_stations else [s.id for s in posting.stations]
        _references(session, posting, station_ids if stations_given else current, by)
    check(posting)
    if posting.status is not PostingStatus.CLOSED:
        posting.status = PostingStatus.FULL if posting.filled >= posting.headcount else PostingStatus.OPEN
    if "employer_id" in values:
        trust.refuse_suspended(session, posting.employer_id)
    posting.version += 1
    session.flush()
    trust.screen(session, posting)
    publish(session, [posting])
    return posting


def set_status(session: Session, posting_id: int, status: PostingStatus, by: Principal) -> Posting:
    """Close, mark full (all places filled) or reopen."""
    posting = editable(session, posting_id, by)
    if status is PostingStatus.FULL:
        posting.filled = posting.headcount
    elif status is PostingStatus.OPEN and posting.filled >= posting.headcount:
        raise Invalid("已经招满：要重新开放，请先增加招聘人数", code="posting.full", field="status")
    posting.status = status
    posting.version += 1
    session.flush()
    publish(session, [posting])
    return posting
