"""The updater joined to a device's sync agent: offers from heartbeat answers, its state in the heartbeat."""

from __future__ import annotations

from collections.abc import Callable

from floor import __version__
from sync.enroll import authenticated

from .layout import running_layout
from .updater import Updater


def attach(agent, restart: Callable[[], None], ready: Callable[[], bool] = lambda: True) -> Updater:
    """`agent`: a sync.agent.SyncAgent not yet started. `restart`: ends this program so that its
    service starts it again (the switch is made). `ready`: what else health needs besides enrolled
    and synced once in this run (the kiosk and the wall: a first frame drawn)."""
    enrollment = agent.store.enrollment()
    updater = Updater(
        running_layout(),
        __version__,
        enrollment.update_key,
        fetch=agent.session.download_release,
        restart=restart,
        # Enrolled (the agent exists), the first sync of this run done, and the caller's own part.
        health=lambda: agent.status.online and ready(),
        # A pin (a step back to an older release) is not signed: believed only from a hub whose
        # answers TLS or loopback vouch for.
        pin_trusted=authenticated(enrollment.hub_url),
    )
    earlier = agent.state
    agent.state = lambda: {**(earlier() if earlier else {}), **updater.state()}
    agent.on_answer = updater.offer
    updater.start()
    return updater
