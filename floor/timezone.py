"""The local time zone of a station (LINGONG_TIMEZONE, as for the hub; China by default)."""

from __future__ import annotations

import os
from zoneinfo import ZoneInfo


def local() -> ZoneInfo:
    return ZoneInfo(os.environ.get("LINGONG_TIMEZONE", "Asia/Shanghai"))
