"""Drivers: one per kind of reader, each a `cardreader.reader.Reader` producing the same events."""
