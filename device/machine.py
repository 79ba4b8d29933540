"""What this machine itself has — its card readers and browsers — named in a file of its own,
`machine.toml` in the state folder, written by whoever set the device up (not by the hub):

    reader = "front"                      # the default, when the hub names none (else "sim")
    browser = "chromium"
    [readers]
    front = "sam:/dev/ttyUSB0"
    [browsers]
    chromium = ["/usr/bin/chromium", "--kiosk", "--no-first-run"]

The hub's settings may only choose among these names (and the built-in ones, which take no
argument): a port, a program or a URL never comes from the hub."""

from __future__ import annotations

import json
import logging
import re
import shutil
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)
FILE = "machine.toml"
NAME = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
BUILTIN_READERS = {"sim": "sim", "pcsc": "pcsc", "wedge": "wedge"}
CHROMIUM_FLAGS = (
    "--kiosk",
    "--no-first-run",
    "--noerrdialogs",
    "--autoplay-policy=no-user-gesture-required",
    "--lang=zh-CN",
)


def _builtin_browsers() -> dict[str, tuple[str, ...]]:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    return {"chromium": (found, *CHROMIUM_FLAGS)} if found else {}


class MachineFileError(ValueError):
    """The machine file is unreadable or names something it may not."""


@dataclass(frozen=True)
class Machine:
    readers: dict[str, str] = field(default_factory=lambda: dict(BUILTIN_READERS))
    browsers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    reader: str = "sim"
    browser: str = "chromium"

    @classmethod
    def load(cls, home: Path) -> Machine:
        """The machine file in `home` over the built-in names (only the built-ins without one)."""
        path = Path(home) / FILE
        data: dict = {}
        if path.exists():
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
                raise MachineFileError(f"{path}: {exc}") from None
        readers = {**BUILTIN_READERS, **_names(data.get("readers", {}), str, path)}
        browsers = {
            **_builtin_browsers(),
            **{k: tuple(v) for k, v in _names(data.get("browsers", {}), list, path).items()},
        }
        for name, argv in browsers.items():
            if not argv or not all(isinstance(a, str) and a for a in argv) or not Path(argv[0]).is_absolute():
                raise MachineFileError(f"{path}: browser {name!r} must be a list starting with a program's full path")
        return cls(readers, browsers, str(data.get("reader", "sim")), str(data.get("browser", "chromium")))

    def reader_spec(self, chosen: str | None) -> tuple[str, str]:
        """(name, reader spec) for the hub's choice, or this machine's default when the hub chose
        nothing or a name this machine does not define."""
        return self._pick(self.readers, chosen, self.reader, "reader") or ("sim", "sim")

    def browser_argv(self, chosen: str | None) -> tuple[str, ...] | None:
        """The browser's command line (the page's address goes last), or None when there is none."""
        picked = self._pick(self.browsers, chosen, self.browser, "browser")
        return picked[1] if picked else None

    @staticmethod
    def _pick(table: dict, chosen: str | None, default: str, what: str):
        if chosen and chosen in table:
            return chosen, table[chosen]
        if chosen:
            log.warning("the hub chose %s %r, which this machine does not define; using %r", what, chosen[:32], default)
        return (default, table[default]) if default in table else None

    def names(self) -> dict[str, list[str]]:
        """What the heartbeat tells the hub this machine offers."""
        return {"readers": sorted(self.readers), "browsers": sorted(self.browsers)}


def _names(table: object, kind: type, path: Path) -> dict:
    if not isinstance(table, dict):
        raise MachineFileError(f"{path}: expected a table of names")
    for name, value in table.items():
        if not NAME.match(name) or not isinstance(value, kind):
            raise MachineFileError(f"{path}: {name!r} is not a valid entry")
    return table


def write(
    home: Path,
    *,
    readers: dict[str, str] | None = None,
    browsers: dict[str, list[str]] | None = None,
    reader: str | None = None,
    browser: str | None = None,
) -> Path:
    """Writes a machine file (for set-up tools, the demo and tests). TOML strings are written as JSON
    strings, which TOML reads the same way."""
    lines = ["# What this machine has; the hub may only choose among these names."]
    if reader:
        lines.append(f"reader = {json.dumps(reader, ensure_ascii=False)}")
    if browser:
        lines.append(f"browser = {json.dumps(browser, ensure_ascii=False)}")
    for title, table in (("readers", readers or {}), ("browsers", browsers or {})):
        lines.append(f"[{title}]")
        lines += [f"{name} = {json.dumps(value, ensure_ascii=False)}" for name, value in table.items()]
    path = Path(home) / FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    Machine.load(home)  # what was written must read back
    return path
