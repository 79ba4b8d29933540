"""`lingong device setup|doctor`: the command lines of set-up, and what they print."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .errors import SetupError
from .kinds import KINDS, READERS


def add_parser(sub) -> None:
    s = sub.add_parser("device", help="set this machine up as a kiosk, wall or booth; check it (as root)")
    verbs = s.add_subparsers(dest="device_command", required=True)
    setup = verbs.add_parser(
        "setup",
        help="enroll, install what the kind needs, and start it at boot full screen (cage on tty1)",
        description="On a fresh Debian machine, as root. With --root DIR the same files are written under DIR "
        "and nothing on this machine changes.",
    )
    setup.add_argument("--hub", help="the hub's address, e.g. https://hub.example.gov.cn")
    setup.add_argument("--code", help="the one-time enrollment code from the staff console")
    setup.add_argument("--fingerprint", help="the hub key's fingerprint shown with the code (plain-HTTP hubs)")
    setup.add_argument(
        "--update-fingerprint", help="the update key's fingerprint shown with the code (plain HTTP: else no updates)"
    )
    setup.add_argument("--kind", choices=["auto", *KINDS], default="auto", help="default: what the hub made it")
    setup.add_argument("--reader", choices=list(READERS), default="sam", help="the card reader kind (default: sam)")
    setup.add_argument(
        "--usb", action="append", metavar="VENDOR:PRODUCT", help="a serial reader's USB id (lsusb), if unusual"
    )
    setup.add_argument("--root", type=Path, help="write under this folder instead of changing this machine")
    setup.add_argument("--no-packages", action="store_true", help="do not run apt-get (packages installed already)")
    setup.add_argument("--json", action="store_true", help="print what was done as JSON")
    doctor = verbs.add_parser("doctor", help="what is installed, enrolled, running and reachable: OK or what to do")
    doctor.add_argument("--root", type=Path, help="check a folder `device setup --root` wrote")
    doctor.add_argument("--offline", action="store_true", help="do not ask the hub")


def run(args: argparse.Namespace) -> int:
    if args.device_command == "doctor":
        from . import doctor

        checks = doctor.run(args.root, reach=not args.offline)
        for check in checks:
            print(check.line())
        return 0 if all(c.ok for c in checks) else 1
    from sync.errors import HubRejected, HubUnreachable, SyncError

    from .install import Options, setup
    from .kinds import usb_ids

    options = Options(
        hub=args.hub,
        code=args.code,
        fingerprint=args.fingerprint,
        update_fingerprint=args.update_fingerprint,
        kind=args.kind,
        reader=args.reader,
        usb=args.usb or [],
        root=args.root,
        install_packages=not args.no_packages,
    )
    try:
        usb_ids(options.usb)  # refused before anything is written
        report = setup(options)
    except HubUnreachable:
        print(
            f"set-up stopped: cannot reach the hub at {args.hub}: check the address and this machine's network",
            file=sys.stderr,
        )
        return 2
    except HubRejected as exc:
        print(
            f"set-up stopped: the hub refused the code ({exc.detail}): ask staff for a new one "
            "(console: 设备 → 接入新设备)",
            file=sys.stderr,
        )
        return 2
    except (SetupError, SyncError) as exc:
        print(f"set-up stopped: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report.__dict__, ensure_ascii=False, indent=1))
    else:
        print(f"set up as a {report.kind}" + (f": {report.enrolled}" if report.enrolled else " (not enrolled yet)"))
        if args.root:
            print(f"packages it needs (not installed under --root): {' '.join(report.packages)}")
        print("next: `lingong device doctor" + (f" --root {args.root}" if args.root else "") + "`")
    return 0
