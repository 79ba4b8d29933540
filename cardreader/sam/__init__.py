"""The SAM serial protocol of certified ID-card readers (GA/T 467): frames, text block, session."""
