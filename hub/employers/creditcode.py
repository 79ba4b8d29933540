"""Unified social credit codes of employers (GB 32100-2015): shape and check character."""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 symbols: no I, O, S, V, Z
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18


class CreditCodeError(ValueError):
    """A credit code that cannot be right, with the reason in words staff understand."""


def check_char(first17: str) -> str:
    """The 18th character for the first 17."""
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS))
    return ALPHABET[(31 - total % 31) % 31]


def validate(code: str) -> str:
    """Returns the code normalised (upper case, no blanks) or raises CreditCodeError."""
    code = "".join(code.split()).upper()
    if len(code) != LENGTH:
        raise CreditCodeError(f"统一社会信用代码应为18位，现在是{len(code)}位")
    bad = sorted({c for c in code if c not in ALPHABET})
    if bad:
        raise CreditCodeError(f"统一社会信用代码含有不允许的字符：{''.join(bad)}（不使用 I、O、S、V、Z）")
    if check_char(code[:17]) != code[17]:
        raise CreditCodeError("统一社会信用代码校验位不符，请核对营业执照")
    return code


def is_valid(code: str) -> bool:
    try:
        validate(code)
    except CreditCodeError:
        return False
    return True
