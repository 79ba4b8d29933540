"""Job postings: what every screen shows and every worker applies to."""
