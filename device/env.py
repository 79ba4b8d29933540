"""Kivy's environment, set before Kivy is first imported: window, fonts, offscreen rendering."""

from __future__ import annotations

import logging
import os
from pathlib import Path


def has_screen() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def prepare(
    home: Path,
    *,
    size: tuple[int, int] | None = None,
    fullscreen: bool = False,
    rotation: int = 0,
    offscreen: bool | None = None,
) -> bool:
    """Configures Kivy for a kiosk or wall; returns whether it renders offscreen. Must run before
    any `import kivy…` (Kivy reads its configuration at import)."""
    offscreen = (not has_screen()) if offscreen is None else offscreen
    os.environ["KIVY_NO_ARGS"] = "1"  # the command line is ours
    kivy_home = Path(home) / "kivy"
    kivy_home.mkdir(parents=True, exist_ok=True)
    os.environ["KIVY_HOME"] = str(kivy_home)  # never ~/.kivy
    os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")  # through our logging, and its scrubber
    if offscreen:
        # Mesa EGL software rendering; SDL's dummy driver and Kivy's mock GL draw nothing usable.
        os.environ["SDL_VIDEODRIVER"] = "offscreen"
        os.environ.setdefault("SDL_AUDIODRIVER", "dummy")  # no screen, no speakers either

    from kivy.config import Config

    # In Python log mode Kivy sets its logger to the config file's level at import and ignores
    # later changes; its start-up chatter is INFO.
    logging.getLogger("kivy").setLevel(logging.WARNING)
    import assets

    if size is not None:
        Config.set("graphics", "width", str(size[0]))
        Config.set("graphics", "height", str(size[1]))
    Config.set("graphics", "fullscreen", "auto" if fullscreen and not offscreen else "0")
    Config.set("graphics", "rotation", str(rotation))
    Config.set("graphics", "show_cursor", "0" if fullscreen else "1")
    Config.set("graphics", "allow_screensaver", "0")
    # No multisampling: flat panels and text gain nothing from it, and under software rendering
    # (Mesa llvmpipe, as on machines without a GPU) it multiplies the cost of every frame.
    Config.set("graphics", "multisamples", "0")
    Config.set("graphics", "resizable", "0" if fullscreen else "1")
    # Frames a second at most (Kivy's default: 60). The tests set 20: offscreen every frame is
    # drawn by the CPU and nobody watches, and a wall's moving notice redraws at every frame.
    if (max_fps := os.environ.get("LINGONG_MAX_FPS", "")).isdigit() and 1 <= int(max_fps) <= 240:
        Config.set("graphics", "maxfps", max_fps)
    Config.set("kivy", "exit_on_escape", "0")
    Config.set("kivy", "log_level", "warning")
    Config.set("kivy", "default_font", ["NotoSansSC", str(assets.FONT_REGULAR), None, str(assets.FONT_BOLD), None])
    Config.set("input", "mouse", "mouse,disable_on_activity")  # a touch screen under X must not double taps
    from kivy.core.text import LabelBase

    LabelBase.register(assets.ICON_FONT_NAME, str(assets.ICON_FONT))
    return offscreen
