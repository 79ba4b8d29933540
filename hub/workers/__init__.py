"""Workers: known by a keyed hash of the ID number, with the intention they registered."""
