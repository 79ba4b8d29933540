"""Proof of play: how often and how long each posting was shown, per wall and day."""
