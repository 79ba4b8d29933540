"""The wall watching itself: a low-resolution capture of its own frame, tested for a black (or
otherwise empty) or a frozen picture (no Kivy here; the app hands in the pixels)."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

import numpy as np

OK, BLACK, FROZEN = "ok", "black", "frozen"
CHECK_WORDS = {BLACK: "黑屏", FROZEN: "画面不动"}
CELL = 16  # one sample per 16×16 pixels is plenty to tell a picture from none
DARK = 12  # 0–255: brighter than this somewhere, or the screen counts as black
SPREAD = 6  # the picture must also vary this much (a uniform grey is no picture either)


def thumbnail(rgba: bytes, width: int, height: int, region: tuple[int, int, int, int] | None = None) -> np.ndarray:
    """Every CELL-th pixel of an RGBA frame (of `region`, x y w h from the bottom left, if given),
    as grey levels."""
    pixels = np.frombuffer(rgba, dtype=np.uint8)[: width * height * 4].reshape(height, width, 4)
    if region is not None:
        x, y, w, h = (max(0, int(v)) for v in region)
        pixels = pixels[y : y + h, x : x + w]
    small = pixels[::CELL, ::CELL, :3].astype(np.float32)
    return small @ np.array([0.299, 0.587, 0.114], dtype=np.float32)


def capture_png(rgba: bytes, width: int, height: int, max_side: int = 240) -> bytes:
    """A small PNG of the frame for the staff console (GL frames start at the bottom row)."""
    from PIL import Image

    frame = Image.frombuffer("RGBA", (width, height), rgba[: width * height * 4], "raw", "RGBA", 0, -1)
    frame = frame.convert("RGB")
    frame.thumbnail((max_side, max_side))
    out = io.BytesIO()
    frame.save(out, "PNG", optimize=True)
    return out.getvalue()


@dataclass
class SelfCheck:
    """Remembers the last capture, to tell a frozen screen from a page that did not need to change."""

    last_digest: str = ""
    last_result: str = ""
    failures: int = 0
    streak: int = 0  # failed checks in a row

    def check(
        self,
        rgba: bytes,
        width: int,
        height: int,
        *,
        expected_change: bool,
        region: tuple[int, int, int, int] | None = None,
    ) -> str:
        """`region`: where the postings are drawn; a banner elsewhere must not hide a dead stage."""
        grey = thumbnail(rgba, width, height, region)
        digest = hashlib.blake2b(grey.round().astype(np.uint8).tobytes(), digest_size=8).hexdigest()
        if grey.size == 0 or grey.std() < SPREAD or (grey.max() < DARK):
            result = BLACK
        elif expected_change and digest == self.last_digest:
            result = FROZEN
        else:
            result = OK
        self.last_digest, self.last_result = digest, result
        self.failures += result != OK
        self.streak = self.streak + 1 if result != OK else 0
        return result
