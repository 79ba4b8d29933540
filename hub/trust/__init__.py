"""Trust (issue 19 item 5): postings screened and held for review, workers' reports, suspended employers."""
