"""One archive that restores a hub: database, key pair, ID-hash secret, settings, a manifest with checksums."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import platform
import re
import sqlite3
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import make_url

from floor import __version__
from hub import migrate
from hub.db import Database
from hub.feed import service as feed
from hub.keys import KEY_FILE, SECRET_FILE

from . import postgres, sqlite
from .errors import BackupError, DamagedArchive, RestoreRefused

FORMAT = "lingong-backup/1"
TOP = "lingong-backup"  # the one folder inside the archive
MANIFEST = "manifest.json"
SETTINGS = "settings.env"
MEMBERS = frozenset({"hub.db", "hub.pgdump", KEY_FILE, SECRET_FILE, SETTINGS})  # all an archive may hold
NAME = re.compile(r"^lingong-backup-\d{8}T\d{6}Z\.tar\.gz$")  # what --keep counts and prunes, nothing else
# Settings an archive never holds: secrets the state folder does not hold either (an archive is
# copied to more places than the hub machine), and what belongs to the machine, not the hub.
SECRET_WORDS = ("SECRET", "PASSWORD", "TOKEN", "KEY", "PASS")
MACHINE = ("LINGONG_HOME", "LINGONG_DATABASE_URL")


@dataclass
class Report:
    archive: str
    database: str
    schema_revision: str | None
    feed_head: int
    files: dict[str, int] = field(default_factory=dict)
    left_out: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    restored_at_seq: int | None = None


def archive_settings(environ: dict[str, str]) -> tuple[str, list[str]]:
    """The LINGONG_* environment as an environment file, and the names left out of it."""
    lines, left_out = [], []
    for key in sorted(k for k in environ if k.startswith("LINGONG_")):
        value = environ[key]
        if key in MACHINE or key.startswith("LINGONG_TEST_"):
            continue
        if any(word in key[len("LINGONG_") :].upper() for word in SECRET_WORDS) or "\n" in value:
            left_out.append(key)
            continue
        lines.append(f'{key}="{value.replace(chr(92), chr(92) * 2).replace(chr(34), chr(92) + chr(34))}"')
    return "".join(line + "\n" for line in lines), left_out


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _state(url: str) -> tuple[str | None, int]:
    """Schema revision and feed head of a database."""
    from alembic.runtime.migration import MigrationContext

    db = Database(url, pool_size=1)
    try:
        with db.read() as session:
            revision = MigrationContext.configure(session.connection()).get_current_revision()
            return revision, feed.head(session)
    finally:
        db.dispose()


def archive_path(out: Path | str, now: float) -> Path:
    """A folder (existing, or named with a trailing /) gets a dated archive inside it."""
    if Path(out).is_dir() or str(out).endswith("/"):
        stamp = dt.datetime.fromtimestamp(now, dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        return Path(out) / f"lingong-backup-{stamp}.tar.gz"
    return Path(out)


def backup(home: Path, db_url: str, out: Path | str, *, keep: int | None = None, environ=None, now=None) -> Report:
    """Writes the archive beside its final name, then renames it: a reader never sees half of one."""
    now = time.time() if now is None else now
    if keep is not None and keep < 1:
        raise BackupError("--keep must be at least 1 (the archive just written)")
    target = archive_path(out, now)
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    for name in (KEY_FILE, SECRET_FILE):
        if not (home / name).is_file():
            raise BackupError(f"{home / name} is missing: is {home} the hub's state folder?")
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".lingong-backup-") as work:
        staged = Path(work)
        url = make_url(db_url)
        if url.get_backend_name() == "sqlite":
            dbfile = "hub.db"
            sqlite.dump(Path(url.database), staged / dbfile)
            revision, head = _state(f"sqlite:///{staged / dbfile}")
            database = {"dialect": "sqlite", "file": dbfile}
        else:
            revision, head = _state(db_url)  # read as the dump begins: the dump holds at least this
            dbfile = "hub.pgdump"
            versions = postgres.dump(db_url, staged / dbfile)
            database = {"dialect": "postgresql", "file": dbfile, "url": url.render_as_string(hide_password=True)}
            database.update(versions)
        text, left_out = archive_settings(dict(os.environ if environ is None else environ))
        (staged / SETTINGS).write_text(text)
        files = [dbfile, KEY_FILE, SECRET_FILE, SETTINGS]
        sources = {dbfile: staged / dbfile, SETTINGS: staged / SETTINGS, KEY_FILE: home / KEY_FILE}
        sources[SECRET_FILE] = home / SECRET_FILE
        manifest = {
            "format": FORMAT,
            "created_at": dt.datetime.fromtimestamp(now, dt.UTC).isoformat(),
            "lingong_version": __version__,
            "python_version": platform.python_version(),
            "sqlite_version": sqlite3.sqlite_version,
            "schema_revision": revision,
            "feed_head": head,
            "database": database,
            "settings_left_out": left_out,
            "files": {n: {"sha256": _sha256(sources[n]), "bytes": sources[n].stat().st_size} for n in files},
        }
        partial = staged / "archive.tar.gz"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6, format=tarfile.PAX_FORMAT) as tar:
                body = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                info = tarfile.TarInfo(f"{TOP}/{MANIFEST}")
                info.size, info.mtime, info.mode = len(body), int(now), 0o600
                tar.addfile(info, io.BytesIO(body))
                for name in files:
                    info = tar.gettarinfo(str(sources[name]), arcname=f"{TOP}/{name}")
                    info.mode, info.uid, info.gid, info.uname, info.gname = 0o600, 0, 0, "", ""
                    with open(sources[name], "rb") as f:
                        tar.addfile(info, f)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, target)
    folder = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(folder)  # the new name survives a power cut, not only the data under it
    finally:
        os.close(folder)
    report = Report(str(target), database["dialect"], revision, head, {n: manifest["files"][n]["bytes"] for n in files})
    report.left_out = left_out
    if keep:
        report.pruned = prune(target.parent, keep)
    return report


def prune(folder: Path, keep: int) -> list[str]:
    """Deletes all but the newest `keep` dated archives in `folder` (only files named as `backup` names them)."""
    dated = sorted(p for p in folder.iterdir() if p.is_file() and NAME.match(p.name))
    gone = dated[: max(0, len(dated) - keep)]
    for path in gone:
        path.unlink()
    return [p.name for p in gone]


def verify(path: Path, into: Path) -> dict:
    """Reads the whole archive, checking every file against the manifest, into `into`. Raises
    DamagedArchive for anything cut short, altered, missing or added."""
    try:
        tar = tarfile.open(path, mode="r:gz")
    except FileNotFoundError:
        raise DamagedArchive(f"no archive at {path}") from None
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise DamagedArchive(f"{path} is not a lingong backup archive ({exc})") from None
    manifest, seen = None, set()
    try:
        with tar:
            for member in tar:
                name = member.name.removeprefix(f"{TOP}/")
                if not member.isfile() or "/" in name:
                    raise DamagedArchive(f"unexpected entry {member.name!r}: not a lingong backup archive")
                data = tar.extractfile(member)
                if name == MANIFEST:
                    try:
                        manifest = json.loads(data.read())
                    except ValueError:
                        raise DamagedArchive("the manifest is damaged (not JSON)") from None
                    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                        raise DamagedArchive(f"not a {FORMAT} archive (its manifest says otherwise)")
                    if not set(manifest.get("files", {})) <= MEMBERS:
                        raise DamagedArchive("the manifest lists files a lingong backup never holds")
                    continue
                expected = (manifest or {}).get("files", {}).get(name)
                if expected is None or name not in MEMBERS:  # the name is a path under `into`: only ours
                    raise DamagedArchive(f"{name} is not listed in the manifest")
                h, size = hashlib.sha256(), 0
                with open(into / name, "wb") as out:
                    while chunk := data.read(1 << 20):
                        h.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                if size != expected["bytes"] or h.hexdigest() != expected["sha256"]:
                    raise DamagedArchive(f"{name} does not match its checksum: the archive is damaged")
                seen.add(name)
    except (tarfile.TarError, EOFError) as exc:
        raise DamagedArchive(f"the archive is cut short or damaged ({exc}); nothing was restored") from None
    if manifest is None:
        raise DamagedArchive("the archive has no manifest")
    missing = sorted(set(manifest["files"]) - seen)
    if missing:
        raise DamagedArchive(f"the archive is partial: {', '.join(missing)} missing; nothing was restored")
    return manifest


def restore(path: Path, home: Path, database_url: str | None = None, *, now: float | None = None) -> Report:
    """Verifies everything first; then the database, the schema brought to this version's head,
    the feed continued past every cursor devices may hold, and last the keys and settings."""
    home = home.expanduser().resolve()
    home.mkdir(parents=True, exist_ok=True, mode=0o700)
    present = [n for n in (KEY_FILE, SECRET_FILE, "hub.db", SETTINGS) if (home / n).exists()]
    if present:
        raise RestoreRefused(f"{home} holds a hub already ({', '.join(present)}): restore into a new state folder")
    with tempfile.TemporaryDirectory(dir=home, prefix=".restoring-") as work:
        staged = Path(work)
        manifest = verify(path, staged)
        database = manifest["database"]
        if manifest.get("schema_revision") not in (None, *migrate.revisions()):
            raise RestoreRefused(
                f"this archive is from a newer lingong ({manifest.get('lingong_version')}, schema "
                f"{manifest['schema_revision']}; this one knows up to {migrate.head()}): restore it with that version"
            )
        url = database_url or f"sqlite:///{home / 'hub.db'}"
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://") :]
        dialect = make_url(url).get_backend_name()
        if dialect != database["dialect"]:
            hint = (
                " (give --database-url of an empty PostgreSQL database)" if database["dialect"] == "postgresql" else ""
            )
            raise RestoreRefused(f"this archive holds a {database['dialect']} database, not {dialect}{hint}")
        if dialect == "sqlite":
            sqlite.load(staged / database["file"], Path(make_url(url).database))
        else:
            postgres.load(staged / database["file"], url)
        db = Database(url, pool_size=1)
        try:
            migrate.upgrade(db.engine, home)  # an archive of an older version: its schema moves on
            with db.write() as session:
                after, seq = feed.mark_restored(session, time.time() if now is None else now)
        except BaseException:
            if dialect == "sqlite":  # a new try finds the folder as fresh as this one found it
                db.dispose()
                for leftover in home.glob("hub.db*"):
                    leftover.unlink()
            raise
        finally:
            db.dispose()
        for name in (KEY_FILE, SECRET_FILE, SETTINGS):
            (staged / name).chmod(0o600)
            os.replace(staged / name, home / name)
    revision, _ = _state(url)
    report = Report(str(path), dialect, revision, after, {n: f["bytes"] for n, f in manifest["files"].items()})
    report.left_out, report.restored_at_seq = manifest.get("settings_left_out", []), seq
    return report
