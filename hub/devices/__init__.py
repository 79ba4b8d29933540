"""Devices (kiosks, wall displays, booths): enrollment, tokens, configuration, live state."""
