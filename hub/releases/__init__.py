"""Releases: signed wheels of the project that administrators publish and roll out to devices."""
