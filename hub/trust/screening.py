"""The signs of 黑中介 and false postings, read from a posting's words and figures (no database).

Each rule gives a flag: a short code and the reason in plain Chinese for the staff who review it.
The thresholds are stated here and in the README ("Trust"):
- fees: a fee word (押金, 培训费, 服装费, 体检费, 中介费 …) not denied nearby (不收押金, 体检费公司报销);
- training: 先培训后上岗 and its wordings (先参加培训再上岗 …);
- pay_high: the top pay over PAY_HIGH_FACTOR times the high end of the trade's guide rate;
- pay_low: the top pay under the low end of the guide rate (issue 19 item 1: it informs staff);
- address: empty, a word like 待定/面议/电话联系, or no road, number or landmark in it;
- unverified: an employer without the verified mark with more than UNVERIFIED_LIMIT open postings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PAY_HIGH_FACTOR = 2.0  # a top pay more than twice the guide's high end (P75) is a lure, not a wage
UNVERIFIED_LIMIT = 3  # open postings an unverified employer may have before each new one is flagged

# The flags, in the order staff read them, with their names on the console.
NAMES = {
    "fees": "收费/押金",
    "training": "先培训后上岗",
    "pay_high": "工资远高于指导价",
    "pay_low": "工资低于指导价",
    "address": "地址不清",
    "unverified": "未认证单位发布多",
}
CODES = tuple(NAMES)
DEFAULT_HOLD = frozenset({"fees", "training"})

FEE_WORDS = (
    "押金", "保证金", "培训费", "服装费", "工装费", "体检费", "中介费", "介绍费", "报名费", "手续费",
    "办卡费", "资料费", "建档费", "信息费", "收费", "交费", "缴费", "先交钱", "交钱",
)  # fmt: skip
# A fee word with one of these shortly before it is denied: 不收押金, 无需体检费, 免培训费, 零中介费.
DENIED_BEFORE = re.compile(r"(不|无|免|零|没有|拒绝|杜绝|严禁)[^，。；,;！!\n]{0,5}$")
# … or shortly after: 体检费公司报销, 服装费由公司承担, 押金全免.
DENIED_AFTER = re.compile(r"^[^，。；,;！!\n]{0,6}(报销|公司承担|单位承担|公司出|单位出|公司负责|全免|免收|不收|全退)")
TRAINING = re.compile(
    r"先\s*(参加|进行|交费|缴费)?\s*(岗前)?\s*培训[^。；;\n]{0,8}?(后|再|才)\s*(能|可)?\s*(上岗|上班|入职|工作|安排)"
)

# A findable address names a road, a number or a landmark.
PLACE_MARKS = re.compile(
    r"[0-9０-９]|路|街|道|巷|弄|胡同|号|村|组|小区|苑|大厦|广场|市场|园|中心|工地|厂|学校|医院|站|楼|栋|幢|"
    r"室|院|镇|乡|社区|店|酒店|宾馆|超市|码头|基地|农场|仓库|公司|门口|对面|旁"
)
VAGUE = re.compile(
    r"待定|面议|详询|详谈|电话联系|电话告知|联系告知|另行通知|见面再说|到时通知|不限|全市|市区内|各区|若干"
)


@dataclass(frozen=True)
class Flag:
    code: str
    reason: str  # in Chinese, for staff


def fee_words(text: str) -> list[str]:
    """The fee words in `text` that are not denied around them, each once, in order."""
    found: list[str] = []
    for word in FEE_WORDS:
        for m in re.finditer(re.escape(word), text):
            before, after = text[max(0, m.start() - 8) : m.start()], text[m.end() : m.end() + 10]
            if DENIED_BEFORE.search(before) or DENIED_AFTER.search(after):
                continue
            if word in ("收费", "交费", "缴费", "交钱") and any(w in text[m.start() - 3 : m.end() + 3] for w in found):
                continue  # "押金收费" is one sign, not two
            if word not in found:
                found.append(word)
            break
    return found


def vague_address(address: str) -> str:
    """Why an address cannot be found, or "" when it can."""
    text = re.sub(r"\s+", "", address or "")
    if len(text) < 4:
        return "没有写清地址"
    if m := VAGUE.search(text):
        return f"地址写的是「{m.group(0)}」"
    if not PLACE_MARKS.search(text):
        return "地址里没有路名、门牌号或标志性地点"
    return ""


def _yuan(fen: int) -> str:
    return f"{fen / 100:g}元"


def screen(
    *,
    texts: list[str],
    address: str,
    pay_max_fen: int,
    guide: tuple[int, int] | None,
    unit_word: str = "",
    employer_verified: bool,
    employer_open: int,
) -> list[Flag]:
    """Every sign in one posting: its words (title, requirements, benefits), its address, its top pay
    against the trade's guide (low, high) in the same unit, and its employer's open postings."""
    flags: list[Flag] = []
    words = "\n".join(t for t in texts if t)
    if found := fee_words(words):
        flags.append(Flag("fees", "写有向工人收钱的字眼：" + "、".join(found[:4])))
    if m := TRAINING.search(words):
        flags.append(Flag("training", f"写有「{m.group(0)}」：先培训后上岗常是收培训费的借口"))
    if guide is not None:
        low, high = guide
        if high > 0 and pay_max_fen > PAY_HIGH_FACTOR * high:
            flags.append(
                Flag(
                    "pay_high",
                    f"最高工资{_yuan(pay_max_fen)}{unit_word}，超过同类活指导价高位"
                    f"{_yuan(high)}的{PAY_HIGH_FACTOR:g}倍",
                )
            )
        elif pay_max_fen < low:
            flags.append(Flag("pay_low", f"最高工资{_yuan(pay_max_fen)}{unit_word}，低于同类活指导价低位{_yuan(low)}"))
    if why := vague_address(address):
        flags.append(Flag("address", why))
    if not employer_verified and employer_open > UNVERIFIED_LIMIT:
        flags.append(Flag("unverified", f"单位未认证，却已有{employer_open}个在招岗位（超过{UNVERIFIED_LIMIT}个）"))
    return flags
