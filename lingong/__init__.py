"""lingong: the command line that runs every part (hub, kiosk, display, demo, bench)."""

__version__ = "0.1.0"
