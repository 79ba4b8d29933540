"""What the kiosk and the wall display share on screen: Kivy set-up, QR codes, captures."""
