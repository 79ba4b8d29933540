"""Drivers over the simulator: one event stream for insertions, removals and reader trouble."""

import datetime as dt
import time

import pytest

from cardreader.drivers.sam import SamReader
from cardreader.drivers.sim import SimReader, parse_line, send
from cardreader.drivers.wedge import WedgeReader
from cardreader.identity import Kind
from cardreader.reader import CardInserted, CardRemoved, ReaderState, ReaderStatus
from cardreader.sim import SamEngine, SimulatedSerial, resident
from cardreader.spec import open_reader

ID = "11010519491231002X"


def until_state(reader, state, timeout=5.0):
    deadline = time.monotonic() + timeout
    while reader.state is not state:
        events_until(reader, ReaderStatus, max(0.1, deadline - time.monotonic()))


def events_until(reader, kind, timeout=5.0):
    """Events up to and including the first of type `kind`."""
    seen, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        event = reader.next_event(0.05)
        if event is not None:
            seen.append(event)
            if isinstance(event, kind):
                return seen
    raise AssertionError(f"no {kind.__name__} within {timeout} s; saw {seen}")


@pytest.fixture
def sam():
    engine = SamEngine(read_once=True)
    serial = SimulatedSerial(engine)
    plugged = {"serial": serial}

    def open_connection():
        if plugged["serial"] is None:
            from cardreader.errors import ReaderUnavailable

            raise ReaderUnavailable("no such port")
        return plugged["serial"]

    reader = SamReader(open_connection, poll_s=0.02, reconnect_s=0.05).start()
    yield engine, serial, reader, plugged
    reader.stop()


def test_card_on_read_once_reader_stays_until_lifted(sam):
    engine, _, reader, _ = sam
    assert events_until(reader, ReaderStatus)[-1].state is ReaderState.READY
    engine.place(resident(ID, "张三"))
    inserted = events_until(reader, CardInserted)[-1]
    assert inserted.identity.reveal_number() == ID and inserted.identity.name == "张三"
    time.sleep(0.3)  # find now answers 80, but select still sees the card: no false removal
    assert not any(isinstance(reader.next_event(0), CardRemoved) for _ in range(20))
    engine.remove()
    events_until(reader, CardRemoved)
    assert reader.state is ReaderState.READY


def test_corrupt_garbage_and_cut_frames_are_survived(sam):
    engine, serial, reader, _ = sam
    events_until(reader, ReaderStatus)
    serial.faults += [b"\x13\x37garbage", "corrupt", "truncate", b"\xaa\xaa\xaa"]
    engine.place(resident(ID))
    assert events_until(reader, CardInserted)[-1].identity.reveal_number() == ID


def test_failed_reads_are_reported_and_retried(sam):
    engine, _, reader, _ = sam
    events_until(reader, ReaderStatus)
    engine.fail_reads = 2
    engine.place(resident(ID))
    seen = events_until(reader, CardInserted)
    assert any(isinstance(e, ReaderStatus) and e.state is ReaderState.ERROR and "read failed" in e.detail for e in seen)


def test_unplugged_mid_session_and_back(sam):
    engine, serial, reader, plugged = sam
    engine.place(resident(ID))
    events_until(reader, CardInserted)
    serial.unplugged, plugged["serial"] = True, None
    seen = events_until(reader, ReaderStatus)
    assert any(isinstance(e, CardRemoved) for e in seen)
    assert reader.state is ReaderState.NO_READER
    engine.remove()
    plugged["serial"] = serial
    serial.unplugged = False
    until_state(reader, ReaderState.READY)
    engine.place(resident("440524188001010014"))
    assert events_until(reader, CardInserted)[-1].identity.reveal_number() == "440524188001010014"


class Clock:
    def __init__(self):
        self.t = 100.0

    def __call__(self):
        return self.t


def test_wedge_takes_a_fast_burst_and_ignores_a_person_typing():
    clock = Clock()
    wedge = WedgeReader(clock=clock)
    for ch in ID:
        clock.t += 0.004
        assert wedge.key(ch) is False
    clock.t += 0.004
    assert wedge.key("\r") is True
    event = wedge.next_event(0)
    assert isinstance(event, CardInserted) and event.identity.kind is Kind.RESIDENT_ID
    for ch in ID:  # the same characters at a person's pace
        clock.t += 0.15
        wedge.key(ch)
    assert wedge.key("\n") is False and wedge.next_event(0) is None
    for ch in "0123456789ABCDEF01":  # fast, but not an ID number: a chip serial at most
        clock.t += 0.004
        wedge.key(ch)
    assert wedge.key("\n") is False


def test_wedge_chip_serial_burst():
    clock = Clock()
    wedge = WedgeReader(clock=clock)
    for ch in "110105194912310021":  # right shape, wrong check digit: what a SAM-less reader types
        clock.t += 0.004
        wedge.key(ch)
    assert wedge.key("\n") is True
    assert wedge.next_event(0).identity.kind is Kind.CHIP_SERIAL


def test_simulated_reader_over_its_socket(tmp_path):
    reader = SimReader(tmp_path).start()
    try:
        events_until(reader, ReaderStatus)
        deadline = time.monotonic() + 5
        while not (tmp_path / "card.sock").exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert send(tmp_path, f"tap {ID} 张三").startswith("ok 110105")
        assert events_until(reader, CardInserted)[-1].identity.name == "张三"
        assert send(tmp_path, "tap 110105194912310021").startswith("error")
        assert send(tmp_path, "remove") == "ok removed"
        events_until(reader, CardRemoved)
    finally:
        reader.stop()


def test_feed_lines():
    assert parse_line(f"{ID},王五").name == "王五" and parse_line("# comment") is None
    with pytest.raises(ValueError):
        parse_line("123")
    assert parse_line(ID).valid_to == "长期" and parse_line(ID).valid_from < dt.date.today()


@pytest.mark.parametrize(
    "spec",
    [
        "sam:spy:///dev/ttyUSB0?file=/tmp/cards.log",
        "sam:loop://",
        "sam:alt:///dev/ttyS0",
        "sam:hwgrep://.*",
        "sam:relative/path",
        "sam:cp2110://0001",
    ],
)
def test_a_sam_reader_is_a_device_or_a_serial_server_only(spec):
    """Security review, finding 1: a spy:// URL would have logged raw card traffic to a file."""
    with pytest.raises(ValueError, match="device path"):
        open_reader(spec)
