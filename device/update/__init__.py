"""Signed updates of a device: verify a release, install it beside the running version, switch, confirm or roll back."""
