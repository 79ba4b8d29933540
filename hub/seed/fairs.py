"""The demo's job fair (招聘会): today in the market's hall (tomorrow once today's is over), six booths."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.employers.models import Employer
from hub.fairs import service as fairs
from hub.fairs.models import Booth, Fair, FairStatus

# (booth number, the employer's kind of name, the jobs in words, places)
BOOTHS = (
    ("1", "电子科技有限公司", "普工、质检员，包吃住", 30),
    ("2", "物流有限公司", "分拣员、叉车司机", 12),
    ("3", "家政服务有限公司", "保洁员、育婴员", 20),
    ("5", "建筑劳务有限公司", "钢筋工、木工、小工", 25),
    ("6", "餐饮管理有限公司", "服务员、帮厨", 10),
    ("8", "保安服务有限公司", "保安员（50岁以下）", 8),
)


def seed_fair(session: Session, tz: dt.tzinfo, now: dt.datetime) -> Fair | None:
    local = now.astimezone(tz)
    day = local.date() if local.hour < 16 else local.date() + dt.timedelta(days=1)
    booths = []
    for i, (number, kind, jobs, places) in enumerate(BOOTHS):
        employer = session.scalar(
            select(Employer)
            .where(Employer.credit_code.is_not(None), Employer.suspended_at.is_(None))
            .order_by(Employer.name.endswith(kind).desc(), Employer.id)
            .limit(1)
        )
        if employer is None:
            return None
        booths.append(Booth(number=number, letter=fairs.letter(i), employer=employer, jobs=jobs, places=places))
    fair = Fair(
        title="春风行动专场招聘会",
        hall="青川区零工市场一楼大厅",
        opens_at=dt.datetime.combine(day, dt.time(8, 30), tz),
        closes_at=dt.datetime.combine(day, dt.time(17, 30), tz),
        skip_after_s=180,
        all_stations=True,
        stations=[],
        booths=booths,
        status=FairStatus.OPEN,
    )
    session.add(fair)
    session.flush()
    fairs.publish(session, fair)
    return fair
