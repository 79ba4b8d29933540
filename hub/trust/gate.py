"""The gate between publishing and showing: a posting is screened when published or edited, and is
shown on devices and phone pages only when no flag holds it and its employer is not suspended.

hub.postings.service calls `refuse_suspended` and `screen` before it puts a posting in the feed, and
`shown`/`free` while it writes the posting's document; so this module never imports that service."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import func, insert, inspect, select
from sqlalchemy.orm import Session, object_session

from hub.db import utcnow
from hub.employers.models import Employer
from hub.errors import Forbidden
from hub.feed.models import FeedState
from hub.market import pay_guide
from hub.postings.models import Posting, PostingStatus
from wire.documents import MARKET_DOC_ID

from . import screening
from .models import PostingCheck, ReviewState, TrustSetting

UNIT_WORDS = {"hour": "/小时", "day": "/天", "piece": "/单", "lesson": "/课时", "month": "/月"}


def hold_codes(session: Session) -> frozenset[str]:
    """The flags that hold a posting for review: the administrators' choice, or the default."""
    row = session.get(TrustSetting, 1)
    if row is None:
        return screening.DEFAULT_HOLD
    return frozenset(c for c in row.hold.split(",") if c in screening.NAMES)


def refuse_suspended(session: Session, employer_id: int) -> None:
    employer = session.get(Employer, employer_id)
    if employer is not None and employer.suspended_at is not None:
        raise Forbidden(
            f"「{employer.name}」已被暂停发布岗位：{employer.suspended_reason}",
            code="posting.employer_suspended",
            field="employer_id",
        )


def _guide(session: Session, trade_id: int, unit: str, now: dt.datetime) -> tuple[int, int] | None:
    """The trade's guide rate (low, high) in this unit: as devices hold it, from the feed's market
    document (hub.market.publish: guide_rates, republished within minutes of a change and at once for
    an official rate) — one row, where computing guide_rates took 0.2 s over 20,000 postings on every
    publish; computed here only while a hub has no market document yet. Once per transaction."""
    rates = session.info.get("trust_rates")
    if rates is None:
        held = session.scalar(
            select(FeedState.doc).where(
                FeedState.kind == "market", FeedState.entity_id == MARKET_DOC_ID, FeedState.op == "put"
            )
        )
        if held is not None:
            rows = json.loads(held).get("rates") or []
            rates = {(r[0], r[1]): (r[2], r[4]) for r in rows if len(r) >= 5}
        else:
            rates = {(r.trade_id, r.unit.value): (r.low_fen, r.high_fen) for r in pay_guide.guide_rates(session, now)}
        session.info["trust_rates"] = rates
    return rates.get((trade_id, unit))


def _open_counts(session: Session, employer_ids: set[int], now: dt.datetime) -> dict[int, int]:
    rows = session.execute(
        select(Posting.employer_id, func.count())
        .where(Posting.employer_id.in_(employer_ids), Posting.status == PostingStatus.OPEN, Posting.valid_to > now)
        .group_by(Posting.employer_id)
    )
    return dict(rows.all())


def screen(session: Session, p: Posting) -> PostingCheck:
    """Screens a published or edited posting (flushed, with its id) and decides whether it waits for
    review: it does when a flag that holds is among its flags, unless staff approved those flags
    already (an approved posting edited without a new holding sign stays approved)."""
    return screen_all(session, [p])[0]


def screen_all(session: Session, postings: list[Posting]) -> list[PostingCheck]:
    """`screen` for many postings at once (the seed): the guide, the hold and the employers' open
    postings read once for all of them."""
    now = utcnow()
    hold = hold_codes(session)
    counts = _open_counts(session, {p.employer_id for p in postings}, now)
    verified = {
        e.id: e.verified_at is not None
        for e in session.scalars(select(Employer).where(Employer.id.in_({p.employer_id for p in postings})))
    }
    preload(session, postings)
    known = session.info["trust_checks"]
    checks, rows = [], []
    for p in postings:
        flags = screening.screen(
            texts=[p.title, p.requirements, p.benefits],
            address=p.address,
            pay_max_fen=p.pay_max_fen,
            guide=_guide(session, p.trade_id, p.pay_unit.value, now),
            unit_word=UNIT_WORDS.get(p.pay_unit.value, ""),
            employer_verified=verified.get(p.employer_id, False),
            employer_open=counts.get(p.employer_id, 0),
        )
        holding = {f.code for f in flags} & hold
        check = known.get(p.id)
        if check is not None and inspect(check).transient:  # written in bulk earlier in this session
            check = known[p.id] = session.get(PostingCheck, p.id)
        if check is None and len(postings) > 1:  # many new ones (the seed): one insert, not an object each
            row = dict(posting_id=p.id, flags=[[f.code, f.reason] for f in flags], held_by=",".join(sorted(holding)))
            row.update(state=ReviewState.WAITING if holding else ReviewState.CLEAR, approved="", note="")
            rows.append(row | {"screened_at": now})
            known[p.id] = PostingCheck(**rows[-1])  # (transient: what shown and free read)
            checks.append(known[p.id])
            continue
        if check is None:
            check = known[p.id] = PostingCheck(posting_id=p.id, state=ReviewState.CLEAR, approved="", note="")
            session.add(check)
        check.flags = [[f.code, f.reason] for f in flags]
        check.held_by = ",".join(sorted(holding))
        check.screened_at = now
        approved = set(filter(None, check.approved.split(",")))
        if not holding:
            check.state = ReviewState.CLEAR
        elif not (check.state is ReviewState.APPROVED and holding <= approved):
            check.state = ReviewState.WAITING
        checks.append(check)
    if rows:
        session.execute(insert(PostingCheck), rows)
    session.flush()
    return checks


def preload(session: Session, postings: list[Posting]) -> None:
    """The checks of many postings about to be published (the seed, a batch) in one query per 500,
    so that `shown` and `free` ask nothing more of the database for them (a lookup each cost the
    seed of 20,000 postings 5 s)."""
    known = session.info.setdefault("trust_checks", {})
    ids = [p.id for p in postings if p.id is not None and p.id not in known]
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        found = {
            c.posting_id: c for c in session.scalars(select(PostingCheck).where(PostingCheck.posting_id.in_(chunk)))
        }
        known.update({i: found.get(i) for i in chunk})


def _check(p: Posting) -> PostingCheck | None:
    session = object_session(p)
    if session is None or p.id is None:
        return None
    known = session.info.get("trust_checks")
    if known is not None and p.id in known:
        return known[p.id]
    return session.get(PostingCheck, p.id)


def shown(p: Posting) -> bool:
    """Whether devices and phone pages may show the posting (apart from its being open): no review
    holds it and its employer is not suspended. A posting never screened (demo data, older
    records) is shown as before."""
    if p.employer is not None and p.employer.suspended_at is not None:
        return False
    check = _check(p)
    return check is None or check.shown


def free(p: Posting) -> bool:
    """不收费: the employer is verified and the screening found no sign at all."""
    if p.employer is None or p.employer.verified_at is None:
        return False
    check = _check(p)
    return check is not None and not check.flags


STATE_WORDS = {ReviewState.WAITING: "待审核", ReviewState.REJECTED: "已退回", ReviewState.APPROVED: "审核通过"}


def marks(p: Posting) -> dict | None:
    """What the console's posting list says of trust, or None: its flags by name, a review state,
    a suspended employer."""
    check = _check(p)
    suspended = p.employer is not None and p.employer.suspended_at is not None
    if not suspended and (check is None or (not check.flags and check.state is ReviewState.CLEAR)):
        return None
    return {
        "flags": [screening.NAMES.get(code, code) for code in (check.codes if check else [])],
        "state": STATE_WORDS.get(check.state, "") if check else "",
        "suspended": suspended,
    }
