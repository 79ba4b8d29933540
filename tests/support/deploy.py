"""The operator's files in deploy/ read as the machines read them: unit files, the environment file."""

from __future__ import annotations

import configparser
import shlex
from pathlib import Path

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
UNITS = ("lingong-hub.service", "lingong-backup.service", "lingong-backup.timer")
SITE = DEPLOY / "nginx" / "lingong.conf"
ENV_FILE = DEPLOY / "lingong.env"


def unit(name: str) -> configparser.ConfigParser:
    """A unit file's sections (repeated keys such as SystemCallFilter= keep their last value)."""
    parser = configparser.ConfigParser(strict=False, interpolation=None, comment_prefixes=("#", ";"))
    parser.optionxform = str
    parser.read_string((DEPLOY / name).read_text())
    return parser


def exec_start(name: str = "lingong-hub.service") -> list[str]:
    """ExecStart= split as systemd splits it (a `%%` is a literal `%`)."""
    return shlex.split(unit(name)["Service"]["ExecStart"].replace("%%", "%"))


def env_file() -> tuple[dict[str, str], str]:
    """The settings the environment file sets (uncommented lines), and its whole text."""
    text = ENV_FILE.read_text()
    values = {}
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values, text
