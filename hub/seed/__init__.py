"""Realistic demo data for a fictional district (云江市青川区): stations, employers, postings."""
