"""The wire format shared by hub and devices."""

import gzip
import json

import pytest

from wire import protocol


def test_snapshot_round_trip_is_columnar():
    docs = [
        ("trade", {"id": 1, "name": "钢筋工"}),
        ("posting", {"id": 5, "title": "a", "pay_min": 100}),
        ("posting", {"id": 6, "title": "b", "pay_min": 200, "extra": True}),
    ]
    raw = protocol.encode_snapshot(42, docs)
    body = json.loads(raw)
    assert body["kinds"]["posting"]["cols"] == ["id", "title", "pay_min", "extra"]
    cursor, out = protocol.decode_snapshot(body)
    assert cursor == 42
    assert list(out) == [
        ("trade", {"id": 1, "name": "钢筋工"}),
        ("posting", {"id": 5, "title": "a", "pay_min": 100, "extra": None}),
        ("posting", {"id": 6, "title": "b", "pay_min": 200, "extra": True}),
    ]
    with pytest.raises(ValueError):
        protocol.decode_snapshot({"kinds": {}})


def test_columnar_snapshot_is_smaller_than_documents():
    docs = [
        ("posting", {"id": i, "title": "钢筋工", "unit": "day", "settle": "daily", "pay_min": 30000 + i})
        for i in range(500)
    ]
    columnar = len(gzip.compress(protocol.encode_snapshot(1, docs)))
    plain = len(gzip.compress(json.dumps([d for _, d in docs]).encode()))
    assert columnar < plain


def test_etags():
    assert protocol.parse_etag(protocol.etag(17)) == 17
    assert protocol.parse_etag('W/"9"') == 9
    assert protocol.parse_etag("junk") is None and protocol.parse_etag(None) is None


def test_digest_ignores_expired_and_private_documents():
    base = [("posting", 1, '{"id":1,"to":2000}'), ("trade", 3, '{"id":3}')]
    d = protocol.digest(base, now=1000)
    assert protocol.digest(list(reversed(base)), now=1000) == d
    assert protocol.digest(base + [("device", 9, '{"id":9}')], now=1000) == d
    assert protocol.digest(base + [("posting", 2, '{"id":2,"to":999}')], now=1000) == d
    assert protocol.digest(base, now=2000) != d


def test_application_code():
    assert protocol.application_code(12, 7) == "12-0007"
