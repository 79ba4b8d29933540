"""After an error inside an application's transaction — the database itself refusing the insert,
with the applicant's name and phone among the statement's values — no clear name, phone or ID
number is in any log, and the application still arrives, once, when the database takes it again.

(Security review, finding 8: the scrubber filtered log messages but not tracebacks, which carried
the SQL parameters; the batch failed with a 500 that logged the name on every retry.)"""

import json
import logging
import random

import requests
import sqlalchemy as sa

from cardreader.fictional import person
from cardreader.sim import resident
from floor.logs import ScrubFormatter
from hub.applications.models import Application
from hub.db import Database
from kiosk.data import KioskData
from sync.agent import SyncAgent
from sync.errors import SyncError
from sync.session import HubSession, RetryPolicy
from tests.integration.test_link import enroll, open_here
from tests.support.console import csrf_of
from tests.support.hub import LiveHub

REFUSE = [
    "CREATE FUNCTION refuse_application() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'refused by the test inside the transaction'; END $$",
    "CREATE TRIGGER refuse_application BEFORE INSERT ON applications "
    "FOR EACH ROW EXECUTE FUNCTION refuse_application()",
]
ALLOW = ["DROP TRIGGER refuse_application ON applications", "DROP FUNCTION refuse_application()"]


def run_sql(url: str, statements: list[str]) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        for statement in statements:
            conn.exec_driver_sql(statement)
    engine.dispose()


def forms(text: str) -> list[str]:
    return list({text, json.dumps(text)[1:-1]})


def test_an_error_inside_an_applications_transaction_leaves_no_one_in_the_logs(pg_url, tmp_path):
    worker, walk_in = person(random.Random(81)), person(random.Random(82))
    hub = LiveHub(tmp_path / "hub", pg_url, log_level="INFO")
    hub.seed(postings=40)
    hub.start()
    kiosk_home = tmp_path / "kiosk"
    store = enroll(hub, kiosk_home)
    kiosk_log = logging.FileHandler(kiosk_home / "kiosk.log", encoding="utf-8")
    kiosk_log.setFormatter(ScrubFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(kiosk_log)
    root.setLevel(logging.DEBUG)
    try:
        enrollment = store.enrollment()
        agent = SyncAgent(store, HubSession(enrollment.hub_url, enrollment.token, retry=RetryPolicy(attempts=1)))
        agent.sync_once()
        data = KioskData(store)
        data.refresh()
        postings = open_here(hub)
        run_sql(pg_url, REFUSE)

        data.apply(resident(worker.id_number, worker.name), postings[0], worker.phone, consent=True)
        try:
            agent.push_once()
        except SyncError as exc:
            logging.getLogger("test").warning("the hub refused the batch: %s", exc)
        assert store.outbox.count() == 1  # not acknowledged: the hub did not apply it
        page = requests.get(f"{hub.url}/p/{postings[1]}", timeout=10)
        phone_page = requests.post(
            f"{hub.url}/p/{postings[1]}/apply",
            cookies=page.cookies,
            timeout=10,
            data={"name": walk_in.name, "phone": walk_in.phone, "consent": "yes", "csrf_token": csrf_of(page)},
        )
        assert phone_page.status_code == 503

        run_sql(pg_url, ALLOW)
        agent.push_once()
        assert store.outbox.count() == 0
    finally:
        root.removeHandler(kiosk_log)
        kiosk_log.close()
        store.close()
        hub.stop()
    db = Database(pg_url, pool_size=1)
    with db.read() as s:
        assert [(a.name, a.phone) for a in s.scalars(sa.select(Application))] == [(worker.name, worker.phone)]
    db.dispose()

    hub_log = hub.log.read_text(encoding="utf-8")
    assert "database error on POST /api/v1/sync/events: RaiseException" in hub_log  # the error was there
    assert "database error on POST /p/" in hub_log
    logs = {"hub": hub_log, "kiosk": (kiosk_home / "kiosk.log").read_text(encoding="utf-8")}
    for who in (worker, walk_in):
        for secret in (who.id_number, who.id_number[:14], who.name, who.phone):
            for name, text in logs.items():
                assert not any(f in text for f in forms(secret)), f"{secret!r} in the {name} log"
