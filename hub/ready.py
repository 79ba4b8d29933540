"""Tells systemd (a `Type=notify` unit) the hub is ready once its own /healthz answers on its port."""

from __future__ import annotations

import http.client
import json
import logging
import os
import threading
import time

from floor.systemd import notify

log = logging.getLogger("hub")


def _probe_host(host: str) -> str:
    return {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)


def serving(host: str, port: int) -> bool:
    try:
        conn = http.client.HTTPConnection(_probe_host(host), port, timeout=2)
        conn.request("GET", "/healthz")
        answer = conn.getresponse()
        return answer.status == 200 and json.loads(answer.read()).get("status") == "ok"
    except (OSError, ValueError):
        return False


def announce_when_serving(host: str, port: int) -> threading.Thread | None:
    """READY=1 means 'answering HTTP with its database reachable' — not 'process started' — so
    nginx and a backup timer ordered After= the hub never meet a refused connection. The check is
    made from the main process (systemd's NotifyAccess=main), whatever the number of workers.
    Does nothing outside systemd (no $NOTIFY_SOCKET)."""
    address = os.environ.pop("NOTIFY_SOCKET", None)  # worker processes must not inherit it
    if not address:
        return None

    def wait() -> None:
        while not serving(host, port):
            time.sleep(0.2)
        notify(f"READY=1\nSTATUS=serving on {host}:{port}", address)
        log.info("told systemd the hub is ready")

    thread = threading.Thread(target=wait, name="sd-notify", daemon=True)
    thread.start()
    return thread
