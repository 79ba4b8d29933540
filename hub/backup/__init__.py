"""Backups of a hub (database, keys, settings) in one checked archive, and restoring them elsewhere."""
