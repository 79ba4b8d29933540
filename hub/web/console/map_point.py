"""A job's place as staff paste it from a map app: two numbers, in either order, in GCJ-02."""

from __future__ import annotations

import re

# The hub's coordinates are GCJ-02, what 高德 (Amap) and 腾讯 maps show and what the phone page's
# 导航 link tells Amap it sends. 百度 shows BD-09, a few hundred metres off: the form says so.
PICKER = "https://lbs.amap.com/tools/picker"  # 高德's own point picker (a fixed address, no data in it)
HELP = "在高德地图或腾讯地图上找到工作地点，复制它的两个数字（如 112.938814,28.228209）粘贴到这里；不要用百度地图的。"
# What the one sentence leaves out, for whoever asks (under 技术说明 on the form).
DETAIL = (
    "两个数字是经度和纬度，哪个在前都可以。这里用国内地图通用的国测局坐标（GCJ-02），高德、腾讯地图给的就是；"
    "百度地图用另一套（BD-09），会偏几百米。空着就用驿站的位置，手机上不显示“离这里几公里”。"
)
_NUMBERS = re.compile(r"^\s*(-?\d{1,3}(?:\.\d+)?)\s*[,，、\s]\s*(-?\d{1,3}(?:\.\d+)?)\s*$")
# Inside China latitudes are 3–54 and longitudes 73–136: the two never overlap, so a pasted pair
# is read the right way round whichever order the app copied (高德 gives longitude first).
LAT, LON = (3.0, 54.0), (73.0, 136.0)
# A pasted pair is never this long; a longer text is no point, said at once (the pattern's runs of
# optional spaces backtrack on a long paste of spaces: 8000 of them took a second, 100 000 minutes).
MAX_TEXT = 100


def parse(text: str) -> tuple[float, float] | None:
    """(latitude, longitude) from a pasted pair, or None when it is not a point in China."""
    if len(text) > MAX_TEXT:
        return None
    found = _NUMBERS.match(text.replace("°", " ").replace("（", "").replace("）", "").strip("()"))
    if not found:
        return None
    a, b = (float(g) for g in found.groups())
    for lat, lon in ((a, b), (b, a)):
        if LAT[0] <= lat <= LAT[1] and LON[0] <= lon <= LON[1]:
            return round(lat, 6), round(lon, 6)
    return None


def shown(lat: float, lon: float) -> str:
    """A posting's point as the form shows it back: longitude first, as 高德 copies it."""
    return f"{lon:.6f},{lat:.6f}"
