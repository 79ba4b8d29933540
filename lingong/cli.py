"""The `lingong` command: one entry point, one subcommand per part (imports stay lazy per subcommand)."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from floor import __version__, logs, paths

from . import sides

log = logging.getLogger("lingong")


def _hub_settings():
    from pydantic import ValidationError

    from hub.server import private_files
    from hub.settings import Settings

    private_files()  # whatever these commands create (the database, keys) is the hub user's alone
    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        sys.exit(f"configuration error: LINGONG_{str(first['loc'][0]).upper()}: {first['msg']}")


def cmd_hub(args: argparse.Namespace) -> int:
    from hub.migrate import SchemaBehind
    from hub.server import serve

    try:
        serve(_hub_settings(), host=args.host, port=args.port, workers=args.workers, access_log=args.access_log)
    except SchemaBehind as exc:  # LINGONG_MIGRATE_ON_START=false and the DBA has not migrated yet
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from hub.backup.archive import backup
    from hub.backup.errors import BackupError

    settings = _hub_settings()
    try:
        report = backup(settings.home, settings.db_url, args.out, keep=args.keep)
    except BackupError as exc:
        print(f"backup failed: {exc.message}", file=sys.stderr)
        return 2
    print(json.dumps(report.__dict__, ensure_ascii=False))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from hub.backup.archive import restore
    from hub.backup.errors import BackupError
    from hub.server import private_files

    private_files()
    try:
        report = restore(args.archive, args.home, args.database_url)
    except BackupError as exc:
        print(f"restore refused: {exc.message}", file=sys.stderr)
        return 2
    print(json.dumps(report.__dict__, ensure_ascii=False))
    if report.left_out:
        print(f"not in the archive, set them again: {', '.join(report.left_out)}", file=sys.stderr)
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from hub import migrate
    from hub.db import Database

    settings = _hub_settings()
    db = Database(settings.db_url, pool_size=1)
    try:
        if args.sql:
            if db.dialect != "postgresql":
                print("error: --sql prints PostgreSQL statements; an SQLite hub migrates itself", file=sys.stderr)
                return 2
            try:
                sys.stdout.write(migrate.sql(db.engine) or "-- the database schema is current\n")
            except migrate.SchemaBehind as exc:
                print(f"error: {exc.message}", file=sys.stderr)
                return 2
            return 0
        before = migrate.revision(db.engine)
        migrate.upgrade(db.engine, settings.home)
        print(f"database schema {before or 'empty'} -> {migrate.revision(db.engine)}")
    finally:
        db.dispose()
    return 0


def cmd_seed(args: argparse.Namespace) -> int:
    from hub.admin import seed_hub

    report = seed_hub(_hub_settings(), args.postings, args.seed)
    print(json.dumps(report.__dict__, ensure_ascii=False))
    return 0


def cmd_admin(args: argparse.Namespace) -> int:
    from hub import admin
    from hub.errors import HubError

    settings = _hub_settings()
    try:
        if args.admin == "create-user":
            password = sys.stdin.readline().rstrip("\n")
            user_id = admin.create_user(settings, args.name, args.role, password, args.station or [])
            print(
                f"created staff user {args.name} (id {user_id}, {args.role})"
                + ("; they enrol an authenticator app at their first sign-in" if args.role == "admin" else "")
            )
        elif args.admin == "token":
            print(admin.api_token(settings, args.name, args.label))
        elif args.admin == "device":
            device_id, code = admin.add_device(settings, args.name, args.kind, args.station)
            print(
                json.dumps(
                    {
                        "device_id": device_id,
                        "enroll_code": code,
                        "hub_key_fingerprint": admin.key_fingerprint(settings),
                    }
                )
            )
        elif args.admin == "migrate":
            return cmd_migrate(argparse.Namespace(sql=False))
        elif args.admin == "users":
            for user in admin.users(settings):
                print(json.dumps(user, ensure_ascii=False))
        elif args.admin in USER_ACTIONS:
            password = sys.stdin.readline().rstrip("\n") if args.admin == "set-password" else None
            print(admin.user_action(settings, args.name, USER_ACTIONS[args.admin], password))
        elif args.admin == "retention":
            print(json.dumps(admin.run_retention(settings)))
        elif args.admin == "erase-worker":
            return _erase_worker(settings, args)
    except HubError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    return 0


USER_ACTIONS = {
    "disable-user": "disable",
    "enable-user": "enable",
    "set-password": "set-password",
    "reset-password": "reset-password",
    "reset-2fa": "reset-2fa",
    "revoke-tokens": "revoke-tokens",
}


def _erase_worker(settings, args: argparse.Namespace) -> int:
    """The ID number (or phone) is read from standard input, never the command line: a command
    line is seen by every user of the machine and kept in shell histories."""
    from floor import idnumber
    from hub import admin

    value = sys.stdin.readline().strip()
    if args.phone:
        if not (len(value) == 11 and value.isascii() and value.isdigit()):
            print("error: give an 11-digit mobile number on standard input", file=sys.stderr)
            return 2
        report = admin.erase(settings, id_number=None, phone=value)
    else:
        if not idnumber.is_valid(value):
            print(
                "error: give a resident ID number (18 characters, check digit right) on standard input", file=sys.stderr
            )
            return 2
        report = admin.erase(settings, id_number=value, phone=None)
    print(json.dumps({"erased": report}))
    return 0


def cmd_enroll(args: argparse.Namespace) -> int:
    from sync.enroll import enroll
    from sync.errors import SyncError

    try:
        e = enroll(
            args.hub, args.code, paths.home(), fingerprint=args.fingerprint, update_fingerprint=args.update_fingerprint
        )
    except SyncError as exc:
        print(f"enrollment failed: {exc}", file=sys.stderr)
        return 2
    print(f"enrolled as {e.kind} #{e.device_id} of station {e.station_id}; state in {paths.home()}")
    return 0


def cmd_agent(args: argparse.Namespace) -> int:
    """Runs a device's sync agent without a screen (and prints what the store holds)."""
    import signal
    import threading

    from sync.agent import SyncAgent
    from sync.errors import SyncError
    from sync.store import DeviceStore

    store = DeviceStore.in_home(paths.home())
    try:
        agent = SyncAgent(store, longpoll_s=args.longpoll, heartbeat_s=args.heartbeat)
    except SyncError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if args.once:
        agent.sync_once()
        agent.push_once()
        print(json.dumps({"cursor": store.cursor, "holds": store.counts(), "outbox": store.outbox.count()}))
        return 0
    from device.update.attach import attach

    done, restart = threading.Event(), threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    # An update switched versions: end with 3 so that the service starts the new one (device/update).
    updater = attach(agent, restart=lambda: (restart.set(), done.set()))
    agent.start()
    try:
        while not done.wait(30):
            log.info(
                "link %s; cursor %s; holds %s; outbox %d",
                "up" if agent.status.online else "down",
                store.cursor,
                store.counts(),
                store.outbox.count(),
            )
    except KeyboardInterrupt:
        pass
    updater.stop()
    agent.stop()
    return 3 if restart.is_set() else 0


def cmd_card(args: argparse.Namespace) -> int:
    from cardreader import cli

    return cli.main(args, paths.home())


def cmd_kiosk(args: argparse.Namespace) -> int:
    from kiosk.run import run

    return run(args)


def cmd_kiosk_walk(args: argparse.Namespace) -> int:
    from .demo import DEMO_CARD
    from .walk import walk

    return walk(paths.home(), args.steps, card=DEMO_CARD, phone=args.phone, send=not args.no_send)


def cmd_screenshot(args: argparse.Namespace) -> int:
    from . import screenshot

    size = screenshot.parse_size(args.size)
    if args.app == "kiosk":
        return screenshot.kiosk(args.screen, size, Path(args.out))
    return screenshot.display(args.layout, size, Path(args.out), emergency=args.emergency, fast=args.fast)


def cmd_demo(args: argparse.Namespace) -> int:
    from .demo import run_demo

    return run_demo(args)


def cmd_bench(args: argparse.Namespace) -> int:
    from .bench import run_bench

    return run_bench(args)


# The verbs whose options are defined by the modules behind them: building them imports those, a
# tenth of a second of every start of `lingong hub` (restarted by systemd after a crash) for nothing.
DEVICE_VERBS = {
    "card": "card readers: decode a frame, read a card, tap the simulated reader",
    "kiosk": "run this enrolled kiosk: cards, matches, applications",
    "display": "run this enrolled wall display: postings, pages, notices",
    "device": "set this machine up as a kiosk, wall or booth; check it (as root)",
}


def parser(verb: str | None = None) -> argparse.ArgumentParser:
    """The command line. Given the verb in use (sides.verb_of), the device verbs and the bench's
    own verbs are built only for themselves; without one (--help), or for a verb not known here (so
    that argparse lists every choice), all of it."""
    p = argparse.ArgumentParser(prog="lingong", description="Gig-market kiosks, wall displays and their hub.")
    p.add_argument("--version", action="version", version=f"lingong {__version__}")
    p.add_argument("--log-level", default=os.environ.get("LINGONG_LOG_LEVEL", "INFO"))
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("hub", help="serve the hub (FastAPI) on HOST:PORT")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8470)
    s.add_argument("--workers", type=int, default=1, help="hub processes sharing the port")
    s.add_argument("--access-log", action="store_true")
    s.set_defaults(func=cmd_hub)

    s = sub.add_parser("seed", help="fill the hub's database with demo data")
    s.add_argument("--postings", type=int, default=600)
    s.add_argument("--seed", type=int, default=7)
    s.set_defaults(func=cmd_seed)

    s = sub.add_parser("admin", help="staff users, API tokens, devices, migrations (on the hub machine)")
    a = s.add_subparsers(dest="admin", required=True)
    u = a.add_parser("create-user", help="create a staff user; the password is read from standard input")
    u.add_argument("name")
    u.add_argument("--role", choices=["admin", "station"], required=True)
    u.add_argument("--station", type=int, action="append", help="a station id (station staff); repeatable")
    t = a.add_parser("token", help="print a new API token for a staff user")
    t.add_argument("name")
    t.add_argument("--label", default="")
    d = a.add_parser("device", help="create a device and print its one-time enrollment code")
    d.add_argument("name")
    d.add_argument("--kind", choices=["kiosk", "display", "booth"], required=True)
    d.add_argument("--station", type=int, required=True)
    a.add_parser("migrate", help="bring the database schema up to date")
    a.add_parser("users", help="list staff users (one JSON line each)")
    for command, words in (
        ("disable-user", "disable a user: signed out everywhere, API tokens revoked"),
        ("enable-user", "enable (and unlock) a user"),
        ("set-password", "set a user's password, read from standard input"),
        ("reset-password", "give a user a temporary password to change at next sign-in"),
        ("reset-2fa", "make an administrator enrol a new authenticator app"),
        ("revoke-tokens", "revoke every API token of a user"),
    ):
        a.add_parser(command, help=words).add_argument("name")
    a.add_parser("retention", help="erase the personal data that has outlived its period, now")
    e = a.add_parser(
        "erase-worker",
        help="erase everything about one worker; their ID number (or with "
        "--phone, their phone) is read from standard input",
    )
    e.add_argument("--phone", action="store_true", help="find them by the phone they applied or registered with")
    s.set_defaults(func=cmd_admin)

    s = sub.add_parser("backup", help="write one archive that restores this hub (database, keys, settings)")
    s.add_argument("--out", required=True, help="the archive, or a folder for a dated one")
    s.add_argument("--keep", type=int, help="then keep only the newest N dated archives in that folder")
    s.set_defaults(func=cmd_backup)

    s = sub.add_parser("restore", help="bring a hub back from a backup archive into a new state folder")
    s.add_argument("archive", type=Path)
    s.add_argument("--home", type=Path, required=True, help="the new state folder (LINGONG_HOME of the restored hub)")
    s.add_argument("--database-url", help="an empty PostgreSQL database (default: SQLite in --home)")
    s.set_defaults(func=cmd_restore)

    s = sub.add_parser("migrate", help="bring the database schema up to date (see LINGONG_MIGRATE_ON_START)")
    s.add_argument("--sql", action="store_true", help="print the SQL instead of running it (PostgreSQL)")
    s.set_defaults(func=cmd_migrate)

    s = sub.add_parser("enroll", help="enroll this device with a hub using a one-time code")
    s.add_argument("--hub", required=True, help="the hub's address, e.g. https://hub.example.cn")
    s.add_argument("--code", required=True)
    s.add_argument(
        "--fingerprint",
        help="the hub key's fingerprint shown with the code (required over plain HTTP to another machine)",
    )
    s.add_argument(
        "--update-fingerprint",
        help="the update key's fingerprint shown with the code: over plain HTTP, updates stay off without it",
    )
    s.set_defaults(func=cmd_enroll)

    s = sub.add_parser("agent", help="run this device's sync agent without a screen")
    s.add_argument("--once", action="store_true", help="one pull and one push, then print the state")
    s.add_argument("--longpoll", type=float, default=25.0)
    s.add_argument("--heartbeat", type=float, default=60.0, help="seconds between heartbeats")
    s.set_defaults(func=cmd_agent)

    from . import release, update  # signed updates: the key, signing, publishing; the device's versions

    release.add_parser(sub)
    update.add_parser(sub)

    if not sides.installed("device"):  # a hub-only install: the device verbs are listed, saying what they need
        for name, words in DEVICE_VERBS.items():
            sides.stub(sub, name, words)
    elif verb is None or verb in DEVICE_VERBS:
        _device_parsers(sub)
    else:  # another verb: these are only listed (`lingong -h hub` still shows every verb)
        for name, words in DEVICE_VERBS.items():
            sub.add_parser(name, help=words)

    s = sub.add_parser("screenshot", help="render one screen of the kiosk or wall offscreen with demo data")
    s.add_argument("app", choices=["kiosk", "display"])
    s.add_argument(
        "--screen",
        default="attract",
        help="kiosk: attract, jobs, detail, apply, receipt, register, register_pay, register_when, register_phone, "
        "browse, info, slots, booked, report, shortage, take_card, receipt_offline, jobs_stale",
    )
    s.add_argument("--layout", default="table", help="display: table, cards, ticker, booth, market")
    s.add_argument("--size", default="1080x1920", help="WIDTHxHEIGHT in pixels")
    s.add_argument("--out", required=True, help="the PNG file to write")
    s.add_argument("--emergency", action="store_true", help="display: with an emergency message in force")
    s.add_argument("--fast", action="store_true", help="display: a posting just marked 即时快招 (its card)")
    s.set_defaults(func=cmd_screenshot)

    s = sub.add_parser("demo", help="hub + demo data + devices, all on this machine")
    s.add_argument("--port", type=int, default=8470)
    s.add_argument("--duration", type=float, default=0, help="stop after this many seconds (0: run until ^C)")
    s.add_argument("--home", type=Path, default=None, help="state folder (default: var/demo)")
    s.add_argument("--postings", type=int, default=600)
    s.add_argument("--fresh", action="store_true", help="start from empty state")
    s.set_defaults(func=cmd_demo)

    s = sub.add_parser("bench", help="measure speed and memory; prints JSON")
    b = s.add_subparsers(dest="bench", required=True)
    bs = b.add_parser("sync", help="hub + N simulated devices on loopback")
    bs.add_argument("--devices", type=int, default=50)
    bs.add_argument("--postings", type=int, default=3000)
    bs.add_argument("--hub-workers", type=int, default=1)
    bs.add_argument("--publishes", type=int, default=60, help="postings published, updated or closed")
    bs.add_argument(
        "--events", type=float, default=4, help="applications each kiosk device submits (on average, if a fraction)"
    )
    bs.add_argument(
        "--agents",
        type=int,
        default=20,
        help="of the devices, how many run the real sync agent (threads, requests); the rest "
        "are simulated devices sharing an asyncio loop (see lingong/bench/fleet.py)",
    )
    bs.add_argument("--rate", type=float, default=0.5, help="publishes per second")
    bs.add_argument(
        "--light",
        action="store_true",
        help="simulated devices hold what they receive in memory, not each in a database of its own "
        "(for thousands of devices on one machine; see lingong/bench/fleet.py LightDevice)",
    )
    bs.add_argument("--fleet-per-process", type=int, default=250, help="simulated devices per process")
    bs.add_argument("--database", default="sqlite", help="sqlite, or a postgresql+psycopg:// URL")
    bs.add_argument("--keep", action="store_true", help="keep the work folder")
    st = b.add_parser("storm", help="a power cut: the hub and N devices start at once, each taking a snapshot")
    st.add_argument("--devices", type=int, default=200)
    st.add_argument("--postings", type=int, default=3000)
    st.add_argument("--hub-workers", type=int, default=1)
    st.add_argument("--database", default="sqlite", help="sqlite, or a postgresql+psycopg:// URL")
    st.add_argument("--fleet-per-process", type=int, default=1000, help="simulated devices per process")
    st.add_argument("--keep", action="store_true", help="keep the work folder")
    st.add_argument("--json", action="store_true", help="(the result is always one JSON line)")
    bs.add_argument("--json", action="store_true", help="(the result is always one JSON line)")
    if sides.ready("bench") and verb in (None, "bench"):
        _bench_parsers(b)
    s.set_defaults(func=cmd_bench)
    if verb is not None and verb not in sub.choices:
        return parser()  # (a verb misspelt, or one verb_of misread: the whole parser says so)
    return p


def _device_parsers(sub) -> None:
    from cardreader.cli import add_parser as add_card_parser

    add_card_parser(sub)
    sub.choices["card"].set_defaults(func=cmd_card)

    from kiosk.run import add_parser as add_kiosk_parser

    add_kiosk_parser(sub)
    kiosk = sub.choices["kiosk"]
    kiosk.set_defaults(func=cmd_kiosk)
    # `lingong kiosk walk`: optional, so that a bare `lingong kiosk` still runs the kiosk.
    walk = kiosk.add_subparsers(dest="kiosk_command", metavar="walk").add_parser(
        "walk",
        help="drive this kiosk's flow step by step without a screen, printing each screen as text",
        description="Runs the kiosk's own flow over this enrolled kiosk's store (LINGONG_HOME) and prints "
        "every screen as text. Steps: card:NUMBER:NAME, lift, type:PHONE, or a kiosk action with its "
        "arguments (open_job:ID, start_apply, toggle_consent, confirm_apply, tile:ACTION:VALUE, book_slot:ID, "
        "back, end …). Without steps: the demo card, the first job, 我要报名, a phone, consent, 确认报名. "
        "What it queues is this kiosk's own event, sent to the hub at the end.",
    )
    walk.add_argument("steps", nargs="*", help="the buttons to press, in order")
    walk.add_argument("--phone", default="13912345678", help="the phone typed by the default walk")
    walk.add_argument("--no-send", action="store_true", help="leave queued events for the kiosk's own sync agent")
    walk.set_defaults(func=cmd_kiosk_walk)
    from display.run import add_parser as add_display_parser

    add_display_parser(sub)
    from device.setup.cli import add_parser as add_device_parser
    from device.setup.cli import run as run_device

    add_device_parser(sub)
    sub.choices["device"].set_defaults(func=run_device)


def _bench_parsers(b) -> None:
    from .bench import calling as bench_calling
    from .bench import display as bench_display
    from .bench import faults as bench_faults
    from .bench import kiosk as bench_kiosk
    from .bench import market as bench_market
    from .bench import match as bench_match
    from .bench import van as bench_van

    bench_match.add_parser(b)
    bench_faults.add_parser(b)
    bench_kiosk.add_parser(b)
    bench_display.add_parser(b)
    bench_market.add_parser(b)
    bench_van.add_parser(b)
    bench_calling.add_parser(b)


def _raise_open_file_limit() -> None:
    """A hub holds a connection per device (long polls): lift the soft limit to the hard one."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and (hard == resource.RLIM_INFINITY or soft < hard):
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard if hard != resource.RLIM_INFINITY else 65536, hard))


def main(argv: list[str] | None = None) -> int:
    verb = sides.verb_of(sys.argv[1:] if argv is None else argv)
    if verb in sides.NEEDS and not sides.ready(verb):  # one line and exit 2, never an ImportError's traceback
        print(sides.refusal(verb), file=sys.stderr)
        return 2
    args = parser(verb).parse_args(argv)
    logs.setup(args.log_level.upper())
    logs.stacks_on_signal()
    _raise_open_file_limit()
    return args.func(args) or 0


if __name__ == "__main__":
    sys.exit(main())
