"""`lingong release keygen|sign|publish`: the update key (kept offline), signing a wheel, publishing it."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import sides


def add_parser(sub) -> None:
    s = sub.add_parser("release", help="signed updates: make the update key, sign a wheel, publish it on the hub")
    r = s.add_subparsers(dest="release", required=True)
    k = r.add_parser("keygen", help="make an update key: the private key to FILE (0600), the public key printed")
    k.add_argument("--out", required=True, type=Path, help="the private key file to write (kept off the hub)")
    g = r.add_parser("sign", help="sign a wheel of lingong: writes WHEEL.sig")
    g.add_argument("wheel", type=Path)
    g.add_argument("--key", required=True, type=Path, help="the private key file from keygen")
    g.add_argument("--out", type=Path, help="the signature file (default: WHEEL.sig)")
    p = r.add_parser(
        "publish", help=f"publish a signed wheel on this hub machine ({sides.refusal('hub').split(' needs ')[1]})"
    )
    p.add_argument("wheel", type=Path)
    p.add_argument("--sig", type=Path, help="its signature file (default: WHEEL.sig)")
    p.add_argument("--stations", type=int, nargs="*", default=[], help="roll it out to these stations' devices")
    p.add_argument("--percent", type=int, default=0, help="and to this share of all devices (0–100)")
    s.set_defaults(func=cmd_release)


def cmd_release(args: argparse.Namespace) -> int:
    from wire.errors import ReleaseError

    try:
        if args.release == "keygen":
            return _keygen(args.out)
        if args.release == "sign":
            return _sign(args.wheel, args.key, args.out)
        return _publish(args)
    except ReleaseError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {exc.strerror or exc}: {exc.filename or ''}", file=sys.stderr)
        return 2


def _keygen(out: Path) -> int:
    from wire import releases

    if out.exists():
        print(f"error: {out} exists; an update key is never overwritten", file=sys.stderr)
        return 2
    key = releases.new_private_key()
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(releases.private_key_pem(key))
        f.flush()
        os.fsync(f.fileno())
    public = releases.public_text(key)
    print(public)
    print(
        f"private key in {out} (keep it off the hub, and a copy somewhere safe); on the hub set "
        f"LINGONG_UPDATE_PUBLIC_KEY={public} (fingerprint {releases.key_fingerprint(public)})",
        file=sys.stderr,
    )
    return 0


def _sign(wheel: Path, key_file: Path, out: Path | None) -> int:
    from wire import releases

    key = releases.load_private_key(key_file.read_bytes())
    signed = releases.sign(wheel, key)
    target = out or wheel.with_name(wheel.name + ".sig")
    target.write_text(signed.document(), encoding="utf-8")
    print(json.dumps({"version": signed.version, "sha256": signed.sha256, "size": signed.size, "sig": str(target)}))
    return 0


def _publish(args: argparse.Namespace) -> int:
    if not sides.installed("hub"):
        print("lingong release publish needs lingong[hub]", file=sys.stderr)
        return 2
    from pydantic import ValidationError

    from hub.errors import HubError
    from hub.releases.admin import publish_release
    from hub.server import private_files
    from hub.settings import Settings

    if not 0 <= args.percent <= 100:
        print("error: --percent is a share of devices, 0 to 100", file=sys.stderr)
        return 2
    private_files()  # as every hub command: what it creates is the hub user's alone
    try:
        settings = Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        print(f"configuration error: LINGONG_{str(first['loc'][0]).upper()}: {first['msg']}", file=sys.stderr)
        return 2
    sig = args.sig or args.wheel.with_name(args.wheel.name + ".sig")
    try:
        text = sig.read_bytes()[:4000].decode("utf-8", "replace")  # a signature file is a few hundred bytes
        report = publish_release(settings, args.wheel, text, args.stations, args.percent)
    except HubError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    print(json.dumps(report, ensure_ascii=False))
    return 0
