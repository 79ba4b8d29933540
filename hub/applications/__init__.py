"""Applications of workers to postings, from kiosks and phone pages."""
