"""`lingong update guard|status|init`: the device's versions under its install prefix (device/update)."""

from __future__ import annotations

import argparse
import json
import sys

from floor import __version__


def add_parser(sub) -> None:
    s = sub.add_parser("update", help="this device's versions: guard a start, show the state, set up the prefix")
    u = s.add_subparsers(dest="update", required=True)
    prefix = argparse.ArgumentParser(add_help=False)
    prefix.add_argument("--prefix", help="the install prefix (default: $LINGONG_PREFIX, else /opt/lingong)")
    u.add_parser(
        "guard",
        parents=[prefix],
        help="before each start (run from the good version): end a failed trial of a new version, "
        "repair a switch cut short",
    )
    u.add_parser("status", parents=[prefix], help="the versions, the links and the update state, as JSON")
    u.add_parser(
        "init",
        parents=[prefix],
        help="make this environment the first version under the prefix (current and good)",
    )
    s.set_defaults(func=cmd_update)


def cmd_update(args: argparse.Namespace) -> int:
    from device.update.layout import Layout, prefix_of

    layout = Layout(prefix_of(args.prefix))
    if args.update == "guard":
        return _guard(layout)
    if args.update == "init":
        from device.update.errors import UpdateError
        from device.update.install import init

        try:
            print(init(layout, __version__))
        except UpdateError as exc:
            print(f"update init: {exc.message}", file=sys.stderr)
            return 2
        return 0
    from device.update.switch import is_version

    state = layout.load()
    names = sorted(p.name for p in layout.versions.iterdir()) if layout.versions.is_dir() else []
    body = {
        "prefix": str(layout.root),
        "current": layout.pointed(layout.current),
        "good": layout.pointed(layout.good),
        "versions": {v: layout.complete(v) for v in names if is_version(v)},
        # Folders not named as versions (lost+found …): not ours, shown, never removed.
        "other": [n for n in names if not is_version(n) and not n.startswith(".")],
        "trial": state.trial,
        "failed": state.failed,
        "report": state.report,
    }
    print(json.dumps(body, ensure_ascii=False))
    return 0


def _guard(layout) -> int:
    """Never in the way of a start: whatever goes wrong is said, and the exit is 0 (ExecStartPre)."""
    from device.update.guard import guard

    try:
        print(f"update guard: {guard(layout)}")
    except Exception as exc:
        print(f"update guard: could not look at {layout.root}: {type(exc).__name__}: {exc}", file=sys.stderr)
    return 0
