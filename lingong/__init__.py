"""lingong: the command line that runs every part (hub, kiosk, display, demo, bench)."""

from floor import __version__

__all__ = ["__version__"]
