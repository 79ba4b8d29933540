"""A wall's week as staff type it on the console (hub/web/console/device_schedule.py)."""

from hub.devices.schemas import DeviceConfig
from hub.web.console.device_schedule import clock, schedule_of


def test_times_as_staff_type_them():
    for typed, meant in (
        ("06:30", "06:30"),
        ("6:30", "06:30"),
        ("06：30", "06:30"),  # a Chinese keyboard's colon
        ("0630", "06:30"),  # a phone's keypad has no colon
        ("6.30", "06:30"),
        ("6点30", "06:30"),
        ("6点30分", "06:30"),
        ("7", "07:00"),
        ("24:00", "24:00"),
        (" 20:00 ", "20:00"),
    ):
        assert clock(typed) == meant, typed
    for nonsense in ("早上", "6:3", "123456", "6:30pm"):
        assert clock(nonsense) == nonsense.strip()  # (left as typed, for the check to refuse)


def test_rows_become_a_schedule_and_every_unmeant_row_is_said():
    problems: dict = {}
    form = {"on-0-days": ["1", "2"], "on-0-start": "6：30", "on-0-end": "2000", "on-1-start": "9:00"}
    form |= {"part-0-days": ["9"], "part-0-start": "05:00", "part-0-end": "09:00"}
    assert schedule_of(form, DeviceConfig(), problems) == {
        "on": [{"days": [1, 2], "start": "06:30", "end": "20:00"}],
        "dayparts": [],
    }
    assert problems == {"on-1": "开始和结束时间都要写（如 06:30）", "part-0": "星期只能选周一到周日"}
