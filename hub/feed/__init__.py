"""The change feed: an append-only log of what devices see, a snapshot, and long-poll delivery."""
