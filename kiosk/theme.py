"""The kiosk's look, computed from the window: sizes for readers of 45–60, colours at 7:1 contrast."""

from __future__ import annotations

from dataclasses import dataclass

from floor.colour import contrast, luminance, rgba  # noqa: F401 (kv files and tests read them here)

# Text and surfaces. Every text/background pair the kiosk uses is checked for 7:1 in the tests.
INK = "#1C1B1F"  # body text
MUTED = "#45413A"  # secondary text
PAPER = "#FAF7F0"  # screen background
CARD = "#FFFFFF"  # job cards
LINE = "#D9D2C5"  # card borders (not text)
ACCENT = "#A4161A"  # the one accent colour: buttons and headings' marks
ON_ACCENT = "#FFFFFF"
CHIP = "#FBE9E7"
ON_CHIP = "#7A0F12"
OK = "#1B5E20"  # reader ready, verified employer, online
WARN = "#8A1C00"  # reader missing, offline
SHADE = "#F1ECE2"  # secondary buttons


PAIRS = [
    (INK, PAPER),
    (INK, CARD),
    (MUTED, PAPER),
    (MUTED, CARD),
    (ON_ACCENT, ACCENT),
    (ON_CHIP, CHIP),
    (OK, CARD),
    (OK, PAPER),
    (WARN, PAPER),
    (WARN, CARD),
    (INK, SHADE),
    (ACCENT, CARD),
    (ACCENT, PAPER),
]


@dataclass(frozen=True)
class Sizes:
    """Pixel sizes for a window; at 1080 px on the short side body text is 36 px, buttons 140 px."""

    scale: float

    @classmethod
    def for_window(cls, width: int, height: int) -> Sizes:
        return cls(scale=max(0.5, min(width, height) / 1080))

    def px(self, value: float) -> float:
        return round(value * self.scale)

    @property
    def body(self) -> float:
        return self.px(36)

    @property
    def small(self) -> float:
        return self.px(32)

    @property
    def title(self) -> float:
        return self.px(44)

    @property
    def heading(self) -> float:
        return self.px(58)

    @property
    def hero(self) -> float:
        return self.px(100)

    @property
    def touch(self) -> float:
        return self.px(140)

    @property
    def gap(self) -> float:
        return self.px(24)

    @property
    def icon(self) -> float:
        return self.px(72)
