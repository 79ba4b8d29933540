"""Readers through the real stacks: pyserial on socat pseudo-terminals, pyscard through pcscd + vpcd."""

import datetime as dt
import os
import shutil
import subprocess
import sys
import time

import pytest

from cardreader.identity import Identity, Kind, Sex
from cardreader.reader import CardInserted, CardRemoved, ReaderState, ReaderStatus
from cardreader.sim import SimulatedCard, resident
from cardreader.spec import open_reader
from tests.fakes.sam_pty import PtyReader
from tests.fakes.vpcd_card import READER_NAME_PREFIX, VirtualCard
from tests.support.hub import ROOT, lingong_env
from tests.unit.test_readers import events_until

ID = "11010519491231002X"


@pytest.fixture
def pty(tmp_path):
    reader = PtyReader(tmp_path).plug()
    yield reader
    reader.unplug()


def test_sam_driver_over_a_real_serial_line(pty):
    reader = open_reader(pty.spec)
    reader.poll_s = 0.05
    reader.start()
    try:
        assert events_until(reader, ReaderStatus)[-1].state is ReaderState.READY
        pty.engine.place(resident(ID, "张三"))
        assert events_until(reader, CardInserted)[-1].identity.name == "张三"
        pty.engine.remove()
        events_until(reader, CardRemoved)
        # corrupt and cut-short frames on the wire: the driver resynchronises, no restart
        pty.faults += ["corrupt", "truncate", b"\x00\xff\xaa\xaa"]
        pty.engine.place(resident("440524188001010014"))
        assert events_until(reader, CardInserted, 8)[-1].identity.reveal_number() == "440524188001010014"
        # the USB reader is pulled out, then plugged back
        pty.unplug()
        seen = events_until(reader, ReaderStatus, 8)
        while reader.state is not ReaderState.NO_READER:
            seen += events_until(reader, ReaderStatus, 8)
        assert any(isinstance(e, CardRemoved) for e in seen)
        pty.engine.remove()
        pty.plug()
        while reader.state is not ReaderState.READY:
            events_until(reader, ReaderStatus, 10)
        pty.engine.place(resident(ID))
        assert events_until(reader, CardInserted, 8)[-1].identity.reveal_number() == ID
    finally:
        reader.stop()


def test_card_read_command_over_a_pty(pty):
    pty.engine.place(resident(ID, "张三"))
    out = subprocess.run(
        [sys.executable, "-m", "lingong.cli", "card", "read", "--reader", pty.spec, "--timeout", "10"],
        env=lingong_env(pty.folder),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert out.returncode == 0, out.stderr
    assert '"110105********002X"' in out.stdout and ID not in out.stdout and "张*" in out.stdout
    out = subprocess.run(
        [sys.executable, "-m", "lingong.cli", "card", "read", "--reader", "sam:/dev/ttyNOPE0", "--timeout", "5"],
        env=lingong_env(pty.folder),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 2 and "reader unavailable" in out.stderr


HOLDER = Identity(
    kind=Kind.SOCIAL_SECURITY,
    _number="440524188001010014",
    name="李四",
    sex=Sex.MALE,
    nation="汉族",
    birth=dt.date(1980, 1, 1),
    card_number="A12345678",
)


@pytest.fixture
def pcscd():
    if shutil.which("pcscd") is None or not os.path.exists("/usr/lib/pcsc/drivers/serial/libifdvpcd.so"):
        pytest.fail("pcscd with vsmartcard-vpcd is needed: run the suite with `make test`")
    if not os.path.exists("/run/pcscd/pcscd.comm"):
        pytest.fail("pcscd is not running: `make test` starts it (.ci/pcscd up)")


def vpcd_reader_name(timeout: float = 10.0) -> str:
    from cardreader.transports.pcsc import reader_names

    deadline = time.monotonic() + timeout
    while True:
        names = reader_names()
        found = [n for n in names if n.startswith(READER_NAME_PREFIX)]
        if found:
            return found[0]
        if time.monotonic() > deadline:
            pytest.fail(f"pcscd lists no vpcd reader (it has {names}); `.ci/pcscd up` checks its port 35963")
        time.sleep(0.2)


def test_pcsc_social_security_card_through_pcscd(pcscd):
    reader = open_reader(f"pcsc:{vpcd_reader_name()}")
    reader.poll_s = 0.1
    reader.start()
    card = VirtualCard(SimulatedCard(HOLDER, chunked=True))
    try:
        events_until(reader, ReaderStatus, 10)
        card.insert()
        got = events_until(reader, CardInserted, 10)[-1].identity
        assert got.kind is Kind.SOCIAL_SECURITY and got.name == "李四" and got.card_number == "A12345678"
        assert got.reveal_number() == "440524188001010014" and got.number_valid
        card.remove()
        events_until(reader, CardRemoved, 10)
        other = VirtualCard(SimulatedCard(None, serial=bytes.fromhex("A1B2C3D4E5F60718"))).insert()
        try:
            got = events_until(reader, CardInserted, 10)[-1].identity
            assert got.kind is Kind.CHIP_SERIAL and got.reveal_number() == "A1B2C3D4E5F60718"
        finally:
            other.remove()
        events_until(reader, CardRemoved, 10)
    finally:
        card.remove()
        reader.stop()


def test_no_pcscd_is_a_reported_state(tmp_path):
    # PCSCLITE_CSOCK_NAME points pyscard's pcsc-lite client at a socket where no pcscd listens.
    env = lingong_env(tmp_path, PCSCLITE_CSOCK_NAME=str(tmp_path / "no-pcscd.comm"))
    out = subprocess.run(
        [sys.executable, "-m", "lingong.cli", "card", "read", "--reader", "pcsc", "--timeout", "5"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert out.returncode == 2 and "pcscd is not running" in out.stderr, out.stderr
