"""`lingong card decode`, `card read --reader sim` and `card tap` as a person types them."""

import json
import subprocess
import sys
import time

import pytest

from cardreader.sam import frames
from tests.support.hub import ROOT, lingong_env
from tests.unit.test_sam_text import ZHANG, read_frame


def card(*args, home, **kw):
    return subprocess.run(
        [sys.executable, "-m", "lingong.cli", "card", *args],
        env=lingong_env(home),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        **kw,
    )


@pytest.mark.parametrize("form", ["hex", "spaced-hex", "raw"])
def test_decode_a_read_frame(tmp_path, form):
    frame = read_frame()
    path = tmp_path / "frame"
    if form == "raw":
        path.write_bytes(frame)
    elif form == "hex":
        path.write_text(frame.hex().upper())
    else:
        path.write_text("\n".join(frame[i : i + 16].hex(" ") for i in range(0, len(frame), 16)) + "\n")
    out = card("decode", str(path), home=tmp_path)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)
    assert got == {
        "kind": "resident_id",
        "id_number": "11010519491231002X",
        "id_valid": True,
        "name": "张三丰",
        "sex": "female",
        "nation": "汉族",
        "birth": "1949-12-31",
        "address": "北京市东城区 景山前街4号",
        "authority": "北京市公安局东城分局",
        "valid_from": "2015-01-01",
        "valid_to": "长期",
    }


@pytest.mark.parametrize(
    "damage, words",
    [
        (lambda f: b"\x00" + f[1:], "preamble"),
        (lambda f: f[:-1] + bytes([f[-1] ^ 1]), "checksum"),
        (lambda f: f[:700], "truncated"),
        (lambda f: f[:5] + b"\x00\x02" + f[7:], "length"),
        (lambda f: frames.response(0x41), "card read failed"),
    ],
)
def test_bad_frames_exit_2_with_one_line(tmp_path, damage, words):
    path = tmp_path / "bad"
    path.write_bytes(damage(read_frame()))
    out = card("decode", str(path), home=tmp_path)
    assert out.returncode == 2 and out.stdout == ""
    assert words in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_tap_reaches_a_waiting_simulated_reader(tmp_path):
    waiting = subprocess.Popen(
        [sys.executable, "-m", "lingong.cli", "card", "read", "--reader", "sim", "--timeout", "20"],
        env=lingong_env(tmp_path),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 10
    while not (tmp_path / "card.sock").exists():
        assert time.monotonic() < deadline, "simulated reader socket never appeared"
        time.sleep(0.05)
    tap = card("tap", ZHANG.reveal_number(), "--name", "张三丰", home=tmp_path)
    assert tap.returncode == 0 and tap.stdout.startswith("ok 110105********002X")
    out, err = waiting.communicate(timeout=20)
    assert waiting.returncode == 0, err
    got = json.loads(out)
    assert got["id_number"] == "110105********002X" and got["name"] == "张**"  # masked without --reveal
    assert card("tap", "123", home=tmp_path).returncode == 2  # nobody is listening any more


def test_read_times_out_with_exit_3(tmp_path):
    out = card("read", "--reader", "sim", "--timeout", "1", home=tmp_path)
    assert out.returncode == 3 and "no card within 1 s" in out.stderr
    assert card("read", "--reader", "floppy", home=tmp_path).returncode == 2
