"""What a standard gig market publishes from its own data: pay guide rates (and, to come, shortage trades)."""
