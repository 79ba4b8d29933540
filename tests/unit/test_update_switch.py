"""The device's versions under its prefix: links swapped whole, a trial confirmed or rolled back, and the
guard finishing or undoing every step a power cut can interrupt."""

from __future__ import annotations

import os

import pytest

from device.update.guard import guard
from device.update.layout import COMPLETE, Layout
from device.update.switch import MAX_FAILED, MAX_STARTS, begin_trial, confirm, remember_failure, roll_back, tidy
from wire.errors import ReleaseError


def version(layout: Layout, v: str, complete: bool = True) -> None:
    path = layout.version_dir(v)
    path.mkdir(parents=True)
    if complete:
        (path / COMPLETE).write_text(v)


@pytest.fixture
def layout(tmp_path) -> Layout:
    layout = Layout(tmp_path)
    version(layout, "1.0.0")
    version(layout, "1.1.0")
    layout.point(layout.good, "1.0.0")
    layout.point(layout.current, "1.0.0")
    return layout


def links(layout: Layout) -> tuple[str | None, str | None]:
    return layout.pointed(layout.current), layout.pointed(layout.good)


def test_links_are_relative_and_names_are_versions_only(layout, tmp_path):
    assert os.readlink(layout.current) == "versions/1.0.0"
    for bad in ("../etc", "1.0", "01.0.0", "1.0.0/../x", "1.0.0-rc1", ""):
        with pytest.raises(ReleaseError):
            layout.version_dir(bad)
    os.symlink("/etc", tmp_path / "odd")
    assert layout.pointed(tmp_path / "odd") is None


def test_a_trial_confirmed_makes_the_version_good(layout):
    state = layout.load()
    begin_trial(layout, state, "1.1.0", "k")
    assert links(layout) == ("1.1.0", "1.0.0")
    assert guard(layout) == "trial of 1.1.0: start 1 of 3"
    assert confirm(layout, "1.1.0")
    assert links(layout) == ("1.1.0", "1.1.0")
    assert layout.load().trial is None and layout.load().report["update"] == "updated"
    assert not confirm(layout, "1.1.0")  # nothing on trial any more
    assert guard(layout) == "running 1.1.0"


def test_too_many_starts_roll_back_and_remember(layout):
    begin_trial(layout, layout.load(), "1.1.0", "k-1.1.0")
    for n in range(1, MAX_STARTS + 1):
        assert guard(layout) == f"trial of 1.1.0: start {n} of {MAX_STARTS}"
    assert "rolled back to 1.0.0" in guard(layout)
    assert links(layout) == ("1.0.0", "1.0.0")
    state = layout.load()
    assert state.trial is None and state.failed["k-1.1.0"]["reason"] == "health"
    assert state.report["update"] == "rolled_back"


def test_a_missed_deadline_rolls_back(layout):
    begin_trial(layout, layout.load(), "1.1.0", "k", limit_s=60)
    assert guard(layout, now=layout.load().trial["deadline"] - 1).startswith("trial of 1.1.0")
    assert "missed its deadline" in guard(layout, now=layout.load().trial["deadline"] + 1)
    assert links(layout) == ("1.0.0", "1.0.0")


def test_cut_between_trial_record_and_switch(layout):
    state = layout.load()
    state.trial = {"version": "1.1.0", "previous": "1.0.0", "key": "k", "deadline": 9e9, "starts": 0}
    layout.save(state)  # recorded, then the power went before `current` moved
    assert guard(layout) == "trial of 1.1.0 never started: running 1.0.0"
    assert links(layout) == ("1.0.0", "1.0.0") and layout.load().trial is None


def test_cut_between_good_link_and_closing_the_trial(layout):
    begin_trial(layout, layout.load(), "1.1.0", "k")
    layout.point(layout.good, "1.1.0")  # confirm's first half, then the power went
    assert guard(layout) == "1.1.0 was confirmed: running it"
    assert links(layout) == ("1.1.0", "1.1.0") and layout.load().trial is None


def test_cut_in_a_roll_back_after_the_record(layout):
    state = layout.load()
    begin_trial(layout, state, "1.1.0", "k")
    state.trial = None
    layout.save(state)  # roll_back's record, then the power went before `current` moved back
    assert "no trial under way: back to 1.0.0" in guard(layout)
    assert links(layout) == ("1.0.0", "1.0.0")


def test_current_at_a_half_made_version_goes_back_to_good(layout):
    version(layout, "2.0.0", complete=False)
    layout.point(layout.current, "2.0.0")
    assert "back to 1.0.0" in guard(layout)
    assert links(layout) == ("1.0.0", "1.0.0")


def test_a_damaged_state_file_never_stops_a_start(layout):
    layout.state_file.write_text("{not json")
    assert guard(layout) == "running 1.0.0"
    layout.state_file.write_text("[]")
    assert guard(layout) == "running 1.0.0"


def test_no_prefix_is_nothing_to_guard(tmp_path):
    assert guard(Layout(tmp_path / "none")) == "no versions here: nothing to guard"


def test_roll_back_keeps_good_and_tidy_keeps_what_links_name(layout):
    begin_trial(layout, layout.load(), "1.1.0", "k")
    roll_back(layout, layout.load(), "health", "不行")
    version(layout, "0.9.0")
    layout.downloads.mkdir()
    (layout.downloads / "lingong-1.1.0-py3-none-any.whl.part").write_bytes(b"x")
    tidy(layout, keep={"1.1.0"})
    assert sorted(p.name for p in layout.versions.iterdir()) == ["1.0.0", "1.1.0"]
    assert not list(layout.downloads.iterdir())


@pytest.mark.parametrize(
    "damage",
    [{"starts": "x"}, {"starts": []}, {"starts": True}, {"starts": -1}, {"deadline": "soon"}, {"deadline": None}],
)
def test_an_unreadable_trial_is_an_expired_one(layout, damage):
    """Hostile review, item 5: a trial whose starts or deadline is not a number we wrote made the guard
    raise at every start and never roll back. It is now treated as expired: back to good."""
    begin_trial(layout, layout.load(), "1.1.0", "k")
    state = layout.load()
    state.trial.update(damage)
    layout.save(state)
    assert "unreadable: rolled back to 1.0.0" in guard(layout, now=0)
    assert links(layout) == ("1.0.0", "1.0.0") and layout.load().trial is None


@pytest.mark.parametrize("raw", ['"starts": 1e999, "deadline": 0', '"starts": 0, "deadline": NaN'])
def test_numbers_json_cannot_hold_are_unreadable_too(layout, raw):
    begin_trial(layout, layout.load(), "1.1.0", "k")
    layout.state_file.write_text('{"trial": {"version": "1.1.0", "key": ["not", "a", "key"], ' + raw + "}}")
    assert "rolled back to 1.0.0" in guard(layout, now=0)
    assert links(layout) == ("1.0.0", "1.0.0") and layout.load().failed == {}


def test_tidy_leaves_folders_that_are_not_versions(layout, tmp_path):
    """Hostile review, item 6: lost+found (or anything else not named as a version) is not ours."""
    (layout.versions / "lost+found").mkdir()
    (layout.versions / "lost+found" / "f").write_text("x")
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "f").write_text("x")
    os.symlink(victim, layout.versions / "0.0.1")
    version(layout, "0.9.0")
    tidy(layout, keep=set())
    assert sorted(p.name for p in layout.versions.iterdir()) == ["0.0.1", "1.0.0", "lost+found"]
    assert (victim / "f").exists() and (layout.versions / "lost+found" / "f").exists()


def test_failures_remembered_are_capped_newest_kept(layout):
    """Hostile review, item 4: the failures a device remembers never grow past MAX_FAILED."""
    state = layout.load()
    for n in range(MAX_FAILED + 15):
        remember_failure(layout, state, f"k{n}", "1.1.0", "health", "不行")
        state.failed[f"k{n}"]["at"] = n  # one a second, as if over time
    assert set(state.failed) == {f"k{n}" for n in range(15, MAX_FAILED + 15)}
    remember_failure(layout, state, "last", "1.1.0", "health", "不行")
    kept = layout.load().failed
    assert len(kept) == MAX_FAILED and "last" in kept and "k15" not in kept and "k16" in kept
