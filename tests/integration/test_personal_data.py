"""After real applications and registrations, no file on hub or device holds a raw ID number; a name
and phone only in the hub's database, and only when the worker consented."""

import random
from pathlib import Path

from cardreader.fictional import person
from sync.agent import SyncAgent
from tests.integration.test_link import enroll
from tests.support.waiting import until


def files_containing(where: Path | list[Path], needle: str) -> list[Path]:
    files = [p for p in where.rglob("*") if p.is_file()] if isinstance(where, Path) else where
    data = needle.encode()
    return [p for p in files if data in p.read_bytes()]


def test_nothing_personal_is_left_where_it_should_not_be(sqlite_hub, tmp_path):
    rng = random.Random(5)
    consenting, refusing = person(rng), person(rng)
    store = enroll(sqlite_hub, tmp_path / "kiosk")
    agent = SyncAgent(store, longpoll_s=1)
    agent.sync_once()
    with store.user_action() as action:
        for who, consent, posting in ((consenting, True, 1), (refusing, False, 2)):
            details = {"id_number": who.id_number, "name": who.name, "phone": who.phone, "consent": consent}
            action.emit("application", {"posting": posting}, person=details)
            action.emit("registration", {"intention": {"trades": [1]}}, person=details)
    agent.push_once()
    until(lambda: store.outbox.count() == 0)
    agent.stop()
    store.close()
    sqlite_hub.stop()  # checkpoint and close every file
    device_home = tmp_path / "kiosk"
    database = Path(sqlite_hub.database_url.removeprefix("sqlite:///"))
    hub_home = [p for p in sqlite_hub.home.rglob("*") if p.is_file()] + list(database.parent.glob(database.name + "*"))
    assert database in hub_home
    for who in (consenting, refusing):
        for folder in (hub_home, device_home):
            assert files_containing(folder, who.id_number) == [], f"raw ID number in {folder}"
            assert files_containing(folder, who.id_number[:6] + who.id_number[6:14]) == []
        assert files_containing(device_home, who.name) == [] and files_containing(device_home, who.phone) == []
    # The consented name and phone are with the hub, for the employer; the refused ones nowhere.
    assert {p.name for p in files_containing(hub_home, consenting.phone)} <= {"hub.db", "hub.db-wal"}
    assert files_containing(hub_home, consenting.phone)
    assert files_containing(hub_home, refusing.phone) == [] and files_containing(hub_home, refusing.name) == []
