"""The 256-byte text block of a read (UCS-2 little-endian, fixed-width fields padded with spaces).

Offsets are in bytes, as the reference tables give them. Layouts for the foreign permanent
residence cards come from public implementations, as the reference says; marked below."""

from __future__ import annotations

import datetime as dt

from floor import idnumber

from ..errors import CardDataError
from ..identity import LONG_TERM, Identity, Kind, Sex
from ..nations import nation_name

TEXT_LEN = 256
FLAG = (248, 2)  # the card-type flag: space (resident), J (HMT permit), I (foreign 2017), Y (foreign 2023)

RESIDENT = {
    "name": (0, 30),
    "sex": (30, 2),
    "nation": (32, 4),
    "birth": (36, 16),
    "address": (52, 70),
    "number": (122, 36),
    "authority": (158, 30),
    "valid_from": (188, 16),
    "valid_to": (204, 16),
}
HMT_EXTRA = {"pass_number": (220, 18), "issue_count": (238, 4)}
# 2017 edition (flag I), from public implementations.
FOREIGN_2017 = {
    "english_name": (0, 120),
    "sex": (120, 2),
    "number": (122, 30),
    "nationality": (152, 6),
    "name": (158, 30),
    "valid_from": (188, 16),
    "valid_to": (204, 16),
    "birth": (220, 16),
    "version": (236, 4),
    "authority": (240, 8),
}
# 2023 edition (flag Y), from public implementations; the English name continues at 220.
FOREIGN_2023 = {
    "name": (0, 30),
    "sex": (30, 2),
    "renewals": (32, 4),
    "birth": (36, 16),
    "english_name": (52, 70),
    "number": (122, 36),
    "valid_from": (188, 16),
    "valid_to": (204, 16),
    "english_more": (220, 22),
    "nationality": (242, 6),
}


def _field(text: str, spec: tuple[int, int]) -> str:
    """A field with its padding removed; spaces inside it (addresses have them) stay."""
    start, width = spec
    return text[start // 2 : (start + width) // 2].rstrip(" \x00")


def _date(value: str, what: str) -> dt.date:
    try:
        return dt.date(int(value[0:4]), int(value[4:6]), int(value[6:8]))
    except (ValueError, IndexError):
        raise CardDataError(f"{what} {value!r} is not a date") from None


def _valid_to(value: str) -> dt.date | str:
    return LONG_TERM if value.startswith(LONG_TERM) else _date(value, "valid-to date")


def decode_text(block: bytes) -> Identity:
    """The Identity in a text block, for whichever of the four layouts its flag names."""
    if len(block) != TEXT_LEN:
        raise CardDataError(f"text block is {len(block)} bytes, not {TEXT_LEN}")
    try:
        text = block.decode("utf-16-le")
    except UnicodeDecodeError:
        raise CardDataError("text block is not UCS-2 text") from None
    flag = _field(text, FLAG)
    if flag in ("", "J"):
        return _resident(text, hmt=flag == "J")
    if flag == "I":
        return _foreign_2017(text)
    if flag == "Y":
        return _foreign_2023(text)
    raise CardDataError(f"unknown card type flag {flag!r}")


def _resident(text: str, hmt: bool) -> Identity:
    f = {key: _field(text, spec) for key, spec in RESIDENT.items()}
    number = idnumber.normalize(f["number"])
    if not number:
        raise CardDataError("the card carries no ID number")
    nation = None
    if not hmt:
        if not f["nation"].isdigit():
            raise CardDataError(f"nation code {f['nation']!r} is not a number")
        nation = nation_name(int(f["nation"]))
    extra = {key: _field(text, spec) for key, spec in HMT_EXTRA.items()} if hmt else {}
    return Identity(
        kind=Kind.HMT_RESIDENCE_PERMIT if hmt else Kind.RESIDENT_ID,
        _number=number,
        name=f["name"],
        sex=Sex.of_code(f["sex"]),
        nation=nation,
        birth=_date(f["birth"], "birth date"),
        address=f["address"],
        authority=f["authority"],
        valid_from=_date(f["valid_from"], "valid-from date"),
        valid_to=_valid_to(f["valid_to"]),
        **extra,
    )


def _foreign_2017(text: str) -> Identity:
    f = {key: _field(text, spec) for key, spec in FOREIGN_2017.items()}
    return Identity(
        kind=Kind.FOREIGN_PERMANENT_2017,
        _number=f["number"].upper(),
        name=f["name"],
        english_name=f["english_name"],
        sex=Sex.of_code(f["sex"]),
        birth=_date(f["birth"], "birth date"),
        nationality=f["nationality"],
        authority=f["authority"],
        valid_from=_date(f["valid_from"], "valid-from date"),
        valid_to=_valid_to(f["valid_to"]),
    )


def _foreign_2023(text: str) -> Identity:
    f = {key: _field(text, spec) for key, spec in FOREIGN_2023.items()}
    english = f["english_name"] + (f["english_more"] if f["english_more"] else "")
    return Identity(
        kind=Kind.FOREIGN_PERMANENT_2023,
        _number=idnumber.normalize(f["number"]),
        name=f["name"],
        english_name=english.strip(),
        sex=Sex.of_code(f["sex"]),
        birth=_date(f["birth"], "birth date"),
        nationality=f["nationality"],
        valid_from=_date(f["valid_from"], "valid-from date"),
        valid_to=_valid_to(f["valid_to"]),
    )


def encode_text(identity: Identity, nation_code: int = 1) -> bytes:
    """The text block a reader would send for a resident ID or HMT permit (for the simulator)."""

    def put(spec: tuple[int, int], value: str) -> None:
        start, width = spec
        chars[start // 2 : (start + width) // 2] = list(value.ljust(width // 2)[: width // 2])

    def day(value) -> str:
        return value.strftime("%Y%m%d") if isinstance(value, dt.date) else (value or "")

    chars = [" "] * (TEXT_LEN // 2)
    hmt = identity.kind is Kind.HMT_RESIDENCE_PERMIT
    values = {
        "name": identity.name,
        "sex": {"male": "1", "female": "2"}.get(identity.sex.value, "0"),
        "nation": "" if hmt else f"{nation_code:02d}",
        "birth": day(identity.birth),
        "address": identity.address,
        "number": identity.reveal_number(),
        "authority": identity.authority,
        "valid_from": day(identity.valid_from),
        "valid_to": day(identity.valid_to),
    }
    for key, spec in RESIDENT.items():
        put(spec, values[key])
    if hmt:
        put(HMT_EXTRA["pass_number"], identity.pass_number)
        put(HMT_EXTRA["issue_count"], identity.issue_count)
        put(FLAG, "J")
    return "".join(chars).encode("utf-16-le")
