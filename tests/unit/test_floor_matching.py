"""The shared scoring (floor.matching): the same floats on scalars and arrays, and its reasons."""

from __future__ import annotations

import numpy as np

from floor import matching as m


def test_a_scalar_and_its_place_in_an_array_score_the_same():
    trade = m.trade_part(np.array([True, False, False]), np.array([False, True, False]))
    assert trade.tolist() == [1.0, 0.5, 0.0]
    pay = m.pay_part(np.array([10000.0, 30000.0]), 20000.0)
    assert pay.tolist() == [0.5, 1.0]
    args = (1.0, m.near_part(3.0), 0.5, 1.0, m.soon_part(2), True, m.recent_part(0.0))
    alone = m.score(*args)
    together = m.score(
        np.array([1.0, 0.0]),
        np.array([m.near_part(3.0), 1.0]),
        np.array([0.5, 0.0]),
        np.array([1.0, 0.0]),
        np.array([m.soon_part(2), 0.2]),
        np.array([True, False]),
        np.array([m.recent_part(0.0), 0.0]),
    )
    assert together[0] == alone
    assert (
        alone
        == sum(m.WEIGHTS.values()) - m.WEIGHTS["distance"] * 0.5 - m.WEIGHTS["pay"] * 0.5 - m.WEIGHTS["start"] * 0.4
    )


def test_reasons_come_in_the_kiosks_order_and_only_when_true():
    why = m.reasons(
        applied=False, trade=0.5, distance=2.14, daily=True, starts_in=1, urgent=False, pay_ok=True, up_for_s=60
    )
    assert [r.code for r in why] == ["category", "distance", "daily", "starts", "pay", "new"]
    assert why[1].value == 2.1
    none = m.reasons(
        applied=True, trade=0.0, distance=None, daily=False, starts_in=9, urgent=False, pay_ok=False, up_for_s=9e9
    )
    assert [r.code for r in none] == ["applied"]


def test_settlement_codes():
    assert m.settle_code("weekly") == 1 and m.settle_code(None) == -1
    assert m.preferred_settle(None) == 0 and m.preferred_settle("monthly") == 2
