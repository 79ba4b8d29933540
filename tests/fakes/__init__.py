"""Fakes of the tests' own that speak the real protocols over real transports."""
