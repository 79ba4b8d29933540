"""Card readers: every reader a gig market owns, one Identity event (protocol core, no GUI, no network)."""
