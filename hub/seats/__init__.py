"""Offerings with seats (a course, a chartered bus): what they share, apart from what each offers."""
