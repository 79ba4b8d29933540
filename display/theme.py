"""The wall's colours: light on black for LED walls (as their crowds know them), ink on paper for
lobby screens; every text/background pair at 7:1 or better (checked in the tests)."""

from __future__ import annotations

from floor.colour import contrast, rgba  # noqa: F401 (one colour arithmetic for both apps)

DARK = {
    "bg": "#000000",
    "ink": "#FFFFFF",
    "muted": "#D6D6D6",
    "pay": "#FFD54F",
    "accent": "#FF8A80",
    "band": "#1E1E1E",
    "line": "#3A3A3A",
    "warn_bg": "#FFD54F",
    "warn_ink": "#000000",
    "card": "#141414",
}
LIGHT = {
    "bg": "#FAF7F0",
    "ink": "#1C1B1F",
    "muted": "#45413A",
    "pay": "#A4161A",
    "accent": "#A4161A",
    "band": "#F1ECE2",
    "line": "#D9D2C5",
    "warn_bg": "#8A1C00",
    "warn_ink": "#FFFFFF",
    "card": "#FFFFFF",
}
EMERGENCY = {"bg": "#B00020", "ink": "#FFFFFF"}
FAST = {"bg": "#FFD54F", "ink": "#000000"}  # 即时快招's card: the pay colour of the dark walls, not alarm red
CALL = {"bg": "#003A8C", "ink": "#FFFFFF"}  # 招聘会叫号's cover: a calling board's blue, unlike either of those

TEXT_ON = [
    ("ink", "bg"),
    ("muted", "bg"),
    ("pay", "bg"),
    ("accent", "bg"),
    ("ink", "band"),
    ("muted", "band"),
    ("ink", "card"),
    ("muted", "card"),
    ("pay", "card"),
    ("warn_ink", "warn_bg"),
]


def palette(layout: str) -> dict[str, str]:
    return DARK if layout in ("table", "ticker", "market", "fair") else LIGHT


def kivy_palette(layout: str) -> dict[str, tuple]:
    return {name: rgba(value) for name, value in palette(layout).items()}
