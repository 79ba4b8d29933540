"""A video server setting becomes https://{host}/external_api.js: it must be a host name and nothing else."""

import pytest

from floor.hostnames import host


@pytest.mark.parametrize(
    "value, expected",
    [
        ("meet.jit.si", "meet.jit.si"),
        ("Meet.Example.CN.", "meet.example.cn"),
        ("视频.中国", "xn--cy2a840a.xn--fiqs8s"),
        ("meet.example.cn:8443", "meet.example.cn:8443"),
    ],
)
def test_host_names(value, expected):
    assert host(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "evil.example/x.js?",
        "evil.example#",
        "user@evil.example",
        "https://evil.example",
        'evil.example"><script>',
        "a b",
        "x..y",
        "-x.y",
        "[::1]",
        "evil.example:0",
        "evil.example:99999",
        "",
        "evil.example\\x",
        "evil.example%2f",
        "evil.example/",
    ],
)
def test_anything_else_is_refused(value):
    with pytest.raises(ValueError):
        host(value)
