"""The market's figures where people see them — on devices (the feed's market document), on a
posting's phone page, on /m — and the window they are computed over. SQLite only: nothing here
differs between the databases (the computations run on both in test_market.py), and make test
has 10 minutes."""

import datetime as dt

import pytest

from hub.market import pay_guide
from tests.integration.test_market import five_postings, quiet_trades, rate_of, unused_trade_and_unit
from tests.support.hub import posting_body


@pytest.fixture
def db_url(sqlite_url):
    return sqlite_url


def test_postings_older_than_the_window_do_not_count(hub):
    trade_id, unit = unused_trade_and_unit(hub)
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=pay_guide.WINDOW_DAYS + 5)
    for _ in range(5):
        hub.ok(
            "POST",
            "/api/v1/postings",
            json=posting_body(
                trade_id,
                pay_unit=unit,
                valid_from=long_ago.isoformat(),
                valid_to=(long_ago + dt.timedelta(days=3)).isoformat(),
            ),
        )
    assert rate_of(hub, trade_id, unit) is None


def test_the_figures_reach_every_device_and_are_published_only_when_they_change(hub):
    from hub.market import publish
    from tests.integration.test_figures import snapshot

    publish.once(hub.app.state.db)  # (the hub also checks at start and every few minutes)
    assert publish.once(hub.app.state.db) is False  # nothing changed: nothing written
    trade_id, unit = unused_trade_and_unit(hub)
    five_postings(hub, trade_id, unit)
    assert publish.once(hub.app.state.db) is True
    for kind in ("kiosk", "display"):
        _, device = hub.device(kind)
        _, docs, _ = snapshot(hub, device)
        [market] = [d for k, d in docs if k == "market"]
        assert [trade_id, unit, 22000, 24000, 26000, 5, False] in market["rates"]
        assert len(market["shortage"]) <= 10


def test_the_phone_page_says_where_a_postings_pay_stands(hub):
    trade_id, unit = unused_trade_and_unit(hub)
    ids = five_postings(hub, trade_id, unit)
    low_page = hub.client.get(f"/p/{ids[0]}").text  # 200 where the market's middle half is 220–260
    assert "这个工资在本区同类活里：<strong>偏低</strong>（同类活一般在220–260" in low_page
    assert "<strong>中等</strong>" in hub.client.get(f"/p/{ids[2]}").text
    assert "<strong>偏高</strong>" in hub.client.get(f"/p/{ids[4]}").text
    other = hub.ok("POST", "/api/v1/postings", json=posting_body(quiet_trades(hub, 1)[0]))["id"]
    assert "pay-guide" not in hub.client.get(f"/p/{other}").text  # no figure for its trade: nothing said


def test_the_market_page_for_phones_lists_the_figures(hub):
    trade_id, unit = unused_trade_and_unit(hub)
    five_postings(hub, trade_id, unit, headcount=3)
    page = hub.client.get("/m")  # public, like the posting pages
    assert page.status_code == 200 and "Content-Security-Policy" in page.headers
    with hub.app.state.db.read() as session:
        from hub.trades.models import Trade

        name = session.get(Trade, trade_id).name
    assert f"<td>{name}</td><td>220–260" in page.text
    assert 'id="shortage"' in page.text
