"""Places the hub keeps: a district's communities and landmarks, points staff can put a job at."""
