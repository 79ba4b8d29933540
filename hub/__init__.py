"""The central server: records, the change feed, event intake, staff and phone pages."""
