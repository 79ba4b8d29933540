"""What a staff password must be: long enough, and not one a guesser tries early (zxcvbn's estimate,
with the words of this product and the person's own name counted as known to the guesser)."""

from __future__ import annotations

from zxcvbn import zxcvbn

from hub.errors import Invalid

MIN_LENGTH = 10
# zxcvbn's estimate of the guesses needed. 10^8 is its "safely unguessable" line; it lets pinyin
# phrases with lucky numbers through (woaini + 1314 + 5201314), so the bar is ten times higher.
MIN_GUESSES = 1e9
# Words anyone attacking this hub would try first; zxcvbn knows English lists, not these.
PRODUCT_WORDS = (
    "lingong",
    "linggong",
    "zero",
    "gong",
    "zhan",
    "yizhan",
    "shichang",
    "renshe",
    "admin",
    "station",
    "kiosk",
    "hub",
    "零工",
    "驿站",
    "市场",
    "人社",
)
# Common passwords in Chinese use that English lists miss (pinyin phrases, QQ habits).
COMMON_CHINESE = (
    "woaini",
    "aini",
    "wangyi",
    "qwe123",
    "aini1314",
    "5201314",
    "1314520",
    "1314",
    "520",
    "521",
    "888",
    "666",
    "168",
    "iloveyou",
    "zhang",
    "wang",
    "li",
    "liu",
    "chen",
    "huang",
    "zhao",
    "123qwe",
    "a123456",
    "qq123456",
    "abc123",
    "zhongguo",
    "beijing",
    "shanghai",
)
MAX_LENGTH = 128  # argon2 takes anything, but a megabyte "password" is an attack on the CPU


def check(password: str, *, name: str = "") -> None:
    """Invalid (field "password") with a reason staff can act on, or nothing."""
    if len(password) < MIN_LENGTH:
        raise Invalid(f"密码至少要 {MIN_LENGTH} 个字符", code="password.too_short", field="password")
    if len(password) > MAX_LENGTH:
        raise Invalid(f"密码最多 {MAX_LENGTH} 个字符", code="password.too_long", field="password")
    if name and name.lower() in password.lower():
        raise Invalid("密码里不能有用户名", code="password.has_name", field="password")
    estimate = zxcvbn(password, user_inputs=[name, *PRODUCT_WORDS, *COMMON_CHINESE])
    if estimate["guesses"] < MIN_GUESSES:
        raise Invalid(
            "这个密码太容易被猜到：请用更长的、不常见的组合（例如几个不相关的词加数字）",
            code="password.guessable",
            field="password",
        )
