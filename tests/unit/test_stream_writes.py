"""A stream's writes have a deadline, and its slot is given back however it ends (hub.feed.stream)."""

import asyncio

from hub.feed import stream


async def lines():
    yield b'{"cursor":1}\n'
    yield b'{"cursor":2}\n'


def test_a_reader_that_stopped_reading_ends_the_stream_and_frees_its_slot(monkeypatch):
    monkeypatch.setattr(stream, "WRITE_WITHIN_S", 0.05)
    sent = []

    async def send(message):
        sent.append(message)
        if message.get("body"):  # the first line never leaves: the reader stopped reading
            await asyncio.Event().wait()

    async def receive():
        await asyncio.Event().wait()  # the client says nothing (it has not hung up either)

    async def run():
        slot = stream._take_slot(7)
        response = stream._Stream(lines(), slot, {})
        await asyncio.wait_for(response({"type": "http", "asgi": {"spec_version": "2.3"}}, receive, send), 5)

    asyncio.run(run())
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.body"]  # never finished
    assert 7 not in stream._open


def test_a_new_stream_asks_the_oldest_beyond_two_to_give_way_and_six_are_refused():
    slots = [stream._take_slot(8) for _ in range(stream.MAX_OPEN_PER_DEVICE)]
    assert [s.ended for s in slots] == [True, True, True, True, False, False]
    try:
        stream._take_slot(8)
    except stream.TooMany as refused:
        assert refused.code == "feed.streams_open"
    else:
        raise AssertionError("a seventh stream was let through")
    for slot in slots:
        stream._give_back(slot)
    assert 8 not in stream._open
