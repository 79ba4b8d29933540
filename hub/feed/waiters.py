"""Who waits on the change stream, grouped by what they see: a change wakes only those it concerns."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from .alarms import Alarms
from .scope import View

# A batch this large (a process catching up after a restart of the database) wakes everyone
# rather than being matched against every group.
WAKE_ALL_ABOVE = 200


@dataclass(slots=True)
class _Group:
    view: View  # any member's: members see the same shared documents
    waiting: set[asyncio.Future] = field(default_factory=set)  # one per waiting device


class Waiters:
    """A hall of devices at one station with the same filters is one group: a posting for another
    district does not wake them, and one that concerns them wakes them together, to write the one
    answer made for all of them (FeedCache.answer). A device's own document wakes its group."""

    def __init__(self, alarms: Alarms | None = None) -> None:
        self.alarms = alarms if alarms is not None else Alarms()
        self._groups: dict[tuple, _Group] = {}
        self._group_of: dict[int, tuple] = {}  # device → the key of the group it last waited in

    async def wait(self, view: View, timeout: float) -> None:
        """Until a change that concerns `view`, or the timeout.

        A future and a coarse alarm (hub.feed.alarms) for each wait, where asyncio.Event and
        asyncio.timeout would add a lock, a queue, a Python object and a timer of the loop's per
        wait: each device waits once per change."""
        key = view.shared_key
        group = self._groups.get(key)
        if group is None:
            group = self._groups[key] = _Group(view)
        self._group_of[view.device] = key
        loop = asyncio.get_running_loop()
        woken = loop.create_future()
        group.waiting.add(woken)
        alarm = self.alarms.set(loop.time() + timeout, woken, _wake)
        try:
            await woken
        finally:
            self.alarms.clear(alarm, woken)
            group.waiting.discard(woken)
            if not group.waiting and self._groups.get(key) is group:
                del self._groups[key]

    def wake(self, entries) -> None:
        """Wakes the groups these new entries (hub.feed.cache.Entry) concern."""
        if len(entries) > WAKE_ALL_ABOVE:
            self.wake_all()
            return
        shared = [e for e in entries if e.scope.device is None]
        own = {self._group_of.get(e.scope.device) for e in entries if e.scope.device is not None}
        for key, group in list(self._groups.items()):
            if key in own or any(e.item_for(group.view) is not None for e in shared):
                self._fire(key, group)

    def wake_all(self) -> None:
        for key, group in list(self._groups.items()):
            self._fire(key, group)

    def _fire(self, key: tuple, group: _Group) -> None:
        # Those waiting now wake; whoever waits next waits for the next change.
        del self._groups[key]
        for woken in group.waiting:
            _wake(woken)

    @property
    def groups(self) -> int:
        return len(self._groups)


def _wake(woken: asyncio.Future) -> None:
    if not woken.done():  # (a waiter cancelled meanwhile: its client hung up)
        woken.set_result(None)
