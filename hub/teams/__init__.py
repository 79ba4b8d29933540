"""Worker teams on the wall (零工团队上墙): a station's teams, ordered by residents through a QR code."""
