"""SAM frames against the reference's own bytes; resynchronisation; fuzzing of the parser."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cardreader.errors import CardReaderError, FrameError
from cardreader.sam import frames
from cardreader.sam.frames import FrameReader, parse_response

H = bytes.fromhex


@pytest.mark.parametrize(
    "cmd, wire",
    [
        (frames.RESET_SAM, "AA AA AA 96 69 00 03 10 FF EC"),
        (frames.SAM_STATUS, "AA AA AA 96 69 00 03 11 FF ED"),
        (frames.READ_SAM_ID, "AA AA AA 96 69 00 03 12 FF EE"),
        (frames.FIND_CARD, "AA AA AA 96 69 00 03 20 01 22"),
        (frames.SELECT_CARD, "AA AA AA 96 69 00 03 20 02 21"),
        (frames.READ_TEXT_PHOTO, "AA AA AA 96 69 00 03 30 01 32"),
        (frames.READ_TEXT_PHOTO_FINGER, "AA AA AA 96 69 00 03 30 10 23"),
        (frames.READ_NEW_ADDRESS, "AA AA AA 96 69 00 03 30 03 30"),
    ],
)
def test_command_frames_match_the_reference(cmd, wire):
    assert frames.command(cmd) == H(wire)


@pytest.mark.parametrize(
    "wire, sw3, data",
    [
        ("AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97", 0x9F, bytes(4)),
        ("AA AA AA 96 69 00 0C 00 00 90" + " 00" * 8 + " 9C", 0x90, bytes(8)),
        ("AA AA AA 96 69 00 04 00 00 90 94", 0x90, b""),
        ("AA AA AA 96 69 00 04 00 00 41 45", 0x41, b""),
    ],
)
def test_reference_responses_parse(wire, sw3, data):
    r = parse_response(H(wire))
    assert (r.sw3, r.data) == (sw3, data)
    assert frames.response(sw3, data) == H(wire)


@pytest.mark.parametrize(
    "wire, words",
    [
        ("AA AA AB 96 69 00 04 00 00 90 94", "preamble"),
        ("AA AA AA 96 69 00 04 00 00 90 95", "checksum"),
        ("AA AA AA 96 69 00 08 00 00 90 94", "truncated"),
        ("AA AA AA 96", "truncated"),
        ("AA AA AA 96 69 00 02 00 00", "too short"),
        ("AA AA AA 96 69 00 04 00 00 90 94 00", "after the end"),
    ],
)
def test_bad_frames_say_what_is_wrong(wire, words):
    with pytest.raises(FrameError, match=words):
        parse_response(H(wire))


def test_stream_resynchronises_on_garbage_corruption_and_cut_frames():
    good = frames.response(0x90, b"hello")
    corrupt = good[:-1] + bytes([good[-1] ^ 1])
    cut = good[:9]
    reader = FrameReader()
    reader.feed(b"\x00\x13junk" + corrupt + cut + good + good[:3])
    assert reader.next_frame() == good
    assert reader.next_frame() is None
    reader.feed(good[3:])
    assert reader.next_frame() == good
    assert reader.discarded > 0


def test_a_frame_arriving_byte_by_byte():
    good = frames.response(0x9F, bytes(4))
    reader = FrameReader()
    for i, b in enumerate(good):
        assert reader.next_frame() is None, i
        reader.feed(bytes([b]))
    assert reader.next_frame() == good


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_raise_only_our_error(data):
    try:
        parse_response(data)
    except CardReaderError:
        pass
    reader = FrameReader()
    reader.feed(data)
    while reader.next_frame() is not None:
        pass


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_mutated_valid_frames_raise_only_our_error(data):
    from cardreader.sam.session import decode_read_frame
    from tests.unit.test_sam_text import read_frame

    frame = bytearray(read_frame())
    for _ in range(data.draw(st.integers(1, 6))):
        action = data.draw(st.sampled_from(["flip", "cut", "insert"]))
        pos = data.draw(st.integers(0, len(frame) - 1))
        if action == "flip":
            frame[pos] ^= data.draw(st.integers(1, 255))
        elif action == "cut":
            del frame[pos : pos + data.draw(st.integers(1, 50))]
        else:
            frame[pos:pos] = data.draw(st.binary(min_size=1, max_size=20))
        if not frame:
            break
    try:
        decode_read_frame(bytes(frame))
    except CardReaderError:
        pass
