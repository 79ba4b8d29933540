"""Events up from devices: applied exactly once per (device, number), one transaction per batch."""
