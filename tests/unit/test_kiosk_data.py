"""The kiosk's data layer: today's figures, and what it knows when out of touch."""

import datetime as dt
import time
from zoneinfo import ZoneInfo

import pytest

from device.data import IN_STEP_S
from kiosk.data import KioskData
from sync.store import DeviceStore, Enrollment
from wire import sealed

TZ = ZoneInfo("Asia/Shanghai")
NOON = dt.datetime(2026, 11, 21, 12, 0, tzinfo=TZ).timestamp()


@pytest.fixture
def store(tmp_path):
    s = DeviceStore(tmp_path / "device.db")
    s.save_enrollment(
        Enrollment("http://hub", 7, "tok", "kiosk", 1, sealed.public_key_text(sealed.generate_private_key())),
        event_base=0,
    )
    yield s
    s.close()


def data_at(store, when, figures_date):
    store.replace_all(
        5,
        [
            ("station", {"id": 1, "name": "驿站", "lat": 28.2, "lon": 112.9}),
            ("figures", {"id": 1, "station": 1, "date": figures_date, "placed_today": 4}),
            ("figures", {"id": 2, "station": 2, "date": figures_date, "placed_today": 9}),
        ],
    )
    data = KioskData(store, clock=lambda: when, tz=TZ)
    data.refresh()
    return data


def test_todays_figures_are_shown(store):
    assert data_at(store, NOON, "2026-11-21").placed_today() == 4


def test_yesterdays_figures_mean_zero_while_in_step(store):
    # (replace_all has just recorded a successful sync at the real time: put the clock there)
    now = time.time()
    today = dt.datetime.fromtimestamp(now, TZ).date()
    data = data_at(store, now, (today - dt.timedelta(days=1)).isoformat())
    assert data.placed_today() == 0


def test_out_of_touch_the_kiosk_does_not_guess(store):
    later = time.time() + IN_STEP_S + 60
    day = dt.datetime.fromtimestamp(later, TZ).date()
    data = data_at(store, later, (day - dt.timedelta(days=1)).isoformat())
    assert data.placed_today() is None


def test_a_booking_record_is_gone_once_its_slot_is_over(store):
    """Retention: the kiosk keeps an interview booking (an HMAC of the ID number) only until the worker
    has been told how it went or the slot is over — even if the worker never comes back."""
    from cardreader.sim import resident
    from kiosk.bookings import bookings

    clock = {"now": NOON}
    store.replace_all(5, [("station", {"id": 1, "name": "驿站", "lat": 28.2, "lon": 112.9})])
    data = KioskData(store, clock=lambda: clock["now"], tz=TZ)
    slot = {"id": 3, "posting": 1, "start": NOON + 3600, "end": NOON + 4800, "place": "大厅 面试间"}
    data.book(resident("11010519491231002X", "张三"), slot)
    held = lambda: store.engine.connect().execute(bookings.select()).fetchall()
    data.refresh()
    assert len(held()) == 1  # the slot is still ahead
    clock["now"] = NOON + 5000  # the slot is over; the worker never came back to hear of it
    data.refresh()
    assert held() == []


@pytest.mark.parametrize("days_ago", [0, 1])
def test_the_kiosk_and_the_wall_say_the_same_figure(store, days_ago):
    """Both read the station's figures through device.data: once the kiosk showed 0 where the wall
    showed "—" for the same store."""
    from display.content import WallData

    now = time.time()
    day = dt.datetime.fromtimestamp(now, TZ).date() - dt.timedelta(days=days_ago)
    kiosk = data_at(store, now, day.isoformat())
    wall = WallData(store, clock=lambda: now, tz=TZ)
    wall.refresh()
    assert kiosk.placed_today() == wall.placed_today() == (4 if days_ago == 0 else 0)
