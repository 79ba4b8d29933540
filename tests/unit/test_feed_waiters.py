"""Streams wake only on changes that concern them (hub.feed.waiters)."""

import asyncio

from hub.feed.cache import Entry
from hub.feed.scope import Scope, View
from hub.feed.waiters import WAKE_ALL_ABOVE, Waiters
from wire.protocol import PUT


def posting(seq: int, stations=None, trade=1) -> Entry:
    scope = Scope(stations=frozenset(stations) if stations else None, trade=trade, category=1)
    return Entry(seq, "posting", seq, PUT, "{}", scope, None)


def own(seq: int, device: int) -> Entry:
    return Entry(seq, "device", device, PUT, "{}", Scope(device=device), None)


async def woken(waiters: Waiters, views: list[View], entries: list[Entry]) -> list[int]:
    """The devices whose wait ended because of `entries` (the others time out)."""
    done: list[int] = []

    async def one(view: View) -> None:
        await waiters.wait(view, 0.5)
        done.append(view.device)

    tasks = [asyncio.create_task(one(v)) for v in views]
    await asyncio.sleep(0)  # all waiting now
    waiters.wake(entries)
    await asyncio.sleep(0.05)
    early = sorted(done)
    await asyncio.wait_for(asyncio.gather(*tasks), 5)  # (5 s: a hang, not a speed)
    return early


HALL = [View(device=1, station=1), View(device=2, station=1), View(device=3, station=2)]
WALL = View(device=4, station=1, trades=frozenset({9}))  # only trade 9's postings


def test_a_change_wakes_only_the_devices_it_concerns():
    assert asyncio.run(woken(Waiters(), [*HALL, WALL], [posting(1, stations={1})])) == [1, 2]
    assert asyncio.run(woken(Waiters(), [*HALL, WALL], [posting(1)])) == [1, 2, 3]
    assert asyncio.run(woken(Waiters(), [*HALL, WALL], [posting(1, trade=9)])) == [1, 2, 3, 4]
    assert asyncio.run(woken(Waiters(), [*HALL, WALL], [posting(1, stations={7})])) == []


def test_a_devices_own_document_wakes_its_group_and_a_large_batch_wakes_everyone():
    assert asyncio.run(woken(Waiters(), [*HALL, WALL], [own(1, device=3)])) == [3]
    many = [posting(i, stations={7}) for i in range(WAKE_ALL_ABOVE + 1)]
    assert asyncio.run(woken(Waiters(), [*HALL, WALL], many)) == [1, 2, 3, 4]


def test_groups_go_when_nobody_waits_in_them():
    waiters = Waiters()
    assert asyncio.run(woken(waiters, HALL, [posting(1, stations={1})])) == [1, 2]
    assert waiters.groups == 0
