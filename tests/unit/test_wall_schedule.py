"""A wall's week (display/schedule.py) and who wakes it (display/sleeping.py), on a fixed clock."""

import datetime as dt

import pytest
from pydantic import ValidationError

from display import schedule
from display.power import BLANK, CEC, Power
from display.sleeping import Keeper
from hub.devices.schemas import DeviceConfig

MONDAY = dt.datetime(2026, 12, 7)


def at(day: int, hm: str) -> dt.datetime:
    hours, minutes = (int(v) for v in hm.split(":"))
    return MONDAY + dt.timedelta(days=day - 1, hours=hours, minutes=minutes)


def test_on_hours_by_weekday_overnight_and_to_midnight():
    week = {
        "on": [
            {"days": [1, 2, 3, 4, 5], "start": "06:30", "end": "20:00"},
            {"days": [5], "start": "22:00", "end": "02:00"},  # Friday night into Saturday
            {"days": [7], "start": "12:00", "end": "24:00"},
        ]
    }
    assert not schedule.now(week, at(1, "06:29")).awake
    assert schedule.now(week, at(1, "06:30")).awake
    assert schedule.now(week, at(1, "19:59")).awake and not schedule.now(week, at(1, "20:00")).awake
    assert schedule.now(week, at(5, "23:00")).awake and schedule.now(week, at(6, "01:59")).awake
    assert not schedule.now(week, at(6, "02:00")).awake and not schedule.now(week, at(6, "10:00")).awake
    assert schedule.now(week, at(7, "23:59")).awake and not schedule.now(week, at(8, "00:00")).awake
    # The next edge is when the wall looks again.
    assert schedule.now(week, at(1, "07:00")).until == at(1, "20:00")
    assert schedule.now(week, at(6, "03:00")).until == at(7, "12:00")


def test_no_schedule_or_an_unreadable_one_keeps_the_wall_on():
    for nothing in (None, {}, {"on": []}, "nonsense", {"on": [{"start": "7 am", "end": "x"}, 5]}):
        assert schedule.now(nothing, at(3, "03:00")).awake


def test_the_first_daypart_that_applies_sets_layout_filters_dwell_and_type():
    config = {
        "layout": "cards",
        "dwell_s": 12,
        "schedule": {
            "dayparts": [
                {"start": "05:00", "end": "09:00", "layout": "table", "filters": {"today_only": True}}
                | {"large_text": True},
                {"start": "08:00", "end": "10:00", "dwell_s": 30},
            ]
        },
    }
    morning = schedule.now(config["schedule"], at(2, "08:30"))
    assert morning.part == 0 and morning.until == at(2, "09:00")
    assert schedule.effective(config, 0) == {
        **config,
        "layout": "table",
        "filters": {"today_only": True},
        "text_scale": schedule.LARGE_TEXT,
    }
    assert schedule.now(config["schedule"], at(2, "09:30")).part == 1
    assert schedule.effective(config, 1)["dwell_s"] == 30 and schedule.effective(config, 1)["layout"] == "cards"
    assert schedule.effective(config, None) is config and schedule.effective(config, 7) is config


def test_an_emergency_wakes_a_sleeping_wall_and_power_follows():
    power = Power(program="/bin/true", background=False)  # a CEC that answers
    keeper = Keeper(power)
    config = {"schedule": {"on": [{"start": "06:00", "end": "20:00"}]}}
    assert keeper.tick(config, at(1, "21:00"), emergency=False).asleep and power.method == CEC
    assert keeper.tick(config, at(1, "21:01"), emergency=False) is None  # (nothing changed)
    woken = keeper.tick(config, at(1, "21:02"), emergency=True)
    assert not woken.asleep and woken.woken
    assert keeper.tick(config, at(1, "21:30"), emergency=False).asleep
    assert keeper.words() == "asleep cec until 2026-12-08T06:00"
    silent = Power(program="/bin/false", background=False)  # no CEC: the picture is blanked
    silent.off()
    assert silent.method == BLANK


def test_the_hub_refuses_a_schedule_it_cannot_mean():
    good = {"on": [{"days": [1, 2, 3, 4, 5], "start": "06:00", "end": "24:00"}], "dayparts": []}
    assert DeviceConfig(schedule=good).schedule.on[0].end == "24:00"
    for bad in (
        {"on": [{"start": "25:00", "end": "06:00"}]},
        {"on": [{"start": "24:00", "end": "06:00"}]},
        {"on": [{"start": "06:00", "end": "06:00"}]},
        {"on": [{"days": [0], "start": "06:00", "end": "07:00"}]},
        {"on": [{"days": [], "start": "06:00", "end": "07:00"}]},
        {"dayparts": [{"start": "06:00", "end": "07:00", "layout": "rm -rf"}]},
        {"dayparts": [{"start": "06:00", "end": "07:00", "dwell_s": 1}]},
    ):
        with pytest.raises(ValidationError):
            DeviceConfig(schedule=bad)


def test_a_wall_without_a_week_of_its_own_follows_its_stations():
    station = {"id": 1, "wall_schedule": {"on": [{"start": "07:00", "end": "19:00"}]}}
    assert schedule.with_station_default({"layout": "cards"}, station)["schedule"] == station["wall_schedule"]
    own = {"schedule": {"on": [{"start": "06:00", "end": "22:00"}]}}
    assert schedule.with_station_default(own, station) is own  # its own week wins
    assert schedule.with_station_default({"layout": "cards"}, {"id": 1, "wall_schedule": None}) == {"layout": "cards"}
    assert schedule.with_station_default({"layout": "cards"}, None) == {"layout": "cards"}


def test_a_dayparts_filters_narrow_the_walls_own_and_nothing_hostile_raises():
    booth = {
        "layout": "booth",
        "filters": {"trades": [3], "employer": 2, "urgent_only": False, "today_only": False},
        "schedule": {"dayparts": [{"start": "05:00", "end": "09:00", "filters": {"trades": [], "today_only": True}}]},
    }
    narrowed = schedule.effective(booth, 0)["filters"]
    assert narrowed == {"trades": [3], "employer": 2, "urgent_only": False, "today_only": True}
    for hostile in (["x"], [None], [1], [[]], {}, "x", None):
        config = {"schedule": {"dayparts": hostile}}
        assert schedule.effective(config, 0) == config
    assert schedule.effective({"schedule": "x"}, 0) == {"schedule": "x"}


def test_a_sleeping_wall_knows_when_it_wakes():
    week = {
        "on": [
            {"days": [1, 2, 3, 4, 5], "start": "06:00", "end": "20:00"},
            {"days": [6], "start": "08:00", "end": "12:00"},
        ]
    }
    assert schedule.wakes_at(week, at(1, "21:00")) == at(2, "06:00")
    assert schedule.wakes_at(week, at(6, "13:00")) == at(8, "06:00")  # Saturday afternoon: Monday
    assert schedule.wakes_at(week, at(1, "07:00")) is None  # (on now)
