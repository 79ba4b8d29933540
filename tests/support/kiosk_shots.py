"""Renders every kiosk screen of the real app at one size, in one process, and measures what a reader
of 45–60 depends on: `python -m tests.support.kiosk_shots FOLDER WIDTHxHEIGHT`.

For each screen it writes FOLDER/<screen>.png and, in FOLDER/audit.json, the smallest text, the
smallest touch target, any text wider or taller than the box it was given, and the layout audit's
problems (tests.support.layout_audit: overlap, clipping, cut text; and here, content below a scroll
view's foot with no 往下看 cue), measured on the widget tree as drawn."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from device.capture import save_png
from lingong.screenshot import KIOSK_SCREENS, open_kiosk, stage_kiosk, when_settled
from tests.support.layout_audit import shown


def hidden_below(screen) -> list[str]:
    """Scroll views whose content runs past their foot with no cue shown under them (a worker who
    does not know to swipe would never see the rest): measured on the drawn tree, not the flag."""
    from kivy.uix.scrollview import ScrollView

    cued = {id(w.scroll.__self__) for w in screen.walk() if type(w).__name__ == "ScrollCue" and w.scroll and shown(w)}
    found = []
    for view in screen.walk():
        if isinstance(view, ScrollView) and shown(view) and view.children:
            content = view.children[0]
            if content.height > view.height + 2 and id(view) not in cued:
                found.append(f"{content.height - view.height:.0f} px below {type(view).__name__} with no cue")
    return found


def jammed(screen, scale: float) -> list[str]:
    """Buttons whose icon or word runs up to an edge: all of it must keep the button's padding
    (20 px at 1080p) clear on either side, or it reads as cut off."""
    from tests.support.layout_audit import window_box

    found = []
    for button in screen.walk():
        if type(button).__name__ != "BigButton" or not shown(button):
            continue
        left, _, right, _ = window_box(button)
        for part in button.children:
            if part.width > 0 and type(part).__name__ in ("Label", "Icon"):
                x0, _, x1, _ = window_box(part)
                if x0 < left + 20 * scale - 2 or x1 > right - 20 * scale + 2:
                    found.append(f"BigButton({button.text!r}) is too narrow: its {type(part).__name__} is jammed")
                    break
    return found


def faint(screen) -> list[str]:
    """Words drawn see-through (a faded or disabled button's): a button that cannot be pressed now
    still says what it is, in a colour of full strength."""
    from kivy.uix.label import Label

    found = []
    for label in screen.walk():
        if not isinstance(label, Label) or not label.text.strip() or not shown(label):
            continue
        alpha, node = (label.disabled_color if label.disabled else label.color)[3], label
        while node is not None and node is not node.parent:
            alpha *= node.opacity
            node = node.parent
        if alpha < 0.99:
            found.append(f"{type(label).__name__}({label.text[:16]!r}) is drawn at {alpha:.0%} strength")
    return found


def widows(screen) -> list[str]:
    """Text wrapped so its last line holds one character alone (…就可以 / 刷): a slow reader takes
    it for a stray mark. Texts break where a reader pauses (a \\n), or fit."""
    from kivy.uix.label import Label

    from tests.support.layout_audit import drawn_text

    found = []
    for label in screen.walk():
        if not isinstance(label, Label) or not shown(label) or not label.text.strip():
            continue
        lines = [line for line in getattr(label._label, "_cached_lines", ()) if line.w > 0]
        last = "".join(word.text for word in lines[-1].words).strip() if len(lines) > 1 else ""
        if len(last) == 1:
            found.append(f"{type(label).__name__}({drawn_text(label)[:16]!r}) leaves {last!r} alone on its last line")
    return found


def small_keys(screen) -> list[str]:
    """Keypad digits smaller than the digits they type into the eleven phone boxes above them."""
    walked = [w for w in screen.walk() if shown(w)]
    boxes = [float(w.font_size) for w in walked if type(w).__name__ == "PhoneBox"]
    keys = [
        (float(label.font_size), label.text)
        for pad in walked
        if type(pad).__name__ == "Keypad"
        for label in pad.walk()
        if type(label).__name__ == "Label" and label.text.isdigit()
    ]
    if not boxes or not keys:
        return []
    box = max(boxes)
    return [f"keypad digit {text!r} at {size:.0f} px, the boxes' at {box:.0f}" for size, text in keys if size < box]


def audit(app, window_size: tuple[int, int]) -> dict:
    from kivy.uix.label import Label

    from tests.support.layout_audit import cut_borders, problems

    texts, targets, overflow = [], [], []
    for widget in app.sm.current_screen.walk():
        if not shown(widget):
            continue
        if isinstance(widget, Label) and widget.text.strip() and type(widget).__name__ != "Icon":
            texts.append((float(widget.font_size), widget.text[:20]))
            tw, th = widget.texture_size
            if tw > widget.width + 2 or (widget.text_size[1] is None and th > widget.height + 2):
                overflow.append({"text": widget.text[:30], "texture": [tw, th], "box": [widget.width, widget.height]})
        if hasattr(widget, "trigger_action"):
            label = getattr(widget, "text", "") or getattr(widget, "title", "")
            targets.append((min(widget.width, widget.height), label[:20], type(widget).__name__))
    return {
        "min_text_px": min(texts)[0] if texts else None,
        "min_text": min(texts)[1] if texts else None,
        "min_target_px": min(targets)[0] if targets else None,
        "min_target": list(min(targets)[1:]) if targets else None,
        "targets": len(targets),
        "words": [text for _size, text in texts],  # (each label's first 20 characters)
        "overflow": overflow,
        "problems": problems(app.sm.current_screen, window_size)
        + cut_borders(app.sm.current_screen)
        + hidden_below(app.sm.current_screen)
        + jammed(app.sm.current_screen, min(window_size) / 1080)
        + faint(app.sm.current_screen)
        + widows(app.sm.current_screen)
        + small_keys(app.sm.current_screen),
    }


def main(folder: Path, size: str) -> None:
    width, height = (int(v) for v in size.split("x"))
    app, card = open_kiosk(folder / "work", (width, height))
    from kivy.clock import Clock

    results: dict = {}
    queue = list(KIOSK_SCREENS)

    def next_screen(_dt=None):
        if not queue:
            (folder / "audit.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
            app.stop()
            return
        screen = queue.pop(0)
        stage_kiosk(app, screen, card)

        def shoot():
            save_png(folder / f"{screen}.png")
            results[screen] = {"current": app.sm.current, **audit(app, (width, height))}
            Clock.schedule_once(next_screen, 0)

        when_settled(app, shoot)

    Clock.schedule_once(next_screen, 0.3)
    app.run()


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
