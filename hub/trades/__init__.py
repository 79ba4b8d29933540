"""Trades (工种) and their categories: the everyday list gig markets use."""
