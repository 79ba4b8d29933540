"""Fonts, icons and sounds shipped with lingong, and where to find them."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent
FONT_REGULAR = ROOT / "fonts" / "NotoSansCJKsc-Regular.otf"
FONT_BOLD = ROOT / "fonts" / "NotoSansCJKsc-Bold.otf"
ICON_FONT = ROOT / "icons" / "tabler-icons-subset.ttf"
ICON_FONT_NAME = "LingongIcons"


@cache
def _icons() -> dict[str, str]:
    data = json.loads((ROOT / "icons" / "icons.json").read_text(encoding="utf-8"))
    return {name: chr(int(spec["codepoint"], 16)) for name, spec in data["icons"].items()}


def icon(name: str) -> str:
    """The glyph of an icon (render it with the icon font); a trade's slug names its icon."""
    return _icons().get(name, _icons()["job"])


def icon_names() -> list[str]:
    return sorted(_icons())
