"""The wire contract between the hub and its devices, imported by both: the feed's documents and
the events' shapes, the protocol's framing and codes, and the sealing of personal data."""
