"""Remote video interviews: slots offered for a posting at a booth, booked at kiosks, checked in at the booth."""
