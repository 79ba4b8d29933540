"""The demo data hangs together: employers post their own kind of job, addresses name the district
once, phones are numbers a phone company issues, and the demo's month of history is all in the past
(every station's day still starts at zero)."""

import datetime as dt
import re
from collections import Counter

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from hub import admin
from hub.app import create_app
from hub.applications.models import Application, ApplicationStatus
from hub.employers.models import Employer
from hub.figures.service import figures_doc
from hub.postings.models import Posting, PostingStatus
from hub.seed import words
from hub.seed.generate import seed
from hub.seed.parts import trades_of
from hub.settings import Settings
from hub.stations.models import Station
from hub.trades.catalogue import CATALOGUE
from tests.support.console import sign_in


@pytest.fixture
def db_url(sqlite_url):
    """SQLite only: nothing here differs between the databases, and make test has 10 minutes."""
    return sqlite_url


ISSUED = re.compile(r"^1(3\d|5[0-35-9]|8\d|9[135-9])\d{8}$")  # 13x, 15x but 154, 18x, 19x in use


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    settings = Settings(home=tmp_path_factory.mktemp("demo-data"))
    db = admin.open_db(settings)
    with db.write() as session:
        report = seed(session, postings=300, tz=settings.tz, history_days=30, home_station=1)
    yield db, settings, report
    db.dispose()


def test_every_trade_has_employers_of_its_kind_and_postings_keep_to_it(seeded):
    db, _settings, report = seeded
    hired_for = {slug for _suffix, trades in words.EMPLOYER_KINDS for slug in trades}
    assert hired_for == {slug for _c, _n, trades in CATALOGUE for slug, _name in trades}
    with db.read() as session:
        postings = list(session.scalars(select(Posting)))
        assert len(postings) == report.postings + report.past_postings
        wrong = [(p.title, p.employer.name) for p in postings if p.trade.slug not in trades_of(p.employer.name)]
        assert wrong == []


def test_addresses_name_the_district_once_and_phones_are_issued_numbers(seeded):
    db, _settings, _report = seeded
    with db.read() as session:
        places = [(p.address, p.contact_phone) for p in session.scalars(select(Posting))]
        places += [(e.address, e.contact_phone) for e in session.scalars(select(Employer))]
        places += [(s.address, None) for s in session.scalars(select(Station))]
        names = [e.name for e in session.scalars(select(Employer))]
        applicants = [a.phone for a in session.scalars(select(Application))]
    for address, phone in places:
        assert not address.startswith((words.DISTRICT, words.CITY)), address  # the district is its own field
        assert phone is None or ISSUED.match(phone), phone
    assert all(ISSUED.match(p) for p in applicants)
    doubled = [n for n in names if n.count(words.CITY[:2]) > 1 or n.startswith(words.CITY[:2] + words.DISTRICT[:2])]
    assert doubled == []


def test_a_month_of_history_lies_before_today(seeded):
    db, settings, report = seeded
    assert report.past_postings >= 20 and report.past_applications > report.past_postings
    assert 0 < report.past_placements < report.past_applications
    now = dt.datetime.now(dt.UTC)
    today = now.astimezone(settings.tz).date()
    midnight = dt.datetime.combine(today, dt.time(), settings.tz)
    with db.read() as session:
        applications = list(session.scalars(select(Application)))
        ended = list(session.scalars(select(Posting).where(Posting.status != PostingStatus.OPEN)))
        current = list(session.scalars(select(Posting).where(Posting.status == PostingStatus.OPEN)))
        first_day = figures_doc(session, 1, today, settings.tz)
    days = Counter(a.received_at.astimezone(settings.tz).date() for a in applications)
    assert len(days) >= 25 and min(days) >= today - dt.timedelta(days=31) and max(days) < today
    hired = [a for a in applications if a.status is ApplicationStatus.HIRED]
    assert len(hired) == report.past_placements and all(a.applied_at <= a.hired_at < midnight for a in hired)
    assert all(a.consent_at is not None and a.name and a.phone for a in applications)
    assert sum(a.station_id == 1 for a in applications) > len(applications) / 4  # the demo staff's station is busy
    assert all(p.ended_at is not None and p.created_at < p.valid_to <= midnight for p in ended if p.valid_to < now)
    assert all(p.created_at <= now for p in current) and len({p.created_at.date() for p in current}) > 3
    assert (first_day["applications_today"], first_day["placed_today"]) == (0, 0)


def test_the_demo_staffs_dashboard_shows_the_month(seeded):
    """Signed in as the demo's station staff (station 1): the 30-day chart has applications and
    placements on most days, and this station's own figures are not empty."""
    _db, settings, _report = seeded
    admin.create_user(settings, "demo", "station", "a long staff password", [1])
    with TestClient(create_app(settings)) as client:
        assert sign_in(client, "demo", "a long staff password").status_code == 303
        page = client.get("/staff/dashboard")
    assert page.status_code == 200
    applied = re.findall(r"<title>\d+/\d+ 报名 ([1-9]\d*)</title>", page.text)
    placed = re.findall(r"<title>\d+/\d+ 上岗 ([1-9]\d*)</title>", page.text)
    assert len(applied) >= 20 and len(placed) >= 10, (len(applied), len(placed))
