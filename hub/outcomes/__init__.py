"""Outcomes: what each kiosk and wall leads to — card visits, QR scans, and the funnel to 已上岗."""
