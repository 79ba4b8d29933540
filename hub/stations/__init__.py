"""Stations and markets: where devices stand and where postings are shown."""
