"""Every bench's JSON says what machine it ran on and how fast its core is at the hub's kind of work."""

from lingong.bench import machine


def test_the_machine_is_described_with_a_calibration():
    described = machine.describe()
    assert described["cores"] >= 1 and described["cpu"] and described["python"].count(".") == 2
    assert 0 < described["calibration_ms"] < 10_000  # a real timing of the fixed work (best of five)
    assert machine._work() == machine._work()  # the same work each time: runs compare
