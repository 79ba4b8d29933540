"""The demo's chartered buses (包车): to a factory tomorrow morning and to a harvest later in the week."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.buses import service as buses
from hub.buses.models import Departure, DepartureStatus
from hub.employers.models import Employer

# (destination, the employer's kind of name, work, meeting point, days ahead, hour, minute, seats,
# what to bring, ages)
DEPARTURES = (
    (
        "江苏昆山",
        "电子科技有限公司",
        "电子厂普工，包吃住，月薪5000–6500元",
        "青川区零工市场东门广场",
        1,
        7,
        0,
        45,
        "身份证、换洗衣物、水杯",
        (18, 50),
    ),
    (
        "新疆阿克苏",
        "农业专业合作社",
        "采棉工，按斤计价，管吃住，干满一季报销路费",
        "云江市火车站北广场",
        4,
        6,
        30,
        40,
        "身份证、厚衣服、常用药",
        (18, 60),
    ),
)


def seed_buses(session: Session, tz: dt.tzinfo, today: dt.date) -> list[Departure]:
    made = []
    for destination, kind, work, meeting, ahead, hour, minute, seats, bring, ages in DEPARTURES:
        # An employer of the kind the work is (the demo's employers are named by kind), else any company.
        employer = session.scalar(
            select(Employer)
            .where(Employer.credit_code.is_not(None))
            .order_by(Employer.name.endswith(kind).desc(), Employer.id)
            .limit(1)
        )
        if employer is None:
            return made
        leaves = dt.datetime.combine(today + dt.timedelta(days=ahead), dt.time(hour, minute), tz)
        departure = Departure(
            destination=destination,
            employer=employer,
            work=work,
            meeting_point=meeting,
            leaves_at=leaves,
            seats=seats,
            bring=bring,
            age_min=ages[0],
            age_max=ages[1],
            signup_until=leaves - buses.CLOSE_BEFORE,
            all_stations=True,
            stations=[],
            postings=[],
            status=DepartureStatus.OPEN,
        )
        session.add(departure)
        session.flush()
        buses.publish(session, departure)
        made.append(departure)
    return made
