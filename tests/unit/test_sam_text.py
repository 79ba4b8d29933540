"""The 256-byte text block: every layout, 长期, spaces inside fields, and bad data."""

import datetime as dt

import pytest

from cardreader.errors import CardDataError, FrameError, StatusError
from cardreader.identity import LONG_TERM, Identity, Kind, Sex
from cardreader.sam import frames
from cardreader.sam.session import decode_read_frame
from cardreader.sam.text import decode_text, encode_text

ZHANG = Identity(
    kind=Kind.RESIDENT_ID,
    _number="11010519491231002X",
    name="张三丰",
    sex=Sex.FEMALE,
    nation="汉族",
    birth=dt.date(1949, 12, 31),
    address="北京市东城区 景山前街4号",
    authority="北京市公安局东城分局",
    valid_from=dt.date(2015, 1, 1),
    valid_to=LONG_TERM,
)


def read_frame(identity: Identity = ZHANG, nation: int = 1, photo: bytes = bytes(1024)) -> bytes:
    text = encode_text(identity, nation)
    return frames.response(0x90, len(text).to_bytes(2, "big") + len(photo).to_bytes(2, "big") + text + photo)


def block(fields: dict[int, str], flag: str) -> bytes:
    chars = [" "] * 128
    for start, value in fields.items():
        chars[start // 2 : start // 2 + len(value)] = list(value)
    chars[124] = flag
    return "".join(chars).encode("utf-16-le")


def test_a_resident_card_round_trips_with_spaces_and_long_term():
    frame = read_frame()
    assert len(frame) == 1295 and frame[5:7] == bytes.fromhex("0508")  # the reference's sizes
    got = decode_read_frame(frame)
    assert got == ZHANG
    assert got.address == "北京市东城区 景山前街4号"  # not cut at the first space
    assert got.valid_to == LONG_TERM and not got.expired(dt.date(2099, 1, 1))


def test_nation_codes_become_names():
    assert decode_read_frame(read_frame(nation=5)).nation == "维吾尔族"
    assert decode_read_frame(read_frame(nation=98)).nation == "外国血统中国籍人士"


def test_hmt_residence_permit():
    permit = Identity(
        kind=Kind.HMT_RESIDENCE_PERMIT,
        _number="810000199001011234",
        name="陈大文",
        sex=Sex.MALE,
        birth=dt.date(1990, 1, 1),
        address="广东省深圳市福田区",
        authority="深圳市公安局",
        valid_from=dt.date(2020, 5, 1),
        valid_to=dt.date(2025, 5, 1),
        pass_number="H12345678",
        issue_count="01",
    )
    got = decode_text(encode_text(permit))
    assert got.kind is Kind.HMT_RESIDENCE_PERMIT and got.nation is None
    assert (got.pass_number, got.issue_count) == ("H12345678", "01")
    assert got.expired(dt.date(2026, 1, 1))


def test_foreign_permanent_2017():
    got = decode_text(
        block(
            {
                0: "SMITH JOHN",
                120: "1",
                122: "USA110078112345",
                152: "USA",
                158: "史密斯",
                188: "20180101",
                204: "20280101",
                220: "19800615",
                236: "1",
                240: "1500",
            },
            "I",
        )
    )
    assert got.kind is Kind.FOREIGN_PERMANENT_2017 and got.english_name == "SMITH JOHN"
    assert got.name == "史密斯" and got.nationality == "USA" and got.birth == dt.date(1980, 6, 15)
    assert got.to_json()["id_valid"] is None  # no public check rule for the 2017 numbers


def test_foreign_permanent_2023_with_long_english_name():
    got = decode_text(
        block(
            {
                0: "玛丽",
                30: "2",
                32: "00",
                36: "19920303",
                52: "MARIE-CLAIRE DUBOIS VAN DER BERG",
                122: "933110199203030011",
                188: "20240101",
                204: "20340101",
                220: " JR",
                242: "FRA",
            },
            "Y",
        )
    )
    assert got.kind is Kind.FOREIGN_PERMANENT_2023 and got.sex is Sex.FEMALE
    assert got.english_name.endswith("JR") and got.nationality == "FRA"


@pytest.mark.parametrize(
    "mutate, error",
    [
        (lambda t: t[:100], CardDataError),
        (lambda t: t[:36] + "2019X301".encode("utf-16-le") + t[52:], CardDataError),
        (lambda t: t[:248] + "Q".encode("utf-16-le") + t[250:], CardDataError),
        (lambda t: t[:32] + "ab".encode("utf-16-le") + t[36:], CardDataError),
    ],
)
def test_bad_text_blocks_are_clear_errors(mutate, error):
    with pytest.raises(error):
        decode_text(mutate(encode_text(ZHANG)))


def test_read_failed_and_bad_lengths():
    with pytest.raises(StatusError, match="card read failed") as err:
        decode_read_frame(frames.response(0x41))
    assert err.value.status == 0x41
    with pytest.raises(FrameError, match="do not add up"):
        decode_read_frame(frames.response(0x90, bytes.fromhex("0100 0400") + bytes(10)))


def test_identity_never_shows_the_number_unless_asked():
    assert "11010519491231002X" not in repr(ZHANG) and "110105********002X" in str(ZHANG)
    assert "张三丰" not in repr(ZHANG) and "张**" in repr(ZHANG)
    masked = ZHANG.to_json()
    assert masked["id_number"] == "110105********002X" and masked["name"] == "张**"
    assert masked["address"].startswith("北京市东城区") and "景山" not in masked["address"]
    assert ZHANG.to_json(reveal=True)["id_number"] == ZHANG.reveal_number() == "11010519491231002X"
    assert ZHANG.age(dt.date(2026, 11, 21)) == 76 and masked["id_valid"] is True
