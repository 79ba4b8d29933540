"""What staff do about trust: review held postings (通过/退回), choose which flags hold, suspend and
lift employers, read workers' reports; and the reports themselves, from kiosks and phone pages."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from floor import timezone
from hub.buses import service as buses
from hub.db import insert_ignore, utcnow
from hub.employers import service as employers
from hub.employers.models import Employer
from hub.errors import Forbidden, Invalid, NotFound
from hub.feed import service as feed
from hub.feed.scope import EVERYONE
from hub.outreach import service as outreach
from hub.postings import service as postings
from hub.postings.models import Posting, PostingStatus, posting_stations
from hub.staff.service import Principal
from hub.stations import service as stations
from hub.stations.models import Station
from hub.workers import service as workers

from . import screening
from .gate import hold_codes
from .models import PostingCheck, Report, ReportReason, ReviewState, TrustSetting

REASON_WORDS = {
    ReportReason.FEES: "收费/押金",
    ReportReason.PAY: "工资不实",
    ReportReason.ADDRESS: "地址不实",
    ReportReason.OTHER: "其他",
}
MAX_NOTE = 200


def _reason_text(text: str, what: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise Invalid(f"请写明{what}的原因", code="trust.reason_needed", field="reason")
    if len(text) > MAX_NOTE:
        raise Invalid(f"原因最多{MAX_NOTE}个字", code="trust.reason_long", field="reason")
    return text


# ---- reviews ---------------------------------------------------------------------------------------
def may_review(p: Posting, by: Principal) -> bool:
    """Administrators review every posting; station staff those shown only at their own stations."""
    return postings.may_edit(p, by)


def queue(session: Session, by: Principal) -> list[tuple[Posting, PostingCheck]]:
    """Postings waiting for review that this staff member may decide, oldest first."""
    rows = session.execute(
        select(Posting, PostingCheck)
        .join(PostingCheck, PostingCheck.posting_id == Posting.id)
        .where(PostingCheck.state == ReviewState.WAITING, Posting.status == PostingStatus.OPEN)
        .order_by(PostingCheck.screened_at)
        .limit(500)
    ).all()
    return [(p, c) for p, c in rows if may_review(p, by)]


def _reviewable(session: Session, posting_id: int, by: Principal) -> tuple[Posting, PostingCheck]:
    posting = postings.get(session, posting_id)
    check = session.get(PostingCheck, posting_id)
    if check is None or check.state is not ReviewState.WAITING:
        raise Invalid("这个岗位不在待审核里（可能已经审核过了）", code="trust.not_waiting", field="posting")
    if not may_review(posting, by):
        raise Forbidden("发布到您的驿站以外的岗位只有管理员可以审核", code="trust.review_forbidden")
    return posting, check


def approve(session: Session, posting_id: int, by: Principal) -> Posting:
    """通过: the posting goes to every screen it was published to, its flags approved as they are."""
    posting, check = _reviewable(session, posting_id, by)
    check.state, check.approved, check.note = ReviewState.APPROVED, check.held_by, ""
    check.reviewed_by, check.reviewed_at = by.user_id, utcnow()
    session.flush()
    postings.publish(session, [posting])
    if postings.posting_change(posting).doc is not None:  # shown now: 岗位找人, as at publishing
        outreach.on_published(session, posting, dt.datetime.now(timezone.local()).date())
    return posting


def reject(session: Session, posting_id: int, reason: str, by: Principal) -> Posting:
    """退回: shown nowhere; an edit screens it again and sends it back to the queue."""
    posting, check = _reviewable(session, posting_id, by)
    check.state, check.note = ReviewState.REJECTED, _reason_text(reason, "退回")
    check.reviewed_by, check.reviewed_at = by.user_id, utcnow()
    session.flush()
    postings.publish(session, [posting])  # (a tombstone: a device that held it drops it)
    return posting


def checks_of(session: Session, posting_ids: list[int]) -> dict[int, PostingCheck]:
    if not posting_ids:
        return {}
    found = session.scalars(select(PostingCheck).where(PostingCheck.posting_id.in_(posting_ids)))
    return {c.posting_id: c for c in found}


def set_hold(session: Session, codes: list[str], by: Principal) -> frozenset[str]:
    """Administrators choose which flags hold a posting (the others only inform staff)."""
    by.require_admin()
    unknown = [c for c in codes if c not in screening.NAMES]
    if unknown:
        raise Invalid("有不认识的标记", code="trust.flag_unknown", field="hold")
    # The one row, made by whichever administrator's press comes first (two at once: one row).
    insert_ignore(session, TrustSetting.__table__, {"id": 1, "hold": "", "updated_at": dt.datetime.now(dt.UTC)})
    row = session.get(TrustSetting, 1, populate_existing=True, with_for_update=True)
    row.hold, row.updated_by = ",".join(c for c in screening.CODES if c in codes), by.user_id
    session.flush()
    hold = hold_codes(session)
    _hold_again(session, hold)
    return hold


def _hold_again(session: Session, hold: frozenset[str]) -> int:
    """The open postings' reviews under a new choice: a flag that now holds sends a posting shown with
    it to the queue (off every screen, unless staff approved that flag already); a flag that no longer
    holds lets out a posting waiting only for it. 退回 stays 退回. Returns the postings republished."""
    checks = session.scalars(
        select(PostingCheck)
        .join(Posting, Posting.id == PostingCheck.posting_id)
        .where(Posting.status == PostingStatus.OPEN, PostingCheck.state != ReviewState.REJECTED)
    )
    moved = []
    for check in checks:
        holding = set(check.codes) & hold
        if ",".join(sorted(holding)) == check.held_by:
            continue
        check.held_by = ",".join(sorted(holding))
        approved = set(filter(None, check.approved.split(",")))
        was_shown = check.shown
        if not holding:
            check.state = ReviewState.APPROVED if check.state is ReviewState.APPROVED else ReviewState.CLEAR
        elif not (check.state is ReviewState.APPROVED and holding <= approved):
            check.state = ReviewState.WAITING
        if check.shown != was_shown:
            moved.append(check.posting_id)
    session.flush()
    for start in range(0, len(moved), 500):
        chunk = moved[start : start + 500]
        postings.publish(session, list(session.scalars(select(Posting).where(Posting.id.in_(chunk)))))
    return len(moved)


# ---- employers -------------------------------------------------------------------------------------
def _employer_postings(session: Session, employer_id: int) -> list[Posting]:
    return list(
        session.scalars(select(Posting).where(Posting.employer_id == employer_id, Posting.status == PostingStatus.OPEN))
    )


def suspend(session: Session, employer_id: int, reason: str, by: Principal) -> int:
    """Suspends an employer: each of its open postings leaves the feed now (a tombstone, as a close
    does), and it can post nothing until lifted. Returns how many postings were withdrawn."""
    employer = employers.get(session, employer_id)
    if not employers.vouches(by, employer):
        raise Forbidden("只有管理员或登记这家单位的驿站可以暂停它", code="trust.suspend_forbidden")
    employer.suspended_reason = _reason_text(reason, "暂停")
    employer.suspended_at = utcnow()
    session.flush()
    withdrawn = _employer_postings(session, employer_id)
    postings.publish(session, withdrawn)
    buses.republish_employer(session, employer_id)  # its chartered buses leave with its postings
    return len(withdrawn)


def lift(session: Session, employer_id: int, by: Principal) -> int:
    """Lifts a suspension: its open postings that no review holds come back."""
    employer = employers.get(session, employer_id)
    if not employers.vouches(by, employer):
        raise Forbidden("只有管理员或登记这家单位的驿站可以恢复它", code="trust.suspend_forbidden")
    employer.suspended_at, employer.suspended_reason = None, ""
    session.flush()
    back = _employer_postings(session, employer_id)
    postings.publish(session, back)
    buses.republish_employer(session, employer_id)
    return len(back)


def suspended(session: Session) -> list[Employer]:
    return list(session.scalars(select(Employer).where(Employer.suspended_at.is_not(None)).order_by(Employer.name)))


# ---- reports ---------------------------------------------------------------------------------------
def report(
    session: Session,
    posting_id: int,
    reason: ReportReason,
    *,
    via: str,
    reporter: str,
    station_id: int | None = None,
    worker_id: int | None = None,
    at: dt.datetime | None = None,
) -> Report:
    """A worker's 举报 (the reporter already masked: an ID's or a phone's masked form)."""
    if session.get(Posting, posting_id) is None:
        raise NotFound(f"没有编号为 {posting_id} 的岗位", code="report.posting_unknown", field="posting")
    if station_id is not None and session.get(Station, station_id) is None:
        station_id = None
    row = Report(
        posting_id=posting_id,
        reason=reason,
        via=via,
        reporter=reporter[:40],
        station_id=station_id,
        worker_id=worker_id,
        created_at=at or utcnow(),
    )
    session.add(row)
    session.flush()
    return row


def reports_for(session: Session, by: Principal, limit: int = 300) -> list[tuple[Report, Posting]]:
    """The reports this staff member's stations get: on postings shown only at their stations, or
    made at one of them (a kiosk's station, a phone page opened from its QR code). Admins: all."""
    query = select(Report, Posting).join(Posting, Posting.id == Report.posting_id)
    if not by.is_admin:  # (narrowed before the limit: else others' reports, a flood of them, fill it)
        theirs = select(posting_stations.c.posting_id).where(posting_stations.c.station_id.in_(by.station_ids or {-1}))
        query = query.where(Report.station_id.in_(by.station_ids or {-1}) | Posting.id.in_(theirs))
    rows = session.execute(query.order_by(Report.id.desc()).limit(limit)).all()
    return [
        (r, p)
        for r, p in rows
        if by.is_admin or postings.may_edit(p, by) or (r.station_id is not None and r.station_id in by.station_ids)
    ]


def report_counts(session: Session, posting_ids: list[int]) -> Counter:
    if not posting_ids:
        return Counter()
    rows = session.execute(
        select(Report.posting_id, func.count()).where(Report.posting_id.in_(posting_ids)).group_by(Report.posting_id)
    )
    return Counter(dict(rows.all()))


# ---- station rules ---------------------------------------------------------------------------------
MAX_RULES = 600
PHONE_CHARS = re.compile(r"^[0-9][0-9 \-]{2,18}[0-9]$")


def set_station_rules(session: Session, station_id: int, rules: str, hotline: str, complaint: str, by: Principal):
    """The station's 服务规范, 服务热线 and 投诉电话: its own staff or an administrator set them; kiosks
    (through the station's document) and phone pages show them."""
    by.require_station(station_id)
    station = stations.get(session, station_id)
    rules = "\n".join(line.strip() for line in (rules or "").strip().splitlines() if line.strip())
    if len(rules) > MAX_RULES:
        raise Invalid(f"服务规范最多{MAX_RULES}个字", code="station.rules_long", field="rules")
    numbers = {"hotline": (hotline or "").strip(), "complaint_phone": (complaint or "").strip()}
    for field, number in numbers.items():
        if number and not PHONE_CHARS.match(number):
            raise Invalid(
                "电话号码只能写数字和短横线，例如 0371-12345678 或 12345", code="station.phone_bad", field=field
            )
    station.rules, station.hotline, station.complaint_phone = rules, numbers["hotline"], numbers["complaint_phone"]
    session.flush()
    feed.record(session, [feed.Change("station", station.id, EVERYONE, stations.station_doc(station))])
    return station


def report_from_kiosk(session: Session, keys, posting_id: int, reason: ReportReason, id_number: str, *, station_id, at):
    """A 举报 from a kiosk: the card's holder is kept as a worker (keyed hash, masked number), and one
    worker's reports of one posting count once (a second tap adds nothing)."""
    worker = workers.find_or_create(session, keys, id_number)
    earlier = session.scalar(select(Report).where(Report.posting_id == posting_id, Report.worker_id == worker.id))
    if earlier is not None:
        return earlier
    return report(
        session, posting_id, reason, via="kiosk", reporter=worker.id_masked, station_id=station_id,
        worker_id=worker.id, at=at,
    )  # fmt: skip
