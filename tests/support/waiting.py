"""Waiting for something to become true, with the time it took."""

from __future__ import annotations

import time
from collections.abc import Callable


def until(predicate: Callable[[], object], timeout: float = 10.0, every: float = 0.02) -> float:
    """Seconds until `predicate()` held; AssertionError after `timeout`."""
    start = time.monotonic()
    while True:
        if predicate():
            return time.monotonic() - start
        if time.monotonic() - start > timeout:
            raise AssertionError(f"not true within {timeout} s: {getattr(predicate, '__name__', predicate)}")
        time.sleep(every)


def first_value(produce: Callable[[], object], timeout: float = 10.0, every: float = 0.05, message: str = ""):
    """The first truthy value `produce()` returns; AssertionError (with `message`) after `timeout`."""
    start = time.monotonic()
    while True:
        value = produce()
        if value:
            return value
        if time.monotonic() - start > timeout:
            raise AssertionError(message or f"nothing within {timeout} s")
        time.sleep(every)
