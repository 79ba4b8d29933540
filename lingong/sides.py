"""Which sides of lingong are installed here (hub, device, bench), and the one line a verb says without its side."""

from __future__ import annotations

import importlib.util

# A side counts as installed when what its extra (pyproject.toml) brings can be imported: one
# import name per distribution only that extra installs. find_spec looks, it imports nothing.
SIDES = {
    "hub": ("fastapi", "uvicorn", "alembic", "psycopg", "pydantic_settings", "multipart"),
    "device": ("kivy", "requests", "serial", "smartcard", "PIL"),
    "bench": ("aiohttp",),
}

# The sides each verb runs on, every verb named (() would be the base install alone): tests/unit/test_sides.py.
NEEDS = {
    "hub": ("hub",),
    "seed": ("hub",),
    "admin": ("hub",),
    "migrate": ("hub",),
    "backup": ("hub",),
    "restore": ("hub",),
    "enroll": ("device",),
    "agent": ("device",),
    "card": ("device",),
    "kiosk": ("device",),
    "display": ("device",),
    "device": ("device",),
    "screenshot": ("device",),
    "demo": ("hub", "device"),
    "bench": ("hub", "device", "bench"),
    # keygen and sign need only the base install; `release publish` checks for the hub side itself
    "release": (),
    "update": (),  # the guard runs before every start: the standard library and floor/wire only
}

# Top-level options that take a value (their value is not the verb).
_VALUED = {"--log-level"}


def installed(side: str) -> bool:
    return all(importlib.util.find_spec(name) is not None for name in SIDES[side])


def ready(verb: str) -> bool:
    return all(installed(side) for side in NEEDS.get(verb, ()))


def verb_of(argv: list[str]) -> str | None:
    """The subcommand in a command line, found without building the parser (which imports the sides)."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in _VALUED:
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def refusal(verb: str) -> str:
    return f"lingong {verb} needs lingong[{','.join(NEEDS[verb])}]"


def stub(sub, verb: str, words: str) -> None:
    """A verb whose side is missing still shows in `lingong --help`, saying what it needs."""
    sub.add_parser(verb, help=f"{words} — {refusal(verb)}")
