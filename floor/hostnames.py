"""Host names as host names: what a setting may name when it becomes an https:// origin on a page."""

from __future__ import annotations

import re

import idna

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_PORT = re.compile(r"^[1-9]\d{0,4}$")


def host(value: str) -> str:
    """`value` as a lower-case ASCII host name (IDNA for Chinese names), with an optional `:port`.
    ValueError for anything else: a scheme, a path, a user, a query, spaces, quotes, an IP literal
    with brackets — whatever could turn `https://{host}/external_api.js` into another URL."""
    text = value.strip().rstrip(".")
    if "/" in text or "@" in text:
        raise ValueError("只写域名，不要 https://、路径或用户名，例如 meet.example.cn")
    name, colon, port = text.rpartition(":") if ":" in text else (text, "", "")
    if colon and not (_PORT.match(port) and int(port) <= 65535):
        raise ValueError("端口必须是 1–65535 的数字")
    try:
        ascii_name = idna.encode(name, uts46=True).decode("ascii") if name else ""
    except idna.IDNAError:
        raise ValueError("不是有效的域名，例如 meet.example.cn") from None
    labels = ascii_name.split(".")
    if not ascii_name or len(ascii_name) > 253 or not all(_LABEL.match(label) for label in labels):
        raise ValueError("不是有效的域名，例如 meet.example.cn")
    return f"{ascii_name}:{port}" if colon else ascii_name


def https_origin(value: str) -> str:
    return f"https://{host(value)}"
