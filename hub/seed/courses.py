"""The demo's courses (技能培训): free and subsidised, for everyone and for one station, with rules."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.stations.models import Station
from hub.trades.models import Trade
from hub.training import service as training
from hub.training.models import Course, CourseStatus

# (title, trade slug, organiser, place, starts in days, days, schedule, seats, cost, ages, registered only, home only)
COURSES = (
    (
        "家政保洁免费培训",
        "housekeeper",
        "青川区职业技能培训学校",
        "青川区零工市场三楼培训室",
        5,
        5,
        "周一至周五 9:00–12:00",
        30,
        "",
        (None, None),
        False,
        False,
    ),
    (
        "低压电工证培训",
        "electrician",
        "云江市第二技工学校",
        "云江市技工学校实训楼二楼",
        9,
        10,
        "每天 8:30–16:30，含实操",
        20,
        "先交学费1200元，取得证书后按规定全额补贴",
        (18, 55),
        True,
        False,
    ),
    (
        "育婴员辅食制作培训",
        "nanny",
        "青川区妇联",
        "青川区零工市场三楼培训室",
        3,
        3,
        "下午 14:00–17:00",
        12,
        "",
        (None, None),
        False,
        True,
    ),
)


def seed_courses(session: Session, stations: list[Station], tz: dt.tzinfo, today: dt.date) -> list[Course]:
    trades = {t.slug: t for t in session.scalars(select(Trade))}
    made = []
    for title, slug, organiser, place, start_in, days, schedule, seats, cost, ages, registered, home in COURSES:
        starts = today + dt.timedelta(days=start_in)
        if schedule.startswith("周一至周五"):  # the days it says: from the next Monday on
            starts += dt.timedelta(days=-starts.weekday() % 7)
        course = Course(
            title=title,
            trade=trades[slug],
            organiser=organiser,
            place=place,
            starts_on=starts,
            ends_on=starts + dt.timedelta(days=days - 1),
            schedule=schedule,
            seats=seats,
            cost=cost,
            age_min=ages[0],
            age_max=ages[1],
            registered_only=registered,
            signup_until=training.default_signup_until(starts, tz),
            all_stations=not home,
            stations=stations[:1] if home else [],
            status=CourseStatus.OPEN,
        )
        session.add(course)
        session.flush()
        training.publish(session, course)
        made.append(course)
    return made
