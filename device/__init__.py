"""What the kiosk and the wall share as device programs: Kivy prepared before it is imported, the
enrolled store opened at start-up, this machine's own readers and browsers, QR codes, captures."""
