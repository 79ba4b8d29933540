"""What a picture test cannot see by sampling pixels, measured on the drawn Kivy widget tree: text
boxes that overlap, widgets drawn outside their parent or the window, text cut without an ellipsis
rule, and pay cut at all (a reader must never lose 元/天 against 元/月); and borders cut by a clip box.

`problems(root)` returns one plain sentence per fault, to be asserted empty by the screen tests;
`cut_borders(root)` the same for bordered widgets on a clip's edge (the kiosk's screen test asks it
too; the wall's may once its layouts are checked against it); `cut_titles(root)` for postings'
titles cut below their trade word (the wall's screen test)."""

from __future__ import annotations

import re

from display.columns import TITLE_KEEPS

TOLERANCE = 2  # px: Kivy rounds a texture's position to whole pixels
PAY = re.compile(r"\d\s*元")

Box = tuple[float, float, float, float]  # left, bottom, right, top in window pixels


def shown(widget) -> bool:
    """Neither the widget nor anything it sits in is hidden."""
    node = widget
    while node is not None and node is not node.parent:
        if node.opacity <= 0 or not getattr(node, "shown", True) or node.width <= 0 or node.height <= 0:
            return False
        node = node.parent
    return True


def window_box(widget) -> Box:
    """The widget's rectangle in window pixels (through scroll views and relative layouts)."""
    x0, y0 = widget.to_window(widget.x, widget.y)
    x1, y1 = widget.to_window(widget.right, widget.top)
    return x0, y0, x1, y1


def _intersect(a: Box, b: Box) -> Box | None:
    box = max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])
    return box if box[2] - box[0] > TOLERANCE and box[3] - box[1] > TOLERANCE else None


def _within_rows(box: Box, other: Box) -> bool:
    return box[1] >= other[1] - TOLERANCE and box[3] <= other[3] + TOLERANCE


def _clips(widget) -> list:
    """The stencil views (scroll views, clip boxes) the widget is drawn inside, innermost first."""
    from kivy.uix.stencilview import StencilView

    found, node = [], widget.parent
    while node is not None and node is not node.parent:
        if isinstance(node, StencilView):
            found.append(node)
        node = node.parent
    return found


def visible_box(widget, box: Box) -> Box | None:
    """The part of `box` that its clip boxes let through."""
    for clip in _clips(widget):
        box = _intersect(box, window_box(clip))
        if box is None:
            return None
    return box


def ink_box(label) -> Box | None:
    """Where the label's lines of text are drawn, in window pixels (the texture is centred on the
    widget; each laid-out line sits inside it by its alignment)."""
    core = label._label
    lines = [line for line in getattr(core, "_cached_lines", ()) if line.w > 0]
    if not lines or label.texture is None:
        return None
    tw, th = label.texture_size
    left = int(label.center_x - tw / 2.0)
    top = int(label.center_y - th / 2.0) + th
    # A line's box is ~1.45 em tall (the CJK font's ascent and descent); its glyphs fill about
    # the em square at its middle, so that square is what may not overlap or spill.
    em = float(label.font_size)
    x0 = min(line.x for line in lines)
    x1 = max(line.x + line.w for line in lines)
    y0 = min(line.y + line.h / 2 for line in lines) - em / 2
    y1 = max(line.y + line.h / 2 for line in lines) + em / 2
    a = label.to_window(left + x0, top - y1)
    b = label.to_window(left + x1, top - y0)
    return a[0], a[1], b[0], b[1]


def drawn_text(label) -> str:
    """The characters actually laid out (Kivy drops lines past a fixed height without a word)."""
    core = label._label
    return "".join(word.text for line in getattr(core, "_cached_lines", ()) for word in line.words)


def _name(widget) -> str:
    text = getattr(widget, "text", "")
    return f"{type(widget).__name__}({text[:16]!r})" if text else type(widget).__name__


def _texts(root) -> list:
    from kivy.uix.label import Label

    return [
        w
        for w in root.walk()
        if isinstance(w, Label) and w.text.strip() and type(w).__name__ != "Icon" and shown(w) and w.texture
    ]


def cut_text(labels) -> list[str]:
    """Text that lost characters: only an ellipsis rule may cut, and never pay."""
    found = []
    for label in labels:
        # The text as of now drawn now: a label whose text changed since the last frame (the link's
        # 已联网 turning to 没联网 while the audit ran) still holds the old texture until the next.
        label.texture_update()
        full = re.sub(r"\s", "", label.text if not label.markup else re.sub(r"\[/?[^\]]*\]", "", label.text))
        drawn = re.sub(r"\s", "", drawn_text(label))
        if drawn == full:
            continue
        if not label.shorten:
            found.append(f"{_name(label)} is cut to {drawn[:20]!r} with no ellipsis rule")
        elif PAY.search(full) and not PAY.search(drawn.split("…")[0] if "…" in drawn else drawn):
            found.append(f"{_name(label)}: the pay is cut ({drawn[:20]!r})")
        elif PAY.search(full) and full[PAY.search(full).start() :] not in drawn:
            found.append(f"{_name(label)}: the pay or its unit is cut ({drawn[:20]!r})")
    return found


def cut_titles(root) -> list[str]:
    """Postings' titles (a wall's rows and cards: widgets with a `title`) cut to fewer than their
    first TITLE_KEEPS characters, or fewer than all of a shorter one. Measured on the characters
    drawn, so it holds whatever page and demo data are on screen."""
    from kivy.uix.label import Label

    found = []
    for widget in root.walk():
        title = getattr(widget, "title", None)
        if not isinstance(title, str) or not title.strip() or not shown(widget):
            continue
        for label in widget.walk():
            if not isinstance(label, Label) or label.text != title or not shown(label) or not label.texture:
                continue
            full, drawn = re.sub(r"\s", "", title), re.sub(r"\s", "", drawn_text(label))
            kept = drawn[:-3] if drawn.endswith("...") and drawn != full else drawn  # (Kivy's ellipsis)
            if not (full.startswith(kept) and kept.startswith(full[:TITLE_KEEPS])):
                found.append(f"{_name(label)}: the title is cut to {drawn!r}")
    return found


def overlapping(labels) -> list[str]:
    """Pairs of text boxes drawn over each other."""
    boxes = []
    for label in labels:
        box = ink_box(label)
        box = box and visible_box(label, box)
        if box:
            boxes.append((label, box))
    found = []
    for i, (a, box_a) in enumerate(boxes):
        for b, box_b in boxes[i + 1 :]:
            if _intersect(box_a, box_b):
                found.append(f"{_name(a)} overlaps {_name(b)}")
    return found


def outside(root, window_size: tuple[int, int]) -> list[str]:
    """Widgets drawn past their parent's edge or the window's; and text whose lines spill out of
    its own box. Inside a scroll view the content may run past the view along the scroll, never
    across it."""
    from kivy.uix.scrollview import ScrollView
    from kivy.uix.stencilview import StencilView

    found = []
    screen: Box = (0, 0, *window_size)
    for widget in root.walk():
        if widget is root or not shown(widget):
            continue
        box = window_box(widget)
        parent = widget.parent
        if isinstance(parent, ScrollView):
            view = window_box(parent)
            if (not parent.do_scroll_x and (box[0] < view[0] - TOLERANCE or box[2] > view[2] + TOLERANCE)) or (
                not parent.do_scroll_y and (box[1] < view[1] - TOLERANCE or box[3] > view[3] + TOLERANCE)
            ):
                found.append(f"{_name(widget)} runs across its scroll view")
            continue
        if visible_box(widget, box) is None:
            continue  # scrolled out of sight
        if isinstance(parent, StencilView) and _within_rows(box, window_box(parent)):
            continue  # a marquee: text moves across its clip box, never above or below it
        pbox = window_box(parent) if parent is not None and parent is not root.get_root_window() else screen
        if (
            box[0] < pbox[0] - TOLERANCE
            or box[1] < pbox[1] - TOLERANCE
            or box[2] > pbox[2] + TOLERANCE
            or box[3] > pbox[3] + TOLERANCE
        ):
            found.append(f"{_name(widget)} is drawn outside {_name(parent)}")
        elif not _clips(widget) and _intersect(box, screen) != box and box != screen:
            found.append(f"{_name(widget)} is drawn outside the window")
    from kivy.uix.label import Label

    for label in root.walk():
        if isinstance(label, Label) and shown(label) and label.text.strip() and label.texture:
            ink = ink_box(label)
            if ink is None:
                continue
            own = window_box(label)
            if (
                ink[0] < own[0] - TOLERANCE
                or ink[2] > own[2] + TOLERANCE
                or ink[1] < own[1] - TOLERANCE
                or (ink[3] > own[3] + TOLERANCE)
            ):
                found.append(f"{_name(label)}'s text spills out of its box")
    return found


def _borders(widget) -> list[tuple[Box, float]]:
    """The lines the widget draws (a border, a rule): each one's box in window pixels and its
    width (which Kivy draws to either side of the line)."""
    from kivy.graphics import Line

    found = []
    for group in (widget.canvas.before, widget.canvas):
        for line in group.children if group is not None else ():
            points = list(line.points) if isinstance(line, Line) else []
            if len(points) >= 4:
                a = widget.to_window(min(points[0::2]), min(points[1::2]))
                b = widget.to_window(max(points[0::2]), max(points[1::2]))
                found.append(((a[0], a[1], b[0], b[1]), float(line.width)))
    return found


def cut_borders(root) -> list[str]:
    """Bordered widgets (a tile, a card) whose border lies on the edge of a box that clips them (a
    scroll view, a grid of tiles): the clip cuts the line down its middle, and the tile looks
    broken. Found as a drawn line within its width of the clip's edge, where both are in view."""
    found = []
    for widget in root.walk():
        lines = _borders(widget) if shown(widget) else []
        clips = _clips(widget) if lines else []
        for clip in clips:
            view = window_box(clip)
            cut = set()
            for box, half in lines:
                across = box[1] < view[3] and box[3] > view[1]  # some of its left and right sides in view
                along = box[0] < view[2] and box[2] > view[0]  # some of its top and bottom in view
                sides = [
                    ("left", across and abs(box[0] - view[0]) <= half),
                    ("right", across and abs(box[2] - view[2]) <= half),
                    ("bottom", along and abs(box[1] - view[1]) <= half),
                    ("top", along and abs(box[3] - view[3]) <= half),
                ]
                cut |= {side for side, hit in sides if hit}
            if cut:
                found.append(f"{_name(widget)}'s border is cut on the {'/'.join(sorted(cut))} by {_name(clip)}")
                break
    return found


def problems(root, window_size: tuple[int, int]) -> list[str]:
    """Every fault found on the drawn tree under `root`, one sentence each."""
    labels = _texts(root)
    return outside(root, window_size) + overlapping(labels) + cut_text(labels)
