"""The recruiting van (招工大篷车), small: a kiosk and a wall offline for three simulated days, then back.

`lingong bench van` at a small size against a real hub process: the devices' own stores, outboxes
and sync agents, their clock moved through the days; postings closed, filled and running out on the
hub meanwhile. Back online, everything queued arrives once, the applications to postings that
ended meanwhile are kept for the van's station and shown to its staff, and both stores converge."""

import re

import requests

from hub import admin
from lingong.bench.van import HubHandle, run
from tests.support.console import STATION_PASSWORD, sign_in


def test_a_van_offline_for_days_delivers_everything_once_and_the_station_sees_what_ended(sqlite_hub, tmp_path):
    handle = HubHandle(sqlite_hub.url, sqlite_hub.database_url, sqlite_hub.ok)
    got = run(handle, tmp_path / "van", days=3, actions=40, postings=12, station=1)

    assert got["queued_kiosk"] == 40 and got["queued"] > 40  # (the wall's play records besides)
    assert got["delivered"] == got["queued"] and got["lost"] == 0 and got["doubled"] == 0
    assert got["rejected"] == 0
    assert got["applications_recorded"] == got["applications"] > 0
    # Closed, filled or run out while the van was away: recorded, answered as such, at the van's station.
    assert got["closed_expected"] > 0
    assert got["closed_recorded"] == got["closed_told_device"] == got["closed_at_station"] == got["closed_expected"]
    assert got["closed_told_worker"] == got["closed_expected"]  # at their next card at the van's kiosk
    # On the way: nothing that ran out by the devices' clock was listed; both said they were out of date.
    assert got["listed_after_expiry"] == 0 and got["days_without_stale_banner"] == 0
    assert got["converged"]

    # The station's staff find them on the console's 报名 page.
    admin.create_user(sqlite_hub.settings, "van-staff", "station", STATION_PASSWORD, [1])
    with requests.Session() as browser:
        assert sign_in(browser, "van-staff", STATION_PASSWORD, base=sqlite_hub.url).status_code == 303
        page = browser.get(f"{sqlite_hub.url}/staff/applications", params={"state": "ended"}, timeout=30)
    assert page.status_code == 200
    assert len(re.findall(r'<tr id="application-\d+"', page.text)) == got["closed_recorded"]
    assert page.text.count("岗位已结束</strong>") == got["closed_recorded"]
