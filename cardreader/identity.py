"""Identity: one immutable value for whatever a reader read, that shows only masked forms."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field

from floor import idnumber
from floor.names import mask_name

LONG_TERM = "长期"  # a card valid without end


class Kind(enum.StrEnum):
    RESIDENT_ID = "resident_id"  # 居民身份证
    HMT_RESIDENCE_PERMIT = "hmt_residence_permit"  # 港澳台居民居住证
    FOREIGN_PERMANENT_2017 = "foreign_permanent_2017"  # 外国人永久居留身份证 (2017)
    FOREIGN_PERMANENT_2023 = "foreign_permanent_2023"  # 外国人永久居留身份证 (2023)
    SOCIAL_SECURITY = "social_security"  # 社会保障卡
    CHIP_SERIAL = "chip_serial"  # only a chip serial: an anonymous session token, not a person


class Sex(enum.StrEnum):
    MALE = "male"
    FEMALE = "female"
    UNKNOWN = "unknown"

    @classmethod
    def of_code(cls, code: str) -> Sex:
        """GB/T 2261.1: 1 male, 2 female; 0 and 9 are not stated."""
        return {"1": cls.MALE, "2": cls.FEMALE}.get(code.strip(), cls.UNKNOWN)


def _mask_address(address: str) -> str:
    """Province and city stay (the first six characters); the rest is starred."""
    return address[:6] + "*" * max(0, len(address) - 6)


@dataclass(frozen=True, repr=False)
class Identity:
    """What was read. `number` is private: its masked form is all that str, repr and logs show;
    `reveal_number()` is the one explicit way to the raw value."""

    kind: Kind
    _number: str = field(compare=True)
    name: str = ""
    sex: Sex = Sex.UNKNOWN
    nation: str | None = None
    birth: dt.date | None = None
    address: str = ""
    authority: str = ""
    valid_from: dt.date | None = None
    valid_to: dt.date | str | None = None  # a date, or LONG_TERM
    pass_number: str = ""  # HMT residence permits: the 通行证 number
    issue_count: str = ""  # HMT residence permits: how many times issued
    english_name: str = ""  # foreign permanent residence cards
    nationality: str = ""  # foreign permanent residence cards: ISO 3166 alpha-3 code
    card_number: str = ""  # social-security card number

    def reveal_number(self) -> str:
        """The raw ID or card number, for the one place that must send it (sealed) to the hub."""
        return self._number

    @property
    def masked_number(self) -> str:
        return idnumber.mask(self._number) if len(self._number) >= 10 else "*" * len(self._number)

    @property
    def masked_name(self) -> str:
        return mask_name(self.name or self.english_name)

    @property
    def number_valid(self) -> bool | None:
        """Whether the check character holds (GB 11643); None where no public rule is known to us
        (2017 foreign permanent residence cards) or there is none (chip serials)."""
        if self.kind in (Kind.CHIP_SERIAL, Kind.FOREIGN_PERMANENT_2017):
            return None
        return idnumber.is_valid(self._number)

    def expired(self, today: dt.date) -> bool:
        return isinstance(self.valid_to, dt.date) and self.valid_to < today

    def age(self, today: dt.date) -> int | None:
        if self.birth is None:
            return None
        return today.year - self.birth.year - ((today.month, today.day) < (self.birth.month, self.birth.day))

    def to_json(self, *, reveal: bool = False) -> dict:
        """The JSON object `lingong card decode` prints; masked unless `reveal`."""

        def day(value):
            return value.isoformat() if isinstance(value, dt.date) else value

        out = {
            "kind": self.kind.value,
            "id_number": self._number if reveal else self.masked_number,
            "id_valid": self.number_valid,
            "name": self.name if reveal else mask_name(self.name),
            "sex": self.sex.value,
            "nation": self.nation,
            "birth": day(self.birth),
            "address": self.address if reveal else _mask_address(self.address),
            "authority": self.authority,
            "valid_from": day(self.valid_from),
            "valid_to": day(self.valid_to),
        }
        if self.kind is Kind.HMT_RESIDENCE_PERMIT:
            out["pass_number"] = self.pass_number if reveal else idnumber.mask(self.pass_number)
            out["issue_count"] = self.issue_count
        if self.kind in (Kind.FOREIGN_PERMANENT_2017, Kind.FOREIGN_PERMANENT_2023):
            out["english_name"] = self.english_name if reveal else mask_name(self.english_name)
            out["nationality"] = self.nationality
        if self.kind is Kind.SOCIAL_SECURITY:
            out["card_number"] = self.card_number if reveal else idnumber.mask(self.card_number)
        return out

    def __repr__(self) -> str:
        return f"Identity({self.kind.value}, {self.masked_number}, {self.masked_name or '-'})"

    __str__ = __repr__
