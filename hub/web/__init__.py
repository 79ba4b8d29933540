"""The hub's server-rendered pages: the phone page behind every QR code (the staff console: not yet)."""
