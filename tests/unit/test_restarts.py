"""A device counts its restarts: a run that never said it ended (power cut, crash, watchdog), or one
that asked to be started again (the wall's self-check after a rebuild did not help)."""

from device import restarts
from display.selfcheck import BLACK, OK, SelfCheck


def test_an_unclean_end_and_an_asked_restart_are_counted_with_their_reason(tmp_path):
    assert restarts.started(tmp_path) == {"restarts": 0}
    restarts.stopping(tmp_path)  # a clean end: nothing to count
    assert restarts.started(tmp_path) == {"restarts": 0}
    # ... and this run never ends cleanly (the power goes): the next start knows.
    again = restarts.started(tmp_path)
    assert again["restarts"] == 1 and again["last_restart"].startswith(restarts.UNCLEAN)
    restarts.stopping(tmp_path, "屏幕自检：黑屏，重画后仍然不对")
    last = restarts.started(tmp_path)
    assert last["restarts"] == 2 and last["last_restart"].startswith("屏幕自检：黑屏")
    (tmp_path / restarts.FILE).write_text("{not json")  # a damaged file is a fresh count, not a crash
    restarts.stopping(tmp_path)
    assert restarts.started(tmp_path) == {"restarts": 0}


def test_the_self_check_counts_failures_in_a_row():
    black = bytes(4 * 64 * 64)
    check = SelfCheck()
    assert check.check(black, 64, 64, expected_change=False) == BLACK and check.streak == 1
    assert check.check(black, 64, 64, expected_change=False) == BLACK and check.streak == 2
    picture = bytes((i * 37) % 251 for i in range(4 * 64 * 64))
    assert check.check(picture, 64, 64, expected_change=False) == OK and check.streak == 0
