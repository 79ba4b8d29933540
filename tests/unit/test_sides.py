"""The `lingong` command finds a verb's side before building its parser (test_packaging.py runs the refusals)."""

import tomllib

from lingong import cli, sides
from tests.support.hub import ROOT


def test_the_verb_is_found_past_the_top_level_options():
    assert sides.verb_of(["kiosk"]) == "kiosk"
    assert sides.verb_of(["--log-level", "DEBUG", "display", "--windowed"]) == "display"
    assert sides.verb_of(["--log-level=DEBUG", "kiosk", "walk"]) == "kiosk"
    assert sides.verb_of(["--version"]) is None
    assert sides.refusal("kiosk") == "lingong kiosk needs lingong[device]"
    assert sides.refusal("bench") == "lingong bench needs lingong[hub,device,bench]"


def test_every_verb_and_every_side_is_known():
    verbs = set(cli.parser()._subparsers._group_actions[0].choices)
    assert verbs <= set(sides.NEEDS), verbs - set(sides.NEEDS)  # a new verb must say which side it runs on
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    assert set(sides.SIDES) <= set(extras)
    assert all(sides.ready(verb) for verb in sides.NEEDS)  # the test install has every side


def test_a_verbs_parser_lists_every_verb_and_reads_its_own_options():
    """The parser built for one verb (the device verbs' and the bench's own options only for
    themselves) still lists every verb and reads its verb's options."""
    whole = set(cli.parser()._subparsers._group_actions[0].choices)
    for verb in ("hub", "kiosk", "bench", "card", "kiosx"):  # (argparse's refusal of kiosx lists them all)
        assert set(cli.parser(verb)._subparsers._group_actions[0].choices) == whole, verb
    assert cli.parser("hub").parse_args(["--log-level", "DEBUG", "hub", "--workers", "2"]).workers == 2
    assert cli.parser("kiosk").parse_args(["kiosk", "walk", "lift"]).steps == ["lift"]
    assert cli.parser("bench").parse_args(["bench", "faults", "--devices", "8"]).devices == 8
