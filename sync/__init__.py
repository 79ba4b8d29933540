"""The link between devices and the hub: change feed down, exactly-once events up, the device store."""
