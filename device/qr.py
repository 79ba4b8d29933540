"""QR codes as Kivy textures, drawn from qrcode's module matrix (no image library needed)."""

from __future__ import annotations

from functools import lru_cache

import qrcode
from kivy.graphics.texture import Texture


@lru_cache(maxsize=64)
def qr_texture(text: str, dark: tuple[int, int, int] = (28, 27, 31)) -> Texture:
    """A texture of the code, one pixel per module with a quiet zone; show it with nearest
    filtering so it scales up sharp."""
    code = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(text)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix)
    # RGBA keeps every row 4-byte aligned, whatever the code's size (RGB rows would skew).
    on, off = bytes((*dark, 255)), bytes((255, 255, 255, 255))
    rows = [b"".join(on if cell else off for cell in row) for row in reversed(matrix)]
    texture = Texture.create(size=(size, size), colorfmt="rgba")
    texture.blit_buffer(b"".join(rows), colorfmt="rgba", bufferfmt="ubyte")
    texture.mag_filter = "nearest"
    texture.min_filter = "nearest"
    return texture


def wall_link(url: str, device: int, page: str) -> str:
    """A posting's phone link as one wall's code carries it: &d= the wall, &p= its page (its
    layout), so the hub counts the scans per wall and page and credits the wall with what follows."""
    if not url or device <= 0:
        return url
    asked = f"d={device}" + (f"&p={page}" if page else "")
    return f"{url}{'&' if '?' in url else '?'}{asked}"
