"""Pictures of the whole window, as drawn (background included), for screenshots and headless runs."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def save_png(path: Path) -> Path:
    """Draws the current frame and writes it to `path` as PNG (atomically: readers never see half)."""
    from kivy.core.window import Window

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Draw now, so the buffer read back holds this frame whatever was swapped before it.
    Window.dispatch("on_draw")
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".shot-") as folder:
        # Window.screenshot numbers its files (shot0001.png); it is given a folder of its own.
        written = Window.screenshot(name=str(Path(folder) / "shot.png"))
        if not written or not Path(written).exists():
            raise RuntimeError("the window could not be read back")
        os.replace(written, path)
    return path
