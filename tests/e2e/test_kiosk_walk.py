"""`lingong kiosk walk`: the kiosk's own flow pressed from the command line over a real enrolled
kiosk's store, each screen printed as text, and the application it queues reaching the hub."""

import re

from sqlalchemy import select

from hub.applications.models import Application
from hub.db import Database
from tests.support.hub import lingong


def test_walking_the_kiosk_without_a_screen_applies_at_the_hub(sqlite_hub, tmp_path):
    home = tmp_path / "kiosk"
    lingong("enroll", "--hub", sqlite_hub.url, "--code", sqlite_hub.add_device("kiosk"), home=home)
    lingong("agent", "--once", home=home)  # the store filled as the running kiosk's agent would

    walked = lingong("kiosk", "walk", home=home, timeout=120)
    out = walked.stdout
    screens = re.findall(r"^── (\w+) ──$", out, re.M)
    assert screens[:2] == ["attract", "jobs"] and screens[-1] == "receipt", out
    assert {"detail", "apply"} <= set(screens)
    assert "> card:11010519491231002X:张三" in out and "张师傅，您好" in out  # the surname only, as on screen
    opened = int(re.search(r"^> open_job:(\d+)$", out, re.M).group(1))
    first_listed = int(re.search(r"→ open_job:(\d+)$", out, re.M).group(1))
    assert opened == first_listed
    assert "status: 报名成功" in out and "网络恢复后" not in out  # the hub answered: not said to be offline
    assert re.search(r"sent to the hub at http://127\.0\.0\.1:\d+: 1 event\(s\)", out), out
    assert "11010519491231002X" not in out.split("> card:")[1].split("\n", 1)[1]  # never printed back

    db = Database(sqlite_hub.settings.db_url, pool_size=1)
    try:
        with db.read() as session:
            [application] = session.scalars(select(Application)).all()
            assert (application.posting_id, application.phone, application.name) == (opened, "13912345678", "张三")
    finally:
        db.dispose()

    # chosen steps: browse without a card, a category, back; a step that is no button says so
    browsed = lingong("kiosk", "walk", "browse", "tile:browse:1", "back", home=home)
    assert re.findall(r"^── (\w+) ──$", browsed.stdout, re.M) == ["attract", "browse", "jobs", "browse"]
    wrong = lingong("kiosk", "walk", "frobnicate", home=home, check=False)
    assert wrong.returncode == 2 and "not a kiosk step: 'frobnicate'" in wrong.stderr
    nowhere = lingong("kiosk", "walk", home=tmp_path / "empty", check=False)
    assert nowhere.returncode == 2 and "no kiosk here" in nowhere.stderr
