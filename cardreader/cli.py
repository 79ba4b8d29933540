"""`lingong card …`: decode a SAM frame, read one card from any reader, tap the simulated reader."""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

from .errors import CardReaderError
from .reader import CardInserted, ReaderState, ReaderStatus

HEX_TEXT = re.compile(rb"^[0-9A-Fa-f\s]+$")


def frame_bytes(data: bytes) -> bytes:
    """A frame file holds hex text (any whitespace) or the raw bytes."""
    if data and HEX_TEXT.match(data):
        digits = b"".join(data.split())
        if len(digits) % 2:
            raise CardReaderError("hex text has an odd number of digits")
        return bytes.fromhex(digits.decode())
    return data


def decode(args: argparse.Namespace) -> int:
    from .sam.session import decode_read_frame

    try:
        identity = decode_read_frame(frame_bytes(Path(args.file).read_bytes()))
    except OSError as exc:
        print(f"cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    except CardReaderError as exc:
        print(f"bad frame: {exc}", file=sys.stderr)
        return 2
    # The file already holds the card's data: decoding it shows nothing new.
    print(json.dumps(identity.to_json(reveal=True), ensure_ascii=False))
    return 0


def read(args: argparse.Namespace, home: Path) -> int:
    from .spec import open_reader

    try:
        reader = open_reader(args.reader, home=home)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    reader.start()
    deadline = time.monotonic() + args.timeout
    try:
        while (remaining := deadline - time.monotonic()) > 0:
            event = reader.next_event(remaining)
            if isinstance(event, CardInserted):
                print(json.dumps(event.identity.to_json(reveal=args.reveal), ensure_ascii=False))
                return 0
            if isinstance(event, ReaderStatus) and event.state is ReaderState.NO_READER:
                print(f"reader unavailable: {event.detail}", file=sys.stderr)
                return 2
            if isinstance(event, ReaderStatus) and event.state is ReaderState.ERROR:
                print(f"reading failed, still waiting: {event.detail}", file=sys.stderr)
        print(f"no card within {args.timeout:g} s", file=sys.stderr)
        return 3
    finally:
        reader.stop()


def tap(args: argparse.Namespace, home: Path) -> int:
    from .drivers.sim import send

    line = "remove" if args.card == "remove" else f"tap {args.number} {args.name or ''}".rstrip()
    try:
        answer = send(home, line)
    except OSError:
        print(f"no running kiosk with a simulated reader in {home}", file=sys.stderr)
        return 2
    print(answer)
    return 0 if answer.startswith("ok") else 2


def add_parser(sub) -> None:
    card = sub.add_parser("card", help="card readers: decode a frame, read a card, tap the simulated reader")
    c = card.add_subparsers(dest="card", required=True)
    d = c.add_parser("decode", help="decode one SAM read response frame (hex text or raw bytes)")
    d.add_argument("file")
    r = c.add_parser("read", help="wait for one card and print it (masked unless --reveal)")
    r.add_argument("--reader", required=True, help="sam:PORT, sam:socket://host:port, pcsc[:NAME], wedge, sim")
    r.add_argument("--timeout", type=float, default=30.0)
    r.add_argument("--reveal", action="store_true", help="print the raw number and name")
    t = c.add_parser("tap", help="lay a card on a running kiosk's simulated reader")
    t.add_argument("number", help="an 18-character ID number")
    t.add_argument("--name", default="")
    c.add_parser("remove", help="take the card off a running kiosk's simulated reader")


def main(args: argparse.Namespace, home: Path) -> int:
    if args.card == "decode":
        return decode(args)
    if args.card == "read":
        return read(args, home)
    return tap(args, home)
