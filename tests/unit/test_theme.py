"""The kiosk's colours: every text colour the screens use is paired with its backgrounds at 7:1."""

import re
from pathlib import Path

import pytest

from kiosk import theme as T

KV = "\n".join(p.read_text(encoding="utf-8") for p in sorted(Path(T.__file__).with_name("kv").glob("*.kv")))


@pytest.mark.parametrize("text, background", T.PAIRS)
def test_every_pair_reaches_seven_to_one(text, background):
    assert T.contrast(text, background) >= 7.0


def test_every_text_colour_in_the_screens_is_a_checked_pair():
    used = set(re.findall(r"\bcolor: [^\n]*?rgba\(T\.([A-Z_]+)\)", KV)) | set(
        re.findall(r"\bcolor: rgba\(T\.[A-Z_]+\) if [^\n]* else rgba\(T\.([A-Z_]+)\)", KV)
    )
    checked = {
        name for name in dir(T) if isinstance(getattr(T, name), str) and getattr(T, name) in {fg for fg, _bg in T.PAIRS}
    }
    assert used, "no text colours found in kiosk/kv/"
    assert used <= checked, f"text colours without a checked pair: {sorted(used - checked)}"


def test_contrast_is_wcag():
    assert T.contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert T.contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)


def test_every_wall_text_pair_reads_at_seven_to_one_in_both_palettes():
    """display/theme.py's promise: each text colour on each surface it is drawn on, dark and light."""
    from display import theme as W

    for palette in (W.DARK, W.LIGHT):
        weak = [(fg, bg, round(W.contrast(palette[fg], palette[bg]), 2)) for fg, bg in W.TEXT_ON]
        assert [w for w in weak if w[2] < 7.0] == []
    assert W.contrast(W.EMERGENCY["ink"], W.EMERGENCY["bg"]) >= 7.0


def test_every_text_colour_the_wall_draws_is_a_checked_pair():
    from display import theme as W

    wall = "\n".join(p.read_text(encoding="utf-8") for p in Path(W.__file__).with_name("kv").glob("*.kv"))
    drawn = set(re.findall(r"\bcolor: app\.c\['([a-z_]+)'\]", wall))
    assert drawn and drawn <= {fg for fg, _bg in W.TEXT_ON}
