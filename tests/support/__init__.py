"""Helpers of the tests' own: a real hub process, databases, a staff client."""
