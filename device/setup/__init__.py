"""`lingong device setup` and `lingong device doctor`: a blank Debian machine made a kiosk, a wall or a booth."""
