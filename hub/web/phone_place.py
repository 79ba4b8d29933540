"""Where a phone page's job is: the station heading the page, the 导航 link, how far it is (only when
the posting has a place of its own), similar open jobs, and this browser's own past applications."""

from __future__ import annotations

import datetime as dt
import math
import re
from urllib.parse import urlencode

from fastapi import Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.fields import MAX_ID
from hub.postings.models import Posting, PostingStatus
from hub.postings.service import own_place
from hub.stations.models import Station
from hub.stations.service import SAME_PLACE_DEG
from hub.trades.models import Trade

# The hub keeps plain latitude/longitude with no datum of its own. In China the coordinates staff
# copy come from 高德/腾讯 maps, which show GCJ-02, so the link says so (`coordinate=gaode`); the
# same numbers read as WGS-84 would put the pin 300–600 m off. Scheme and host are fixed here:
# only numbers and the URL-encoded name come from data.
AMAP_MARKER = "https://uri.amap.com/marker"
AMAP_SEARCH = "https://uri.amap.com/search"
APPLIED_COOKIE = "lingong_applied"  # which postings this browser applied to, and when (nobody else's)
APPLIED_KEEP = 20
_APPLIED_ITEM = re.compile(r"^(\d{1,12})\.(\d{9,11})$")


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def place_text(district: str, address: str) -> str:
    """The address once: staff often write the district into the address as well."""
    address = address.strip()
    return address if not district or address.startswith(district) else f"{district}{address}"


def map_link(p: Posting, own: bool) -> str:
    """高德's web map (it opens the app when installed): a pin on the posting's own point, else a
    search for its address (a station's point would send the worker to the wrong door)."""
    place = place_text(p.district, p.address)
    if own:
        query = {
            "position": f"{p.lon:.6f},{p.lat:.6f}",
            "name": f"{p.title}｜{place}"[:80],
            "coordinate": "gaode",
            "callnative": "1",
            "src": "lingong",
        }
        return f"{AMAP_MARKER}?{urlencode(query)}"
    return f"{AMAP_SEARCH}?{urlencode({'keyword': place[:80], 'callnative': '1', 'src': 'lingong'})}"


def page_id(text: str) -> int | None:
    """The number in a phone page's address; a mangled QR link (letters, 0, too long) names none and
    gets the plain 没有这个… page, not a validation error in English."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 10 and 1 <= int(text) <= MAX_ID else None


def asked_station(s: str | None) -> int | None:
    """`?s=<station id>` on a QR code's link says which station's screen it was on; anything else is ignored."""
    return int(s) if s and s.isascii() and s.isdigit() and len(s) < 10 else None


def all_stations(session: Session) -> list[Station]:
    return list(session.scalars(select(Station).order_by(Station.id)))


def station_for(p: Posting | None, stations: list[Station], asked: int | None) -> Station | None:
    """The station heading the page: the one the QR code names (`?s=`), else the posting's nearest
    (among its own stations when it has them), else the first (the district's market)."""
    by_id = {s.id: s for s in stations}
    if asked in by_id:
        return by_id[asked]
    if p is None or not stations:
        return stations[0] if stations else None
    candidates = [s for s in stations if p.all_stations or s in p.stations] or stations
    if abs(p.lat) < SAME_PLACE_DEG and abs(p.lon) < SAME_PLACE_DEG:
        return candidates[0]
    return min(candidates, key=lambda s: km_between(s.lat, s.lon, p.lat, p.lon))


def station_view(s: Station | None) -> dict | None:
    if s is None:
        return None
    return {
        "id": s.id,
        "name": s.name,
        "address": place_text(s.district, s.address),
        "phone": s.phone or "",
        # 服务规范, 服务热线, 投诉电话 (hub.trust)
        "rules": [line for line in (s.rules or "").splitlines() if line],
        "hotline": s.hotline or "",
        "complaint": s.complaint_phone or "",
    }


def distance_text(p: Posting, own: bool, station: Station | None) -> str:
    """Said only where it means something: from a named station to the posting's own point."""
    if not own or station is None:
        return ""
    km = km_between(station.lat, station.lon, p.lat, p.lon)
    return f"离{station.name}约{max(km, 0.1):.1f}公里（直线距离）"


def similar_open(session: Session, p: Posting, now: dt.datetime, limit: int = 5) -> list[Posting]:
    """Open postings of the same trade (else of its category), nearest first when the ended one had
    a place of its own, else newest first."""

    def open_where(*extra):
        return (
            select(Posting)
            .where(
                Posting.id != p.id,
                Posting.status == PostingStatus.OPEN,
                Posting.filled < Posting.headcount,
                Posting.valid_from <= now,
                Posting.valid_to > now,
                *extra,
            )
            .order_by(Posting.created_at.desc(), Posting.id.desc())
            .limit(50)
        )

    found = list(session.scalars(open_where(Posting.trade_id == p.trade_id)))
    if len(found) < limit:
        same_category = select(Trade.id).where(Trade.category_id == p.trade.category_id)
        found += session.scalars(open_where(Posting.trade_id.in_(same_category), Posting.trade_id != p.trade_id))
    stations = all_stations(session)
    if own_place(p, stations):
        found.sort(key=lambda q: km_between(p.lat, p.lon, q.lat, q.lon))
    return found[:limit]


def applied_here(request: Request) -> dict[int, int]:
    """posting id → when (unix seconds) this browser applied; anything malformed is ignored."""
    found = {}
    for item in request.cookies.get(APPLIED_COOKIE, "").split("-")[-APPLIED_KEEP:]:
        match = _APPLIED_ITEM.match(item)
        if match:
            found[int(match.group(1))] = int(match.group(2))
    return found


def remember_applied(request: Request, response: Response, posting_id: int, at: dt.datetime) -> None:
    """Kept in this browser only: a page may tell its own visitor what they did, but never whether
    someone else's phone number applied (see hub.applications.service.submit_from_phone)."""
    known = applied_here(request)
    known.setdefault(posting_id, int(at.timestamp()))
    value = "-".join(f"{pid}.{when}" for pid, when in list(known.items())[-APPLIED_KEEP:])
    # Secure behind HTTPS, like the console's: which jobs this phone applied for is its owner's business.
    secure = request.app.state.settings.https
    response.set_cookie(
        APPLIED_COOKIE, value, max_age=30 * 86400, httponly=True, samesite="lax", path="/p", secure=secure
    )


def when_text(unix: int, tz: dt.tzinfo) -> str:
    t = dt.datetime.fromtimestamp(unix, tz)
    return f"{t.month}月{t.day}日 {t:%H:%M}"
