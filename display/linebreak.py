"""Breaking Chinese text into lines the way a reader expects (no Kivy here: the caller measures).

Kivy wraps at any character, so a line may start with "，" and a last line may hold one character
alone ("供"). This follows the common rules of Chinese typesetting (禁则): no closing punctuation
at the start of a line, no opening punctuation at its end, runs of digits and Latin letters kept
whole; and it balances the lines, so the last one is not an orphan."""

from __future__ import annotations

import re
from collections.abc import Callable

Measure = Callable[[str], float]  # width of a text in pixels at the size being tried
NO_START = set("，。、；：！？）》」』】〕…—%％·,.;:!?)]}")  # never the first character of a line
NO_END = set("（《「『【〔([{")  # never the last
TOKEN = re.compile(r"[0-9A-Za-z.:%／/\-–~]+|\s+|.", re.S)  # a run of digits/letters is one token


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def wrap(text: str, width: float, measure: Measure) -> list[str]:
    """Greedy lines no wider than `width` (a single token wider than that gets a line of its own)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        parts, line = tokens(paragraph), ""
        i = 0
        while i < len(parts):
            part = parts[i]
            if not line and part.isspace():
                i += 1
                continue
            if not line or measure(line + part) <= width:
                line += part
                i += 1
                continue
            # `part` starts the next line; characters move down with it while the rules ask
            # (a closing mark may not start the line, an opening one may not end this one)
            carry, first = "", part[0]
            while len(line) > 1 and (first in NO_START or line[-1] in NO_END):
                carry, line = line[-1] + carry, line[:-1]
                first = carry[0]
            lines.append(line.rstrip())
            line = carry
        if line or not lines:
            lines.append(line.rstrip())
    return lines


def balanced(text: str, width: float, measure: Measure) -> list[str]:
    """The fewest lines `wrap` gives at `width`, made as even as that number of lines allows (the
    narrowest width that still gives no more lines), so that no line is left nearly empty."""
    lines = wrap(text, width, measure)
    if len(lines) < 2:
        return lines
    low, high = width / 2, width
    for _ in range(12):  # to about 1/4000 of the width
        mid = (low + high) / 2
        if len(wrap(text, mid, measure)) <= len(lines):
            high = mid
        else:
            low = mid
    lines = wrap(text, high, measure)
    # a last line of one character ("供") takes the character before it along
    if len(lines) > 1 and len(tokens(lines[-1])) == 1 and len(tokens(lines[-2])) > 2:
        last = tokens(lines[-2])[-1]
        if last not in NO_START and last.strip():
            lines[-2:] = [lines[-2][: -len(last)], last + lines[-1]]
    return lines
