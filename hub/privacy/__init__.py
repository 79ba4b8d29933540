"""Personal data's lifetime on the hub: retention periods, and erasing one worker on request."""
