"""The backup archive: what it holds and never holds, its checks, retention, and restoring it (SQLite, PostgreSQL)."""

import asyncio
import gzip
import io
import json
import shutil
import stat
import tarfile
import time

import pytest
import sqlalchemy as sa

from hub import admin, migrate
from hub.backup.archive import backup, restore
from hub.backup.errors import DamagedArchive, RestoreRefused
from hub.db import Database
from hub.feed import service as feed
from hub.feed.cache import FeedCache, ResetNeeded
from hub.feed.scope import View
from hub.settings import Settings
from tests.support.databases import postgres_database

SECRETS = {
    "LINGONG_SMS_WEBHOOK_SECRET": "sms-s3cret-value",
    "LINGONG_METRICS_TOKEN": "metrics-t0ken-value",
    "LINGONG_DATABASE_URL": "postgresql://lingong:db-passw0rd-value@db.example.cn/lingong",
}
ENVIRON = {**SECRETS, "LINGONG_PUBLIC_URL": "https://hub.example.cn", "LINGONG_TIMEZONE": "Asia/Shanghai"}


def _hub(home, url: str) -> Settings:
    settings = Settings(home=home, database_url=url)
    admin.seed_hub(settings, 12, 7)
    return settings


def _rows(url: str) -> dict[str, int]:
    db = Database(url, pool_size=1)
    try:
        with db.read() as s:
            return {
                "postings": s.scalar(sa.text("SELECT count(*) FROM postings")),
                "feed_state": s.scalar(sa.text("SELECT count(*) FROM feed_state")),
                "digest": feed.view_digest(s, View(device=1, station=1), time.time()),
            }
    finally:
        db.dispose()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    home = tmp_path_factory.mktemp("seeded") / "a"
    _hub(home, f"sqlite:///{home / 'hub.db'}")
    return home


@pytest.fixture
def sqlite_hub_state(seeded, tmp_path):
    """A copy of one seeded hub's state folder (seeding each test's own took most of its time)."""
    home = tmp_path / "a"
    shutil.copytree(seeded, home)
    url = f"sqlite:///{home / 'hub.db'}"
    return Settings(home=home, database_url=url), url


def _members(archive) -> dict[str, bytes]:
    with tarfile.open(archive) as tar:
        return {m.name.split("/", 1)[1]: tar.extractfile(m).read() for m in tar}


def test_an_archive_holds_the_hub_and_no_secret_and_comes_back_whole(sqlite_hub_state, tmp_path):
    settings, url = sqlite_hub_state
    report = backup(settings.home, url, tmp_path / "b.tar.gz", environ=ENVIRON)
    archive = tmp_path / "b.tar.gz"
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert sorted(report.left_out) == ["LINGONG_METRICS_TOKEN", "LINGONG_SMS_WEBHOOK_SECRET"]
    members = _members(archive)
    manifest = json.loads(members["manifest.json"])
    assert manifest["schema_revision"] == migrate.head() and manifest["feed_head"] > 0
    assert set(manifest["files"]) == {"hub.db", "hub-key.pem", "hub-id-secret", "settings.env"}
    assert b"LINGONG_PUBLIC_URL" in members["settings.env"] and b"LINGONG_HOME" not in members["settings.env"]
    raw = gzip.decompress(archive.read_bytes())
    for value in SECRETS.values():
        assert value.split("@")[0].split(":")[-1].encode() not in raw  # the value, or the URL's password

    restored = restore(archive, tmp_path / "new")
    home = tmp_path / "new"
    for name in ("hub-key.pem", "hub-id-secret"):
        assert (home / name).read_bytes() == (settings.home / name).read_bytes()
        assert stat.S_IMODE((home / name).stat().st_mode) == 0o600
    assert restored.restored_at_seq > restored.feed_head == manifest["feed_head"]
    before, after = _rows(url), _rows(f"sqlite:///{home / 'hub.db'}")
    assert before == after
    # A folder that holds a hub is never overwritten.
    with pytest.raises(RestoreRefused, match="holds a hub already"):
        restore(archive, home)


def _write(path, members: dict[str, bytes], cut: int | None = None) -> None:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(f"lingong-backup/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    data = buffer.getvalue()
    path.write_bytes(data[:cut] if cut else data)


def test_a_damaged_cut_or_partial_archive_is_refused_before_anything_is_restored(sqlite_hub_state, tmp_path):
    settings, url = sqlite_hub_state
    good = tmp_path / "good.tar.gz"
    backup(settings.home, url, good, environ={})
    members = _members(good)
    cases = {
        "cut short": (dict(members), len(good.read_bytes()) // 2, "cut short"),
        "partial": ({k: v for k, v in members.items() if k != "hub-id-secret"}, None, "partial: hub-id-secret"),
        "altered": ({**members, "hub-key.pem": members["hub-key.pem"].replace(b"A", b"B", 1)}, None, "hub-key.pem"),
        "added": ({**members, "extra.sh": b"rm -rf /"}, None, "extra.sh is not listed"),
        "no manifest": ({k: v for k, v in members.items() if k != "manifest.json"}, None, "not listed"),
        "a path": (
            {
                "manifest.json": json.dumps(
                    {**json.loads(members["manifest.json"]), "files": {"..": {"sha256": "", "bytes": 0}}}
                ).encode()
            },
            None,
            "never holds",
        ),
    }
    for label, (content, cut, words) in cases.items():
        bad = tmp_path / f"{label}.tar.gz"
        _write(bad, content, cut)
        target = tmp_path / f"restore-{label}"
        with pytest.raises(DamagedArchive, match=words):
            restore(bad, target)
        assert not [p for p in target.iterdir()], f"{label}: something was left in the folder"
    newer = json.loads(members["manifest.json"])
    _write(
        tmp_path / "newer.tar.gz",
        {**members, "manifest.json": json.dumps({**newer, "schema_revision": "9999"}).encode()},
    )
    with pytest.raises(RestoreRefused, match="from a newer lingong"):
        restore(tmp_path / "newer.tar.gz", tmp_path / "restore-newer")
    not_an_archive = tmp_path / "notes.txt"
    not_an_archive.write_text("hello")
    with pytest.raises(DamagedArchive, match="not a lingong backup"):
        restore(not_an_archive, tmp_path / "restore-notes")


def test_keep_prunes_only_the_oldest_dated_archives(sqlite_hub_state, tmp_path):
    settings, url = sqlite_hub_state
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / "operator-notes.tar.gz").write_text("mine")
    names = [backup(settings.home, url, f"{folder}/", keep=2, environ={}, now=1.8e9 + day * 86400) for day in range(3)]
    assert names[-1].pruned == [names[0].archive.rsplit("/", 1)[1]]
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["operator-notes.tar.gz", *(n.archive.rsplit("/", 1)[1] for n in names[1:])]
    )


def test_a_cursor_from_a_timeline_the_restore_lost_asks_for_a_snapshot(sqlite_hub_state):
    """In milliseconds, what the device test shows through a real agent (test_backup_restore)."""
    _, url = sqlite_hub_state
    db = Database(url, pool_size=1)
    view = View(device=1, station=1)

    async def check() -> None:
        cache = FeedCache(db, window=1000, poll_s=1)
        await cache.start()
        try:
            head = cache.head
            assert head == seq
            # From before the backup: it goes on (the marker itself reaches no device).
            assert cache.items(after, view) == (seq, [])
            for lost in (after + 1, after + 500, seq - 1):
                with pytest.raises(ResetNeeded):
                    cache.items(lost, view)
            assert cache.items(seq, view) == (head, [])
        finally:
            await cache.stop()

    try:
        with db.write() as s:
            after, seq = feed.mark_restored(s, time.time())
        asyncio.run(check())
    finally:
        db.dispose()


@pytest.mark.postgres
def test_postgres_backup_by_pg_dump_restores_into_an_empty_database(tmp_path):
    with postgres_database() as source, postgres_database() as target:
        settings = _hub(tmp_path / "a", source)
        archive = tmp_path / "pg.tar.gz"
        report = backup(settings.home, source, archive, environ={"LINGONG_DATABASE_URL": source})
        assert report.database == "postgresql"
        database = json.loads(_members(archive)["manifest.json"])["database"]
        assert database["server_version"] and database["pg_dump_version"].startswith("pg_dump (PostgreSQL)")
        members = _members(archive)
        assert ":***@" in json.loads(members["manifest.json"])["database"]["url"]  # no password
        assert b"DATABASE_URL" not in members["settings.env"]
        with pytest.raises(RestoreRefused, match="postgresql database, not sqlite"):
            restore(archive, tmp_path / "no-url")
        with pytest.raises(RestoreRefused, match="not empty"):
            restore(archive, tmp_path / "onto-itself", source)
        restored = restore(archive, tmp_path / "b", target)
        assert restored.schema_revision == migrate.head()
        assert _rows(source) == _rows(target)
        # The sequence goes on past the marker (PostgreSQL's own sequence was moved, not only the rows).
        db = Database(target, pool_size=1)
        try:
            with db.write() as s:
                feed.record(s, [feed.Change("announcement", 990001, feed.parse('{"s":null}'), {"id": 990001})])
            with db.read() as s:
                assert feed.head(s) == restored.restored_at_seq + 1
            # A DBA's SQL for the last migration: Alembic's offline mode, as `lingong migrate --sql` prints it.
            from alembic import command

            command.downgrade(migrate.config(db.engine), "-1")
            sql = migrate.sql(db.engine)
            assert "UPDATE alembic_version" in sql and migrate.head() in sql
            assert not migrate.is_current(db.engine)  # printed, not run
        finally:
            db.dispose()
