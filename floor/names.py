"""Masked names for screens and logs: 张三 → 张*, 欧阳娜娜 → 欧阳**, John Smith → J*** S****. (Phones:
floor.phone.)"""

from __future__ import annotations

# Common two-character Chinese surnames; a name starting with one keeps both characters.
COMPOUND_SURNAMES = frozenset(
    ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙")
    + ("宇文", "司徒", "令狐", "夏侯", "轩辕", "端木", "独孤", "南宫", "西门", "百里")
)


def mask_name(name: str) -> str:
    """Keeps the surname (or each word's first letter for Latin names) and stars the rest."""
    name = (name or "").strip()
    if not name:
        return ""
    if name.isascii():
        return " ".join(w[0] + "*" * (len(w) - 1) for w in name.split())
    keep = 2 if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else 1
    return name[:keep] + "*" * max(1, len(name) - keep)
