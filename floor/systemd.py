"""sd_notify(3) in a few lines, for the hub (READY) and the devices (READY, WATCHDOG): no library needed."""

from __future__ import annotations

import socket


def notify(message: str, address: str | None) -> bool:
    """One datagram to $NOTIFY_SOCKET ('@…' is an abstract socket); False when there is none."""
    if not address:
        return False
    if address.startswith("@"):
        address = "\0" + address[1:]
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.connect(address)
        sock.sendall(message.encode())
    return True
